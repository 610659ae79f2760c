// Shared by the generation tests: a temporary folder per test file, the generate worker bundled from the sources,
// and the trainer venv that real exports are made with.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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

/**
 * The trainer venv's Python when it can export to ONNX (torch, transformers, onnx, onnxscript, onnxruntime) and the
 * real-export tests are asked for (FINETUNE_TEST_REAL_ONNX=1: they run torch for tens of seconds and write ~160 MB).
 */
export function realOnnxPython(): string | undefined {
  if (process.env['FINETUNE_TEST_REAL_ONNX'] !== '1') return undefined;
  const base = path.join(homedir(), '.cache', 'finetune-studio');
  const venv = existsSync(base) ? readdirSync(base).filter((d) => d.startsWith('trainer-venv-') && existsSync(path.join(base, d, 'bin', 'python'))).sort().pop() : undefined;
  const python = venv && path.join(base, venv, 'bin', 'python');
  if (!python || !existsSync(python)) return undefined;
  try {
    execFileSync(python, ['-c', 'import onnx, onnxscript, onnxruntime, torch, transformers, peft'], { stdio: 'ignore' });
    return python;
  } catch {
    return undefined;
  }
}

export const HELLO = [{ role: 'user' as const, content: 'Tell me a story about a dragon.' }];
