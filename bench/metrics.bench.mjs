#!/usr/bin/env node
// Metrics benchmark (issue 6, "Performance"): scoring prediction/label pairs (BLEU-4 on characters, ROUGE-1/2/L on
// jieba words, as LLaMA-Factory computes them) with src/core/metrics on one thread, against the Python reference on
// the same pairs in the same run: Debian's jieba 0.42.1 + NLTK 3.8's sentence_bleu + rouge_chinese's algorithm
// (test/fixtures/metrics/reference.py, which times its scoring alone, after jieba.initialize()). Both sides must
// give identical per-sample scores, or the benchmark fails. Also the cold load of Python jieba's dictionary.
//
// Run after the build (it needs dist/jieba/):
//   node bench/metrics.bench.mjs [--pairs N] [--pieces N] [--rounds N] [--markdown]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { randomPairs } from '../test/fixtures/metrics/corpus.mjs';
import { bundleForNode, flag, machineLine, median, numberOption, root } from './lib/nodeBench.mjs';

const PAIRS = numberOption('--pairs', 10000);
/** Longest label in generated pieces (words, numbers, punctuation...); lengths are skewed towards short. */
const PIECES = numberOption('--pieces', 120);
const ROUNDS = numberOption('--rounds', 1);
const MARKDOWN = flag('--markdown');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** src/core/metrics bundled as the product bundles it (jieba data from dist/jieba/). */
async function loadMetrics() {
  if (!existsSync(join(root, 'dist/jieba/jieba-0.42.1.txt'))) throw new Error('dist/jieba/ is missing: run node esbuild.mjs first');
  mkdirSync(join(root, 'out/bench'), { recursive: true });
  const outfile = join(root, 'out/bench/metrics.cjs');
  return { metrics: await bundleForNode(join(root, 'src/core/metrics/index.ts'), outfile), outfile };
}

/** Cold load of the jieba data in fresh processes: read the file and build the trie and tables. */
function coldLoadMs(outfile, times = 5) {
  const script = `const m = require(${JSON.stringify(outfile)}); const t = performance.now();
    m.jiebaDataOnce().then(() => console.log(performance.now() - t));`;
  return median(Array.from({ length: times }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))));
}

const KEYS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'];
const sameScores = (a, b) => KEYS.every((k) => a[k] === b[k]) &&
  KEYS.slice(1).every((k) => ['f', 'p', 'r'].every((s) => a.rouge[k][s] === b.rouge[k][s]));

function python(pairs) {
  const r = spawnSync(PYTHON, [join(root, 'test/fixtures/metrics/reference.py')], {
    input: JSON.stringify({ pairs, segmentation: 'jieba' }), encoding: 'utf8', maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`reference.py failed (apt-get install -y python3-jieba python3-nltk?): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

async function main() {
  const load0 = loadavg()[0];
  const { metrics, outfile } = await loadMetrics();
  const loadMs = coldLoadMs(outfile);
  const scorer = await metrics.createScorer();
  const pairs = randomPairs(PAIRS, 20261125, PIECES);
  const chars = pairs.reduce((n, [p, l]) => n + p.length + l.length, 0);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ours = () => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const samples = pairs.map(([p, l]) => scorer.score(p, l));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000, samples };
    };
    const theirs = () => {
      const ref = python(pairs);
      return { ms: ref.seconds * 1000, cpuMs: ref.cpu_seconds * 1000, samples: ref.samples, loadMs: ref.load_seconds * 1000 };
    };
    const round = {};
    for (const side of r % 2 === 0 ? ['ours', 'python'] : ['python', 'ours']) round[side] = side === 'ours' ? ours() : theirs();
    const differ = round.ours.samples.findIndex((s, i) => !sameScores(s, round.python.samples[i]));
    if (differ >= 0) throw new Error(`pair ${differ} scores differ: ${JSON.stringify(round.ours.samples[differ])} vs ${JSON.stringify(round.python.samples[differ])}`);
    rounds.push(round);
  }
  const oursMs = median(rounds.map((r) => r.ours.ms));
  const pyMs = median(rounds.map((r) => r.python.ms));
  const ratios = rounds.map((r) => r.python.ms / r.ours.ms);
  const cpuRatios = rounds.map((r) => r.python.cpuMs / r.ours.cpuMs);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const report = [
    `Metrics benchmark: ${fmt(PAIRS)} generated pairs (${(chars / PAIRS).toFixed(0)} characters a pair on average, ${fmt(chars)} in all), BLEU-4 + ROUGE-1/2/L with jieba`,
    machineLine(load0),
    `Python (jieba 0.42.1 + NLTK 3.8 sentence_bleu + rouge_chinese's algorithm, scoring only): ${(pyMs / 1000).toFixed(2)} s, ${fmt(PAIRS / (pyMs / 1000))} pairs/s (CPU ${(median(rounds.map((r) => r.python.cpuMs)) / 1000).toFixed(2)} s; jieba.initialize ${fmt(rounds[0].python.loadMs)} ms)`,
    `src/core/metrics (1 thread): ${(oursMs / 1000).toFixed(2)} s, ${fmt(PAIRS / (oursMs / 1000))} pairs/s (CPU ${(median(rounds.map((r) => r.ours.cpuMs)) / 1000).toFixed(2)} s)`,
    `ratio (Python time / ours): ${median(ratios).toFixed(1)}× median of ${ROUNDS}; rounds ${ratios.map((x) => x.toFixed(1)).join(', ')}; CPU-time ratio ${median(cpuRatios).toFixed(1)}× (goal >= 20×)`,
    `jieba data cold load (read dist/jieba/jieba-0.42.1.txt, build trie and HMM tables; median of 5 fresh processes): ${loadMs.toFixed(0)} ms`,
    `identical per-sample scores on all ${fmt(PAIRS)} pairs: yes`,
  ];
  console.log(report.join('\n'));
  if (MARKDOWN) {
    console.log(`\n| date | pairs | Python (scoring only) | ours, 1 thread | ratio (goal ≥ 20×) | CPU-time ratio | jieba data load |\n|---|---:|---:|---:|---:|---:|---:|`);
    console.log(`| ${new Date().toISOString().slice(0, 10)} | ${fmt(PAIRS)} (${(chars / PAIRS).toFixed(0)} chars each) | ${(pyMs / 1000).toFixed(2)} s | ${(oursMs / 1000).toFixed(2)} s | **${median(ratios).toFixed(1)}×** | ${median(cpuRatios).toFixed(1)}× | ${loadMs.toFixed(0)} ms |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
