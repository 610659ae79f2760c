// A seeded fuzzer over the example inputs (issue #10): mutated datasets through `lint` and `stats` (with the
// example's tokenizer, Qwen3's), mutated training logs through `diagnose`, mutated predictions through `metrics`,
// in-process through the CLI command functions. Each case must end with an exit status of 0, 1 or 2, no exception
// escaping and no stack trace in its output, within CASE_TIMEOUT_MS.
//
// The cases run in a worker thread that the test watches: a case that loops without end cannot be interrupted
// in its own thread, so a case that overruns marks a hang, the worker is stopped, and a fresh one goes on.
//
// Reproduce: FUZZ_SEED=<seed> FUZZ_CASE=<n> node --test out/test/unit/fuzz.test.js (after node esbuild.mjs --tests);
// FUZZ_MUTATIONS=all also runs the mutations kept out of the default set (see EXCLUDED in fuzzCases.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CASES, EXCLUDED, loadSources, makeCase, MUTATIONS, targetOf, type FuzzCase } from './fuzzCases';
import { lintCommand } from '../../src/cli/commands/lint';
import { statsCommand } from '../../src/cli/commands/stats';
import { diagnoseCommand } from '../../src/cli/commands/diagnose';
import { metricsCommand } from '../../src/cli/commands/metrics';
import type { CliIo } from '../../src/cli/io';
import { modelDir, workerScript } from './tokens/helpers';

const DEFAULT_SEED = 20261207;
/** Far beyond any case's time (the slowest, stats, takes one to two seconds): only a hang reaches it. */
const CASE_TIMEOUT_MS = 20_000;

interface WorkerInput { seed: number; indices: number[]; mutations: string[]; all: boolean; tokenWorker: string }
type WorkerMessage = { type: 'start'; index: number; describe: string } | { type: 'done'; index: number; problem?: string; describe: string };

/** What is wrong with a finished case, or undefined. */
function problemOf(code: unknown, output: string): string | undefined {
  if (code !== 0 && code !== 1 && code !== 2) return `exit status ${String(code)}`;
  const stack = /^\s+at .+$/m.exec(output);
  if (stack) return `a stack trace in the output: ${JSON.stringify(stack[0].slice(0, 200))}`;
  return undefined;
}

function describeCase(c: FuzzCase): string {
  return `${c.target} ${c.source} [${c.mutations.join(', ')}]`;
}

/** Runs one case in this thread: its file in a folder of its own, the command's output captured. */
async function runCase(c: FuzzCase, dir: string, tokenWorker: string): Promise<string | undefined> {
  const folder = path.join(dir, `case-${c.index}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, c.name), c.bytes);
  if (c.datasetInfo) writeFileSync(path.join(folder, 'dataset_info.json'), c.datasetInfo);
  let output = '';
  const io: CliIo = { stdout: (s) => { output += s; }, stderr: (s) => { output += s; }, locale: c.index % 3 === 0 ? 'zh-cn' : 'en', cwd: folder };
  const json = c.index % 2 === 0 ? ['--json'] : [];
  let code: number;
  try {
    switch (c.target) {
      case 'lint':
        code = await lintCommand([c.name, ...json], io);
        break;
      case 'stats':
        code = await statsCommand([c.name, '--tokenizer', modelDir('qwen3'), ...json], io, { workerScript: tokenWorker, workers: 1 });
        break;
      case 'diagnose':
        code = await diagnoseCommand([c.name, ...json], io);
        break;
      case 'metrics':
        code = await metricsCommand([c.name, ...json, '--segmentation', c.index % 4 === 1 ? 'character' : 'jieba'], io);
        break;
    }
  } catch (err) {
    return `an exception escaped: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 300);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return problemOf(code, output);
}

/** The worker: runs its cases in order, saying when each starts and how it ended. */
async function workerMain(input: WorkerInput): Promise<void> {
  const sources = loadSources();
  const dir = mkdtempSync(path.join(tmpdir(), 'ft-fuzz-'));
  try {
    for (const index of input.indices) {
      const c = makeCase(input.seed, index, targetOf(index)!, sources, input.mutations, input.all);
      parentPort!.postMessage({ type: 'start', index, describe: describeCase(c) } satisfies WorkerMessage);
      const problem = await runCase(c, dir, input.tokenWorker);
      parentPort!.postMessage({ type: 'done', index, describe: describeCase(c), ...(problem ? { problem } : {}) } satisfies WorkerMessage);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `indices` in worker threads; a case over the timeout, or one that kills its worker, is a failure. */
async function runAll(input: Omit<WorkerInput, 'indices'>, indices: number[]): Promise<{ index: number; text: string }[]> {
  const failures: { index: number; text: string }[] = [];
  let remaining = indices;
  while (remaining.length > 0) {
    const done = new Set<number>();
    let current: { index: number; describe: string } | undefined;
    const stoppedAt = await new Promise<number | undefined>((resolve) => {
      const worker = new Worker(__filename, { workerData: { ...input, indices: remaining } satisfies WorkerInput });
      let timer: NodeJS.Timeout | undefined;
      const stop = (index: number | undefined, text: string) => {
        clearTimeout(timer);
        if (index !== undefined) failures.push({ index, text });
        void worker.terminate();
        resolve(index);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'start') {
          current = m;
          timer = setTimeout(() => stop(m.index, `${m.describe}: no end after ${CASE_TIMEOUT_MS / 1000} s (a hang)`), CASE_TIMEOUT_MS);
          return;
        }
        clearTimeout(timer);
        done.add(m.index);
        current = undefined;
        if (m.problem) failures.push({ index: m.index, text: `${m.describe}: ${m.problem}` });
      });
      worker.on('error', (err) => stop(current?.index, `${current?.describe ?? 'before any case'}: the worker died: ${err.message.slice(0, 300)}`));
      worker.on('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    // Go on after the case that stopped the worker (or whatever it had not reached when it ended).
    remaining = remaining.filter((i) => !done.has(i) && i !== stoppedAt);
    if (stoppedAt === undefined && remaining.length > 0) {
      for (const i of remaining) failures.push({ index: i, text: 'not run: the worker ended early' });
      break;
    }
  }
  return failures.sort((a, b) => a.index - b.index);
}

/** FUZZ_MUTATIONS: unset (every mutation, less the EXCLUDED ones for their targets), `all`, or a list of names. */
function mutationsFromEnv(): { mutations: string[]; all: boolean } {
  const wanted = process.env.FUZZ_MUTATIONS;
  if (!wanted || wanted === 'all') return { mutations: Object.keys(MUTATIONS), all: wanted === 'all' };
  const names = wanted.split(',');
  for (const n of names) assert.ok(n in MUTATIONS, `unknown mutation ${n}; known: ${Object.keys(MUTATIONS).join(', ')}`);
  return { mutations: names, all: false };
}

if (isMainThread) {
  describe('fuzzer (seeded mutations of the example inputs through lint, stats, diagnose, metrics)', () => {
    it(`${CASES} cases: no exception, no stack trace, no hang`, async () => {
      const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
      const only = process.env.FUZZ_CASE;
      const indices = only !== undefined ? only.split(',').map(Number) : Array.from({ length: CASES }, (_, i) => i);
      const { mutations, all } = mutationsFromEnv();
      const excluded = all ? [] : Object.entries(EXCLUDED).map(([m, e]) => `${m} for ${e.targets.join(', ')} (${e.why})`);
      console.log(`fuzz: seed ${seed}, ${indices.length} cases, mutations: ${mutations.join(' ')}` + (excluded.length ? `; left out: ${excluded.join('; ')}` : ''));
      const failures = await runAll({ seed, mutations, all, tokenWorker: workerScript() }, indices);
      const report = failures.map((f) => `  case ${f.index}: ${f.text}\n    reproduce: FUZZ_SEED=${seed} FUZZ_CASE=${f.index}${process.env.FUZZ_MUTATIONS ? ` FUZZ_MUTATIONS=${process.env.FUZZ_MUTATIONS}` : ''} node --test out/test/unit/fuzz.test.js`);
      assert.equal(failures.length, 0, `fuzz seed ${seed}: ${failures.length} failing case(s):\n${report.join('\n')}`);
    });
  });
} else {
  void workerMain(workerData as WorkerInput);
}
