#!/usr/bin/env node
// Local server benchmark (issue 14, "Performance"): the OpenAI-compatible server (src/inference/server) over the ONNX
// engine, with 1, 4 and 16 concurrent streaming clients (our own chatCompletionStream, real HTTP on 127.0.0.1):
// tokens/s in total and per stream, and the time to first token (p95 over the streams), against `generate` alone
// (the same engine called directly, one answer at a time) on the same model in the same run.
//
// The engine answers one request at a time (the server's FIFO line), so the total rate should stay near `generate`
// alone while each stream's share and its wait for the first token grow with the number of streams: the benchmark
// shows what HTTP, SSE and the line cost on top. Every answer is checked to equal the direct one (greedy).
//
// Run after the build (it needs dist/workers/generate.js):
//   node bench/serve.bench.mjs [--tokens N] [--rounds N] [--hidden N] [--layers N] [--vocab N] [--markdown]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { flag, machineLine, median, numberOption, toyOnnxBench } from './lib/nodeBench.mjs';

const TOKENS = numberOption('--tokens', 128);
const ROUNDS = numberOption('--rounds', 3);
const TOY = toyOnnxBench('serve');
const { hidden: HIDDEN, layers: LAYERS, vocab: VOCAB, worker: WORKER } = TOY;
const MARKDOWN = flag('--markdown');
const CONCURRENCY = [1, 4, 16];
const TOKEN = 'bench-token-0123456789abcdef';

const MESSAGES = [
  { role: 'system', content: '你是一位医术高明的古代江湖医生,说话带有武侠风格,回答要专业、耐心、简洁。' },
  { role: 'user', content: '大夫,我这几日咳嗽不止,夜里发热,可是染了风寒?请开个方子。' },
];

async function load() {
  return TOY.load(`export { createOnnxEngine } from './src/inference/onnx';
    export { startChatServer } from './src/inference/server';
    export { chatCompletionStream } from './src/inference/chatStream';`);
}

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** `generate` alone: the engine called directly; tokens over request-to-last-piece, and the first piece's delay. */
async function direct(engine, params) {
  const started = performance.now();
  let first;
  const result = await engine.generate(MESSAGES, params, () => { first ??= performance.now(); });
  const end = performance.now();
  return { text: result.text, tokens: result.tokens.length, ttftMs: first - started, rate: result.tokens.length / ((end - started) / 1000) };
}

/** `n` streams at once through the server: each stream's tokens, first-piece delay and rate; the total rate. */
async function streams(lib, url, n, expected) {
  const started = performance.now();
  const runs = await Promise.all(Array.from({ length: n }, async () => {
    const t0 = performance.now();
    let first;
    const r = await lib.chatCompletionStream(MESSAGES, { baseUrl: url, model: 'bench', apiKey: TOKEN, temperature: 0, maxTokens: TOKENS, retries: 0 }, () => { first ??= performance.now(); });
    const end = performance.now();
    if (r.text !== expected) throw new Error(`a stream of ${n} answered differently from generate alone`);
    const tokens = r.usage?.completionTokens ?? r.pieces;
    return { tokens, ttftMs: first - t0, rate: tokens / ((end - t0) / 1000), end };
  }));
  const last = Math.max(...runs.map((r) => r.end));
  const total = runs.reduce((a, r) => a + r.tokens, 0) / ((last - started) / 1000);
  return { total, perStream: median(runs.map((r) => r.rate)), ttftP95: p95(runs.map((r) => r.ttftMs)) };
}

async function main() {
  const load0 = loadavg()[0];
  const lib = await load();
  const dir = mkdtempSync(join(tmpdir(), 'ft-serve-bench-'));
  try {
    const folder = lib.writeTinyModelFolder(join(dir, 'model'), TOY.shape);
    const engine = await lib.createOnnxEngine(folder, { workerScript: WORKER });
    const server = await lib.startChatServer({ engine, token: TOKEN, maxQueue: 64 });
    const params = { maxTokens: TOKENS, temperature: 0 };
    const rounds = [];
    try {
      const warm = await direct(engine, params);
      for (let r = 0; r < ROUNDS; r++) {
        // generate alone, then each concurrency, then generate alone again: the baseline brackets the server runs.
        const before = await direct(engine, params);
        const byN = {};
        for (const n of CONCURRENCY) byN[n] = await streams(lib, server.url, n, warm.text);
        const afterRun = await direct(engine, params);
        if (before.text !== warm.text || afterRun.text !== warm.text) throw new Error('generate alone changed its answer');
        rounds.push({ baseline: { rate: (before.rate + afterRun.rate) / 2, ttftMs: (before.ttftMs + afterRun.ttftMs) / 2 }, byN });
      }
    } finally {
      await server.stop();
      await engine.dispose();
    }
    const baseRate = median(rounds.map((r) => r.baseline.rate));
    const baseTtft = median(rounds.map((r) => r.baseline.ttftMs));
    const rows = CONCURRENCY.map((n) => {
      const m = (pick) => median(rounds.map((r) => pick(r.byN[n])));
      return { n, total: m((x) => x.total), perStream: m((x) => x.perStream), ttftP95: m((x) => x.ttftP95), ratio: median(rounds.map((r) => r.byN[n].total / r.baseline.rate)) };
    });
    console.log([
      `Local server benchmark: ${TOKENS} new tokens per answer, greedy; toy decoder ${LAYERS} layers, hidden ${HIDDEN}, vocabulary ${VOCAB.toLocaleString('en-US')}; ${ROUNDS} rounds, medians`,
      machineLine(load0),
      `generate alone (engine called directly): ${baseRate.toFixed(1)} tokens/s, first token ${baseTtft.toFixed(0)} ms`,
      ...rows.map((r) => `${String(r.n).padStart(2)} stream${r.n > 1 ? 's' : ' '} through the server: ${r.total.toFixed(1)} tokens/s total (${r.ratio.toFixed(2)}× generate alone), ${r.perStream.toFixed(1)} tokens/s per stream, first token p95 ${r.ttftP95.toFixed(0)} ms`),
      'every answer equal to generate alone: yes',
    ].join('\n'));
    if (MARKDOWN) {
      console.log(`\n| date | streams | total tokens/s | vs generate alone | per stream tokens/s | first token p95 |\n|---|---:|---:|---:|---:|---:|`);
      const date = new Date().toISOString().slice(0, 10);
      console.log(`| ${date} | generate alone | ${baseRate.toFixed(1)} | 1× | ${baseRate.toFixed(1)} | ${baseTtft.toFixed(0)} ms |`);
      for (const r of rows) console.log(`| ${date} | ${r.n} | ${r.total.toFixed(1)} | **${r.ratio.toFixed(2)}×** | ${r.perStream.toFixed(1)} | ${r.ttftP95.toFixed(0)} ms |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
