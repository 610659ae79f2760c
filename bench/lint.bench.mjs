#!/usr/bin/env node
// Dataset lint benchmarks (run after `node esbuild.mjs`), each side by side with its baseline in the same run:
// 1. Throughput: `finetune-studio lint` on a generated file vs. a script that only reads the file and
//    JSON.parses every line (goal: at least half the baseline's throughput), and peak memory (goal: < 300 MB,
//    flat in the file size).
// 2. The same on ~2 million tiny samples (about 230 MB of ~116-byte lines), where the per-line work and the
//    duplicate indexes (which grow with the number of samples, not the file size) weigh most: the same goals.
// 3. Re-check latency of a one-line edit in a 100,000-line document through the editor's dataset worker
//    (goal: p95 < 30 ms), against a full re-lint of the same text in the same worker.
// Flags: --mb N (file size, default 200), --tiny N (tiny samples, default 2000000), --rounds N (default 2),
// --edits N (default 60), --only throughput|tiny|edit (one case), --markdown.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { datasetText, ensureDataset, ensureTinyDataset } from './lib/dataset.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = arg('mb', 200);
const ROUNDS = arg('rounds', 2);
const EDITS = arg('edits', 60);
const TINY = arg('tiny', 2_000_000);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const runs = (name) => only === undefined || only === name;
const root = new URL('..', import.meta.url).pathname;

function measure(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', join(root, 'bench/lib/peak-rss.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = Number(/peak-rss-kb=(\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1024;
  const cpu = Number(/cpu-us=(\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
  return { seconds, rss, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

/** The baseline and the lint of one file, alternating, `ROUNDS` times each: medians of speed, peaks of memory. */
function compare(file) {
  const base = [], ours = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(measure([join(root, 'bench/lib/parse-baseline.mjs'), file.path]));
    ours.push(measure([join(root, 'dist/cli.js'), 'lint', file.path, '--json']));
  }
  const mbps = (runs) => file.size / 1e6 / median(runs.map((x) => x.seconds));
  return {
    sizeMB: file.size / 1e6,
    baselineMBps: mbps(base),
    lintMBps: mbps(ours),
    ratio: mbps(ours) / mbps(base),
    baselineCpuS: median(base.map((x) => x.cpu)),
    lintCpuS: median(ours.map((x) => x.cpu)),
    baselineRssMB: Math.max(...base.map((x) => x.rss)),
    lintRssMB: Math.max(...ours.map((x) => x.rss)),
  };
}

async function throughput() {
  const file = await ensureDataset(join(tmpdir(), `finetune-bench-${MB}mb.jsonl`), MB * 1e6);
  const small = await ensureDataset(join(tmpdir(), 'finetune-bench-20mb.jsonl'), 20e6);
  const smallRun = measure([join(root, 'dist/cli.js'), 'lint', small.path, '--json']);
  return { ...compare(file), lintRssSmallMB: smallRun.rss, smallMB: small.size / 1e6 };
}

async function tinySamples() {
  return { ...compare(await ensureTinyDataset(join(tmpdir(), `finetune-bench-tiny-${TINY}.jsonl`), TINY)), samples: TINY };
}

/** Talks to dist/workers/dataset.js the way the extension host does (src/shared/rpc.ts envelopes). */
function workerClient() {
  const worker = new Worker(join(root, 'dist/workers/dataset.js'));
  const pending = new Map();
  let id = 0;
  worker.on('message', (m) => {
    if (m.rpc !== 'reply') return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    m.ok ? p.resolve(m.body) : p.reject(new Error(m.error));
  });
  const request = (body) => new Promise((resolve, reject) => {
    pending.set(++id, { resolve, reject });
    worker.postMessage({ rpc: 'request', id, body });
  });
  return { request, close: () => worker.terminate() };
}

async function editLatency() {
  const lines = datasetText(100_000).split('\n');
  const options = { locale: 'en', maxDiagnostics: 500, fileName: 'big.jsonl' };
  const client = workerClient();
  const timed = async (body) => {
    const t = performance.now();
    await client.request(body);
    return performance.now() - t;
  };
  const first = await timed({ type: 'lint', uri: 'bench:big', version: 0, text: lines.join('\n'), options });
  const edits = [];
  const full = [];
  for (let i = 0; i < EDITS; i++) {
    // What the host sends for a one-line edit: that line, against the version the worker holds.
    const at = (i * 7919) % (lines.length - 1);
    lines[at] = lines[at].replace(/江湖(郎中|大夫)/, i % 2 ? '江湖大夫' : '江湖郎中');
    edits.push(await timed({ type: 'edit', uri: 'bench:big', baseVersion: i, version: i + 1, start: at, deleteCount: 1, lines: [lines[at]], options }));
    // The baseline: sending and re-checking the whole text, as a linter without the line protocol would.
    if (i < 10) full.push(await timed({ type: 'lint', uri: 'bench:full', version: i, text: lines.join('\n'), options }));
  }
  await client.close();
  return { firstMs: first, editP50: pct(edits, 50), editP95: pct(edits, 95), fullP50: pct(full, 50) };
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpus().length} cores, ${cpu}, Node ${process.version}`;
const line = (t) => [
  `  baseline (read + JSON.parse): ${t.baselineMBps.toFixed(1)} MB/s, peak ${t.baselineRssMB.toFixed(0)} MB`,
  `  finetune-studio lint:         ${t.lintMBps.toFixed(1)} MB/s, peak ${t.lintRssMB.toFixed(0)} MB${t.lintRssSmallMB === undefined ? '' : ` (${t.lintRssSmallMB.toFixed(0)} MB on ${t.smallMB.toFixed(0)} MB)`}`,
  `  ratio: ${t.ratio.toFixed(2)} (goal ≥ 0.5; peak goal < 300 MB)`,
  `  CPU time (all threads, medians): baseline ${t.baselineCpuS.toFixed(2)} s, lint ${t.lintCpuS.toFixed(2)} s`,
].join('\n');
const t = runs('throughput') ? await throughput() : undefined;
const tiny = runs('tiny') ? await tinySamples() : undefined;
const e = runs('edit') ? await editLatency() : undefined;
if (t) console.log(`Lint throughput on a ${t.sizeMB.toFixed(0)} MB file (${machine}):\n${line(t)}`);
if (tiny) console.log(`Lint throughput on ${tiny.samples.toLocaleString('en')} tiny samples, ${tiny.sizeMB.toFixed(0)} MB (${machine}):\n${line(tiny)}`);
if (e) {
  console.log(`One-line edit in a 100,000-line document, through the dataset worker (${EDITS} edits):`);
  console.log(`  first lint ${e.firstMs.toFixed(0)} ms; edit re-check p50 ${e.editP50.toFixed(1)} ms, p95 ${e.editP95.toFixed(1)} ms (goal < 30); full re-lint p50 ${e.fullP50.toFixed(0)} ms`);
}
if (process.argv.includes('--markdown')) {
  const day = new Date().toISOString().slice(0, 10);
  if (t && e) console.log(`\n| ${day} | ${t.sizeMB.toFixed(0)} MB | ${t.baselineMBps.toFixed(1)} MB/s | ${t.lintMBps.toFixed(1)} MB/s | ${t.ratio.toFixed(2)} | ${t.lintRssMB.toFixed(0)} MB | ${e.editP95.toFixed(1)} ms | ${e.fullP50.toFixed(0)} ms |`);
  if (tiny) console.log(`\n| ${day} | ${tiny.sizeMB.toFixed(0)} MB, ${(tiny.samples / 1e6).toFixed(1)} M samples | ${tiny.baselineMBps.toFixed(1)} MB/s (peak ${tiny.baselineRssMB.toFixed(0)} MB, CPU ${tiny.baselineCpuS.toFixed(1)} s) | ${tiny.lintMBps.toFixed(1)} MB/s (CPU ${tiny.lintCpuS.toFixed(1)} s) | ${tiny.ratio.toFixed(2)} | ${tiny.lintRssMB.toFixed(0)} MB |`);
}
if (process.argv.includes('--clean')) {
  for (const name of [`finetune-bench-${MB}mb.jsonl`, `finetune-bench-tiny-${TINY}.jsonl`]) rmSync(join(tmpdir(), name), { force: true });
}
