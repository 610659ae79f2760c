// Shared by the generation tests: a temporary folder per test file, and the generate worker bundled from the sources.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed when the test file ends. */
export function tempRoot(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `ft-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let built: string | undefined;
/** Bundles src/workers/generateWorker.ts once per test process (onnxruntime-node stays external, as in dist/). */
export function generateWorkerScript(): string {
  if (built) return built;
  const out = path.resolve('out', 'test', 'generate-worker', `generate-${process.pid}.js`);
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(path.resolve('node_modules', 'esbuild', 'bin', 'esbuild'), [
    'src/workers/generateWorker.ts', '--bundle', '--platform=node', '--format=cjs', '--target=node20', '--log-level=warning',
    '--external:onnxruntime-node', `--outfile=${out}`,
  ]);
  built = out;
  return out;
}

export const HELLO = [{ role: 'user' as const, content: 'Tell me a story about a dragon.' }];
