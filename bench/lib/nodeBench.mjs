// Shared by the benchmarks: the repository root, command-line options, the median, bundling src/ code for Node
// as the product bundles it, and the line that says what machine the figures come from.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `--name value` from the command line, else `fallback`. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

/** `--name N` from the command line as a number, else `fallback`. */
export function numberOption(name, fallback) {
  const value = option(name, null);
  return value === null ? fallback : Number(value);
}

/** Whether `--name` is on the command line. */
export const flag = (name) => process.argv.slice(2).includes(name);

/** The median (the lower middle one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * Bundles a Node entry (a file, or esbuild `stdin` contents resolved from the root) to `outfile` as CommonJS and loads
 * it. `external`: packages left to `require` (native ones such as onnxruntime-node).
 */
export async function bundleForNode(entry, outfile, external = []) {
  const input = typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { resolveDir: root, loader: 'ts', ...entry } };
  await esbuild.build({ ...input, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', external });
  return createRequire(import.meta.url)(outfile);
}

/** `machine: cores, CPU model; Node; load average at start (`load0`) and now`. */
export function machineLine(load0) {
  const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model ?? 'unknown';
  return `machine: ${availableParallelism()} cores (nproc), ${cpuModel}; Node ${process.version}; load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`;
}

/**
 * What the ONNX benchmarks (generate, serve) share: the toy decoder's shape from --hidden/--layers/--vocab, the generate
 * worker (--worker), and a bundle of `exports` (lines of `export … from './src/…'`) with tinyModel's writer, loaded once
 * the worker is known to be built.
 */
export function toyOnnxBench(name) {
  const hidden = numberOption('--hidden', 256);
  const layers = numberOption('--layers', 4);
  const vocab = numberOption('--vocab', 32768);
  const worker = option('--worker', join(root, 'dist/workers/generate.js'));
  return {
    hidden, layers, vocab, worker,
    shape: { layers, hidden, heads: 4, headDim: hidden / 4, vocab, seed: 7 },
    async load(exports) {
      if (!existsSync(worker)) throw new Error(`${worker} is missing: run node esbuild.mjs first`);
      mkdirSync(join(root, 'out/bench'), { recursive: true });
      const contents = `export { writeTinyModelFolder } from './test/unit/inference/tinyModel';\n${exports}`;
      return bundleForNode({ contents }, join(root, `out/bench/${name}.cjs`), ['onnxruntime-node']);
    },
  };
}
