// Issue 10: ROUGE-L of long texts. The LCS used to fall back to rouge_score's quadratic table beyond 2^24 mask
// words (a 1 MB Chinese pair took over 150 s); it now takes the reference in blocks of columns with masks for each
// block's ids only, so its memory is bounded, and it must still equal the table exactly. Sides longer than
// ROUGE_L_MAX_WORDS are cut for ROUGE-L only, and the sample says so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createScorer, rougeLCutNote } from '../../../src/core/metrics';
import { lcsLength, lcsLengthByRows, rougeScores, ROUGE_L_MAX_WORDS } from '../../../src/core/metrics/rouge';
import { longChinesePair, prng } from '../../fixtures/metrics/corpus.mjs';

const ids = (rand: () => number, length: number, alphabet: number, skew: number) =>
  Int32Array.from({ length }, () => Math.floor(rand() ** skew * alphabet));

describe('ROUGE-L on long texts (issue 10)', () => {
  it('the blocked bit-vector LCS equals rouge_score\'s table on many seeded pairs, across block boundaries', () => {
    const rand = prng(20261207);
    let multiBlock = 0;
    for (let k = 0; k < 1500; k++) {
      const n = Math.floor(rand() * 400);
      const m = Math.floor(rand() * 400);
      const alphabet = 1 + Math.floor(rand() ** 2 * 500);
      const skew = 1 + rand() * 3;
      const x = ids(rand, n, alphabet, skew);
      // Some pairs share a long stretch, so carries run across many words and blocks.
      const y = rand() < 0.3 ? Int32Array.from(x.subarray(0, m)).map((v) => (rand() < 0.1 ? Math.floor(rand() * alphabet) : v)) : ids(rand, m, alphabet, skew);
      // Blocks of 1 to 3 words: the 2^24-word threshold scaled down to a few columns, so most pairs span blocks.
      const blockWords = 1 + Math.floor(rand() * 3);
      if (y.length > blockWords * 32) multiBlock++;
      const expected = lcsLengthByRows(x, y);
      assert.equal(lcsLength(x, y, alphabet, blockWords), expected, `pair ${k}: n=${n} m=${y.length} alphabet=${alphabet} blockWords=${blockWords}`);
      assert.equal(lcsLength(x, y, alphabet), expected, `pair ${k} with the default blocks`);
    }
    assert.ok(multiBlock > 800, `only ${multiBlock} pairs spanned several blocks`);
  });

  it('equals the table on pairs past the old 2^24-word threshold (more distinct words × words than it allowed)', () => {
    const rand = prng(7);
    // 9,000 words over 8,000 ids: the old masks would have needed about 7,000 distinct × 282 words > 2^21; with
    // 8-word blocks the scaled threshold is crossed many times over.
    const x = ids(rand, 9000, 8000, 1.5);
    const y = Int32Array.from(x).map((v) => (rand() < 0.2 ? Math.floor(rand() * 8000) : v));
    const expected = lcsLengthByRows(x, y);
    assert.equal(lcsLength(x, y, 8000, 8), expected);
    assert.equal(lcsLength(x, y, 8000), expected);
    assert.ok(expected > 6000 && expected < 9000, `LCS ${expected}`);
  });

  it('scores a ~1 MB Chinese pair in bounded memory, ROUGE-L on every word', async () => {
    // The prediction keeps the label's first half (a tenth of its characters replaced), then other text.
    const [predict, label] = longChinesePair(prng(1207), 1 << 20);
    const scorer = await createScorer();
    const before = process.resourceUsage().maxRSS;
    const scores = scorer.score(predict, label);
    const grewMb = (process.resourceUsage().maxRSS - before) / 1024;
    const words = [scorer.segment(predict).length, scorer.segment(label).length];
    assert.ok(words.every((w) => w > 100_000 && w <= ROUGE_L_MAX_WORDS), `words ${words.join(', ')}`);
    assert.equal(scores.rougeLCut, undefined);
    // Half the label is kept in order (a tenth of it replaced), and the rest shares the vocabulary: ROUGE-L recall
    // is above 45% (most of the kept half) and far from 100%.
    assert.ok(scores.rouge['rouge-l'].r > 45 && scores.rouge['rouge-l'].r < 90, JSON.stringify(scores.rouge['rouge-l']));
    // The masks of all distinct words over all 32-bit words of the label would take gigabytes.
    assert.ok(grewMb < 256, `peak memory grew by ${grewMb.toFixed(0)} MB while scoring`);
  });

  it('cuts ROUGE-L (only) at the word limit and says so in the sample, in English and Chinese', async () => {
    const rand = prng(3);
    const words = (n: number) => Array.from({ length: n }, () => `w${Math.floor(rand() * 50)}`);
    const hyp = words(300);
    const ref = words(200);
    const full = rougeScores(hyp, ref);
    assert.equal(full.cut, undefined);
    const cut = rougeScores(hyp, ref, 150);
    assert.deepEqual(cut.cut, { limit: 150, predictWords: 300, labelWords: 200 });
    assert.deepEqual(cut['rouge-1'], full['rouge-1']);
    assert.deepEqual(cut['rouge-2'], full['rouge-2']);
    // ROUGE-L of the first 150 words of each side, exactly.
    assert.deepEqual(cut['rouge-l'], rougeScores(hyp.slice(0, 150), ref.slice(0, 150))['rouge-l']);
    assert.notDeepEqual(cut['rouge-l'], full['rouge-l']);
    assert.match(rougeLCutNote(cut.cut!, 'en'), /first 150 words .*prediction has 300, the label 200/);
    assert.match(rougeLCutNote(cut.cut!, 'zh-cn'), /前 150 个词.*预测有 300 个，参考答案有 200 个/);
    // The scorer's sample carries it (the CLI prints the note, scores.json keeps it); a short pair has none.
    const scorer = await createScorer({ segmentation: 'whitespace', maxLcsWords: 150 });
    assert.deepEqual(scorer.score(hyp.join(' '), ref.join(' ')).rougeLCut, { limit: 150, predictWords: 300, labelWords: 200 });
    assert.equal(scorer.score('a b', 'a c').rougeLCut, undefined);
  });

  it('the metrics CLI names the line whose ROUGE-L was cut, and --json carries rougeLCut', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rouge-cut-'));
    try {
      const file = path.join(dir, 'generated_predictions.jsonl');
      // A short prediction keeps the LCS cheap however long the label is: 300,000 characters, one word each.
      const label = '江湖少侠'.repeat(75_000);
      writeFileSync(file, [{ predict: '少侠', label: '少侠' }, { predict: '少侠', label }].map((r) => JSON.stringify(r)).join('\n') + '\n');
      const r = spawnSync(process.execPath, ['dist/cli.js', 'metrics', file, '--json', '--segmentation', 'character', '--locale', 'zh-cn'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, `${file}:2: ROUGE-L 只比较了两边各自的前 262,144 个词（预测有 2 个，参考答案有 300,000 个）；ROUGE-1/2 和 BLEU-4 用了全部文本\n`);
      const out = JSON.parse(r.stdout) as { samples: { rougeLCut?: unknown }[] };
      assert.equal(out.samples[0]!.rougeLCut, undefined);
      assert.deepEqual(out.samples[1]!.rougeLCut, { limit: ROUGE_L_MAX_WORDS, predictWords: 2, labelWords: 300_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
