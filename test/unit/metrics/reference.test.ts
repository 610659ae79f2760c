// Exact agreement with LLaMA-Factory's metrics, computed by Python (test/fixtures/metrics/reference.py: Debian's
// jieba 0.42.1 and NLTK 3.8, rouge_chinese transcribed): every token of jieba.cut on every text, every score of every
// pair to 4 decimals (the values are already rounded to 4 decimals, so they must be equal), and the averages.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createScorer, averageScores, type Scorer, type SampleScores, type Segmentation } from '../../../src/core/metrics';
import { randomPairs, randomText, prng } from '../../fixtures/metrics/corpus.mjs';
import { fixturePairs, runReference } from './reference';

const pairs: [string, string][] = [...fixturePairs(), ...randomPairs(400)];

/** Texts for segmentation only: short random texts and every Python whitespace character in context. */
function extraTexts(): string[] {
  const rand = prng(7);
  const texts: string[] = [];
  for (let i = 0; i < 1500; i++) texts.push(randomText(rand, 1 + Math.floor(rand() * 12)));
  for (let c = 0; c < 0x3001; c++) {
    const ch = String.fromCharCode(c);
    if (/\s/u.test(ch) || (c >= 0x1c && c <= 0x1f) || c === 0x85) texts.push(`中文${ch}English${ch}\r${ch}1e-4`);
  }
  texts.push('\r\n\r\n\n\r', '\ufeff开头', '\u180e蒙古文', '𠀀\ud800\udc00\ud800a\udc00');
  return texts;
}

function compareScores(actual: SampleScores, expected: SampleScores, where: string): void {
  assert.deepEqual(actual, expected, where);
}

describe('metrics against the Python reference (jieba 0.42.1, NLTK 3.8, rouge_chinese)', () => {
  let scorer: Scorer;
  before(async () => {
    scorer = await createScorer();
  });

  it(`segments ${pairs.length * 2} pair texts and 1,500+ more exactly as jieba.cut`, () => {
    const texts = [...pairs.flat(), ...extraTexts()];
    const expected = runReference({ texts }).segments;
    let tokens = 0;
    for (let i = 0; i < texts.length; i++) {
      assert.deepEqual(scorer.segment(texts[i]!), expected[i], `text ${i}: ${JSON.stringify(texts[i])}`);
      tokens += expected[i]!.length;
    }
    assert.ok(tokens > 20_000, `compared ${tokens} tokens`);
  });

  it('segments every line of the README, docs, examples and metrics sources exactly as jieba.cut', () => {
    const files = ['README.md', ...readdirSync('docs').map((f) => `docs/${f}`), ...readdirSync('examples/wuxia-doctor').map((f) => `examples/wuxia-doctor/${f}`),
      ...readdirSync('src/core/metrics').map((f) => `src/core/metrics/${f}`)].filter((f) => /\.(md|jsonl|ts)$/.test(f));
    const texts = files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    const expected = runReference({ texts }).segments;
    const differing = texts.filter((t, i) => JSON.stringify(scorer.segment(t)) !== JSON.stringify(expected[i]));
    assert.deepEqual(differing, []);
    assert.ok(texts.length > 1000, `${texts.length} lines`);
  });

  for (const segmentation of ['jieba', 'whitespace', 'character'] as Segmentation[]) {
    it(`scores ${pairs.length} pairs exactly as LLaMA-Factory (ROUGE words: ${segmentation})`, async () => {
      const s = segmentation === 'jieba' ? scorer : await createScorer({ segmentation });
      const reference = runReference({ pairs, segmentation });
      const samples = pairs.map(([p, l]) => s.score(p, l));
      for (let i = 0; i < pairs.length; i++) compareScores(samples[i]!, reference.samples[i]!, `pair ${i}: ${JSON.stringify(pairs[i])}`);
      const mean = averageScores(samples);
      const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
      for (const k of ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'] as const) assert.equal(round4(mean[k]), round4(reference.mean![k]), k);
      // Not all trivial: the set has partial matches, zeros and full marks.
      const bleu = samples.map((x) => x['bleu-4']);
      assert.ok(bleu.some((v) => v === 0) && bleu.some((v) => v === 100) && bleu.filter((v) => v > 0 && v < 100).length > pairs.length / 2);
    });
  }
});
