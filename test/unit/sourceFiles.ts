// Helpers for tests that read the project's own sources (run from the repository root).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sourceFiles(dir: string, pattern = /\.(ts|mts|js|mjs)$/): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => pattern.test(f)).map((f) => join(dir, f));
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}
