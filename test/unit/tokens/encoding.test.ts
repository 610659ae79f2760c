// Exact token ids and counts: @huggingface/tokenizers on the real tokenizer.json files, against ids pinned in
// vectors.json (cross-checked with @lenml/tokenizers and, for Llama 3, OpenAI's tiktoken cl100k_base when written),
// known facts about the vocabularies, and the piecewise prefix counts the statistics use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { PrefixCounter, sectionable, splitTokens, type AddedTokenSpec } from '../../../src/core/tokens/prefixCounts';
import { fixture, modelDir, readJson, type LenmlModel } from './helpers';

const MODELS: LenmlModel[] = ['qwen3', 'llama3', 'deepseek_v3'];
const vectors = readJson<Record<string, { text: string; ids: number[]; cl100kSame?: boolean }[]>>(fixture('vectors.json'));

const raw = new Map<LenmlModel, { tokenizer: Tokenizer; json: { added_tokens: AddedTokenSpec[]; pre_tokenizer: unknown; normalizer: unknown } }>();
function tokenizerOf(model: LenmlModel) {
  if (!raw.has(model)) {
    const json = JSON.parse(readFileSync(`${modelDir(model)}/tokenizer.json`, 'utf8'));
    raw.set(model, { tokenizer: new Tokenizer(json, JSON.parse(readFileSync(`${modelDir(model)}/tokenizer_config.json`, 'utf8'))), json });
  }
  return raw.get(model)!;
}

describe('token ids', () => {
  for (const model of MODELS) {
    it(`${model}: every pinned vector`, () => {
      const { tokenizer } = tokenizerOf(model);
      for (const { text, ids } of vectors[model]!) assert.deepEqual(tokenizer.encode(text, { add_special_tokens: false }).ids, ids, JSON.stringify(text));
    });
  }

  it('the Llama 3 vectors that OpenAI tiktoken cl100k_base agreed with cover English, code, whitespace and contractions', () => {
    const agreed = vectors['llama3']!.filter((v) => v.cl100kSame).map((v) => v.text);
    assert.ok(agreed.length >= 12);
    assert.ok(agreed.some((t) => t.includes("Don't")) && agreed.some((t) => t.includes('def add')) && agreed.some((t) => t.includes('\r\n')));
  });

  it('known vocabulary facts: Qwen chat markers and Llama 3 headers are single tokens', () => {
    const qwen = tokenizerOf('qwen3').tokenizer;
    assert.deepEqual(qwen.encode('<|im_start|>', { add_special_tokens: false }).ids, [151644]);
    assert.deepEqual(qwen.encode('<|im_end|>\n', { add_special_tokens: false }).ids, [151645, 198]);
    assert.deepEqual(qwen.encode('<think></think>', { add_special_tokens: false }).ids, [151667, 151668]);
    assert.deepEqual(qwen.encode('Hello world', { add_special_tokens: false }).ids, [9707, 1879]);
    const llama = tokenizerOf('llama3').tokenizer;
    assert.deepEqual(llama.encode('<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n', { add_special_tokens: false }).ids, [128000, 128006, 882, 128007, 271]);
    assert.deepEqual(llama.encode('Hello World', { add_special_tokens: false }).ids, [9906, 4435]);
    assert.deepEqual(llama.encode('Hi', { add_special_tokens: true }).ids, [13347], 'this (original release) Llama 3 tokenizer.json adds no BOS');
    assert.deepEqual(qwen.encode('Hi', { add_special_tokens: true }).ids, [13048], 'Qwen adds nothing');
  });
});

describe('piecewise prefix counts', () => {
  for (const model of MODELS) {
    it(`${model}: totals and every prefix equal a whole encode`, () => {
      const { tokenizer, json } = tokenizerOf(model);
      assert.equal(sectionable(json), true);
      const count = (s: string) => tokenizer.tokenize(s).length;
      const counter = new PrefixCounter(count, splitTokens(json));
      for (const { text, ids } of vectors[model]!) assert.equal(counter.prefixes(text).total, ids.length, JSON.stringify(text));
      const chat = vectors[model]!.find((v) => v.text.startsWith(model === 'qwen3' || model === 'deepseek_v3' ? '<|im_start|>' : '<|begin_of_text|>'))!.text + ' tail 你好';
      const prefixes = counter.prefixes(chat);
      for (let end = 0; end <= chat.length; end++) assert.equal(prefixes.upTo(end), count(chat.slice(0, end)), `${model} prefix ${end}`);
    });
  }

  it('is refused for tokenizers where pieces are not independent, and can encode whole instead', () => {
    assert.equal(sectionable({ added_tokens: [{ content: '<mask>', lstrip: true }] }), false);
    assert.equal(sectionable({ pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first' } }), false);
    assert.equal(sectionable({ pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always' } }), true);
    let calls = 0;
    const whole = new PrefixCounter((s) => { calls++; return s.length; }, ['<s>'], false);
    const p = whole.prefixes('ab<s>cd');
    assert.deepEqual([p.total, p.upTo(3), p.upTo(0), calls], [7, 3, 0, 2]);
  });

  it('splits at the longest added token, counting each as one, and caches repeated pieces', () => {
    const seen: string[] = [];
    const counter = new PrefixCounter((s) => { seen.push(s); return s.length; }, ['<a>', '<ab>', '<']);
    assert.equal(counter.countText('x<ab>y<a>z'), 1 + 1 + 1 + 1 + 1);
    assert.equal(counter.countText('x<ab>y'), 3);
    assert.deepEqual(seen, ['x', 'y', 'z'], 'pieces are counted once, then cached');
    const p = counter.prefixes('hello<a>world');
    assert.deepEqual([p.upTo(2), p.upTo(5), p.upTo(8), p.upTo(10), p.upTo(99)], [2, 5, 6, 8, 11]);
  });
});
