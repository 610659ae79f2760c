// Percentiles, the context and epoch recommendations, on constructed distributions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeStats, contextAdvice, epochsExact, percentile, recommendedEpochs, type SampleTokens } from '../../../src/core/tokens/stats';

/** Samples with the given token counts, lines 1.., trained tokens half of each. */
const samples = (tokens: number[]): SampleTokens[] => tokens.map((t, i) => ({ line: i + 1, tokens: t, trainTokens: Math.floor(t / 2) }));
const repeat = (n: number, value: number) => Array.from({ length: n }, () => value);

describe('percentile (nearest rank)', () => {
  it('is sorted[ceil(p/100 × n) − 1]', () => {
    const values = Array.from({ length: 10 }, (_, i) => (i + 1) * 10); // 10..100
    assert.deepEqual([0, 10, 50, 51, 90, 95, 99, 100].map((p) => percentile(values, p)), [10, 10, 50, 60, 90, 100, 100, 100]);
    assert.equal(percentile([7], 50), 7);
    assert.equal(percentile([], 50), 0);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual([50, 90, 95, 99].map((p) => percentile(hundred, p)), [50, 90, 95, 99]);
  });
});

describe('context recommendation', () => {
  it('95% within 4k exactly is enough for a 4k model; one sample more over 4k is not', () => {
    assert.equal(contextAdvice(20, 1), '4k');
    assert.equal(contextAdvice(20, 2), 'between');
    assert.equal(contextAdvice(1000, 50), '4k');
    assert.equal(contextAdvice(1000, 51), 'between');
  });

  it('20% over 4k exactly calls for 8k; just under does not', () => {
    assert.equal(contextAdvice(5, 1), '8k');
    assert.equal(contextAdvice(1000, 200), '8k');
    assert.equal(contextAdvice(1000, 199), 'between');
    assert.equal(contextAdvice(0, 0), 'none');
  });

  it('over 4k means more than 4096 tokens (4096 fits a 4k context)', () => {
    const s = computeStats(samples([...repeat(18, 100), 4096, 4097]));
    assert.equal(s.over4k, 1 / 20);
    assert.equal(s.recommendation.context, '4k');
    assert.deepEqual(s.recommendation.longSamples, [{ line: 20, tokens: 4097 }]);
  });

  it('between: lists the long samples by line, longest first, and says to drop or truncate them', () => {
    const s = computeStats(samples([...repeat(90, 500), 5000, 9000, 4500, 4200, 4300, 4400, ...repeat(4, 600)]), { locale: 'en' });
    assert.equal(s.recommendation.context, 'between', '6% over 4k');
    assert.deepEqual(s.recommendation.longSamples.map((l) => l.line), [92, 91, 93, 96, 95, 94]);
    assert.deepEqual(s.recommendation.over8kSamples, [{ line: 92, tokens: 9000 }]);
    assert.equal(s.over8k, 0.01);
    const text = s.recommendation.messages.join('\n');
    assert.match(text, /drop or truncate/);
    assert.match(text, /92: 9000, 91: 5000, 93: 4500, 96: 4400/);
    assert.match(text, /longer than 8k/);
  });

  it('speaks Chinese too, and keeps long lists short', () => {
    const s = computeStats(samples([...repeat(85, 100), ...repeat(15, 5000)]), { locale: 'zh-cn', listLimit: 3 });
    assert.equal(s.recommendation.context, 'between');
    const text = s.recommendation.messages.join('\n');
    assert.match(text, /删除或截断/);
    assert.match(text, /另有 12 个/);
    assert.match(text, /训练轮数/);
  });

  it('8k: says to use the 8k version', () => {
    const s = computeStats(samples([...repeat(8, 1000), 5000, 6000]));
    assert.equal(s.recommendation.context, '8k');
    assert.match(s.recommendation.messages[0]!, /8k version/);
  });
});

describe('epoch recommendation', () => {
  it('hits the guide’s points', () => {
    assert.deepEqual([100, 1000, 10000].map(epochsExact), [15, 10, 2]);
  });

  it('interpolates on a log10 scale between them', () => {
    assert.ok(Math.abs(epochsExact(Math.round(10 ** 2.5)) - 12.5) < 0.01);
    assert.ok(Math.abs(epochsExact(Math.round(10 ** 3.5)) - 6) < 0.01);
    assert.ok(Math.abs(epochsExact(500) - (15 - 5 * Math.log10(5))) < 1e-9);
    assert.deepEqual([200, 500, 2000, 5000].map(recommendedEpochs), [13, 12, 8, 4]);
  });

  it('clamps outside', () => {
    assert.deepEqual([1, 50, 99, 20000, 1e6].map(epochsExact), [15, 15, 15, 2, 2]);
  });

  it('multiplies trained tokens by the epochs', () => {
    const s = computeStats(samples(repeat(1000, 300)));
    assert.equal(s.trainTokens, 150_000);
    assert.equal(s.recommendation.epochs, 10);
    assert.equal(s.recommendation.trainTokensTimesEpochs, 1_500_000);
    assert.match(s.recommendation.messages.at(-1)!, /150,000 per epoch × 10 epochs = 1,500,000/);
  });
});

describe('summary numbers', () => {
  it('mean, percentiles and max of the token counts', () => {
    const s = computeStats(samples([10, 20, 30, 40, 1000]));
    assert.deepEqual(s.tokens, { mean: 220, p50: 30, p90: 1000, p95: 1000, p99: 1000, max: 1000 });
    assert.equal(s.totalTokens, 1100);
    assert.equal(s.samples, 5);
  });

  it('no samples: zeros and a single message', () => {
    const s = computeStats([]);
    assert.deepEqual([s.samples, s.tokens.max, s.over4k, s.recommendation.context, s.recommendation.messages.length], [0, 0, 0, 'none', 1]);
  });
});
