#!/usr/bin/env node
// ROUGE-L of long pairs (issue 10): the LCS of two long jieba-segmented Chinese texts. Before, lcsLength built one
// match mask per distinct word over the whole reference and, when those masks passed 2^24 32-bit words, fell back to
// rouge_score's row-by-row table (lcsLengthByRows, still there as the tests' reference): a 1 MB pair took minutes.
// Now the reference is taken in blocks of 256 words with masks for each block's words only. This runs, on the same
// word ids in the same run: the new lcsLength, and the path the old code took for that pair (the table past the
// threshold, else the bit vector in one block, which is the new code with an unbounded block); both must agree.
// Also the whole scorer.score() of the pair (jieba, BLEU-4, ROUGE-1/2/L) with the new code.
//
// Run after the build (it needs dist/jieba/):
//   node bench/rougeLong.bench.mjs [--sizes 256,512,1024] [--old-max 512] [--markdown]
// Sizes are KB of UTF-8 per side; the old path is timed up to --old-max KB (the table takes minutes beyond).
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { longChinesePair, prng } from '../test/fixtures/metrics/corpus.mjs';
import { bundleForNode, flag, machineLine, numberOption, option, root } from './lib/nodeBench.mjs';

const SIZES = option('--sizes', '256,512,1024').split(',').map(Number);
const OLD_MAX = numberOption('--old-max', 512);
const MARKDOWN = flag('--markdown');
/** The old code's limit on match masks, in 32-bit words. */
const OLD_MAX_MASK_WORDS = 1 << 24;

async function main() {
  const load0 = loadavg()[0];
  if (!existsSync(join(root, 'dist/jieba/jieba-0.42.1.txt'))) throw new Error('dist/jieba/ is missing: run node esbuild.mjs first');
  mkdirSync(join(root, 'out/bench'), { recursive: true });
  const metrics = await bundleForNode(join(root, 'src/core/metrics/index.ts'), join(root, 'out/bench/metrics.cjs'));
  const rouge = await bundleForNode(join(root, 'src/core/metrics/rouge.ts'), join(root, 'out/bench/rouge.cjs'));
  const scorer = await metrics.createScorer();
  // Warm up both paths (and the scorer) so that the first size does not time the JIT.
  const warm = Int32Array.from({ length: 3000 }, (_, i) => (i * 7919) % 500);
  rouge.lcsLength(warm, warm.slice().reverse(), 500);
  rouge.lcsLengthByRows(warm, warm.slice().reverse());
  scorer.score(...longChinesePair(prng(1), 16 * 1024));
  const rows = [];
  for (const kb of SIZES) {
    const [predict, label] = longChinesePair(prng(kb), kb * 1024);
    // Word ids as rouge.ts numbers them (whitespace-free Chinese: the jieba tokens themselves).
    const ids = new Map();
    const toIds = (tokens) => Int32Array.from(tokens, (t) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1));
    const hyp = toIds(scorer.segment(predict));
    const ref = toIds(scorer.segment(label));
    const time = (fn) => {
      const t0 = performance.now();
      const value = fn();
      return { value, ms: performance.now() - t0 };
    };
    const fresh = time(() => rouge.lcsLength(ref, hyp, ids.size));
    const oldMaskWords = new Set(hyp).size * Math.ceil(hyp.length / 32);
    const oldPath = oldMaskWords > OLD_MAX_MASK_WORDS ? 'table' : 'bit vector, one block';
    const old = kb > OLD_MAX ? undefined
      : time(() => (oldPath === 'table' ? rouge.lcsLengthByRows(ref, hyp) : rouge.lcsLength(ref, hyp, ids.size, Infinity)));
    if (old && old.value !== fresh.value) throw new Error(`${kb} KB: LCS ${fresh.value} (new) vs ${old.value} (old path)`);
    const whole = time(() => scorer.score(predict, label));
    rows.push({ kb, words: [hyp.length, ref.length], distinct: ids.size, oldMaskWords, oldPath, old, fresh, whole, lcs: fresh.value });
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const s = (ms) => (ms / 1000).toFixed(2) + ' s';
  console.log(`ROUGE-L of long Chinese pairs (words: predict, label; LCS computed on the same word ids by both paths)\n${machineLine(load0)}`);
  for (const r of rows) {
    console.log(`${r.kb} KB a side: ${fmt(r.words[0])} + ${fmt(r.words[1])} words, ${fmt(r.distinct)} distinct, LCS ${fmt(r.lcs)}; ` +
      `old path (${r.oldPath}, masks ${fmt(r.oldMaskWords)} words): ${r.old ? s(r.old.ms) : 'not run'}; new lcsLength: ${s(r.fresh.ms)}` +
      (r.old ? `; ratio ${(r.old.ms / r.fresh.ms).toFixed(1)}×` : '') + `; whole score(): ${s(r.whole.ms)}`);
  }
  if (MARKDOWN) {
    console.log('\n| date | size a side | words (predict + label) | old path | old | new lcsLength | ratio | whole score() |\n|---|---:|---:|---|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${new Date().toISOString().slice(0, 10)} | ${r.kb} KB | ${fmt(r.words[0])} + ${fmt(r.words[1])} | ${r.oldPath} | ${r.old ? s(r.old.ms) : 'not run'} | ${s(r.fresh.ms)} | ${r.old ? `**${(r.old.ms / r.fresh.ms).toFixed(1)}×**` : '–'} | ${s(r.whole.ms)} |`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
