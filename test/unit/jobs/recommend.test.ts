import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LEARNING_RATES, RECOMMENDED_FIELDS, recommend, trainingSamples } from '../../../src/core/jobs/recommend';
import { jobMessage, jobMessageKeys } from '../../../src/core/jobs/messages';
import { computeStats, type SampleTokens } from '../../../src/core/tokens/stats';

/** Token statistics of `n` samples: `long` of them `longTokens` long, the rest `tokens` long. */
function stats(n: number, tokens: number, long = 0, longTokens = 6000) {
  const samples: SampleTokens[] = [];
  for (let i = 0; i < n; i++) {
    const t = i < long ? longTokens : tokens;
    samples.push({ line: i + 1, tokens: t, trainTokens: Math.round(t / 2) });
  }
  return computeStats(samples);
}

describe('hyperparameter recommendations', () => {
  it('epochs follow the seed table by dataset size', () => {
    for (const [samples, epochs] of [[100, 15], [1000, 10], [10000, 2], [50, 15], [50000, 2]] as const) {
      const r = recommend({ method: 'lora', samples }, 'en');
      assert.equal(r.values.epochs, epochs, `${samples} samples`);
      assert.match(r.reasons.epochs, new RegExp(`^${samples} samples → ${epochs} epochs`));
    }
    const between = recommend({ method: 'lora', samples: 300 }, 'en').values.epochs;
    assert.ok(between < 15 && between > 10, `300 samples: ${between}`);
    const none = recommend({ method: 'lora' }, 'en');
    assert.equal(none.values.epochs, 10);
    assert.match(none.reasons.epochs, /No samples counted yet/);
  });

  it('learning rate by method, with the reason', () => {
    assert.equal(recommend({ method: 'lora', samples: 100 }, 'en').values.learningRate, 2e-4);
    assert.equal(recommend({ method: 'full', samples: 100 }, 'en').values.learningRate, 1e-5);
    assert.equal(recommend({ method: 'p_tuning', samples: 100 }, 'en').values.learningRate, 1e-3);
    assert.equal(recommend({ method: 'prefix_tuning', samples: 100 }, 'en').values.learningRate, 1e-2);
    assert.ok(LEARNING_RATES.full < LEARNING_RATES.lora && LEARNING_RATES.lora < LEARNING_RATES.p_tuning);
    assert.match(recommend({ method: 'full', samples: 100 }, 'en').reasons.learningRate, /^Full fine-tuning/);
    assert.match(recommend({ method: 'full', samples: 100 }, 'zh-cn').reasons.learningRate, /^全参微调/);
  });

  it('maximum length by the 4k/8k rule of the token statistics', () => {
    const short = recommend({ method: 'lora', samples: 1000, tokens: stats(1000, 800) }, 'en');
    assert.equal(short.values.maxLength, 4096);
    assert.match(short.reasons.maxLength, /100\.0% of samples fit in 4k tokens \(p99 800, longest 800\)/);

    // 3% over 4k: still a 4k model; the long ones are dropped, and the line says how many.
    const fewLong = recommend({ method: 'lora', samples: 1000, tokens: stats(1000, 2000, 30) }, 'en');
    assert.equal(fewLong.values.maxLength, 4096);
    assert.match(fewLong.reasons.maxLength, /the 30 longer sample\(s\) are dropped/);

    // 10% over 4k: between the rules; 4096 with the advice to pick 8192 when long inputs matter.
    const between = recommend({ method: 'lora', samples: 100, tokens: stats(100, 2000, 10) }, 'en');
    assert.equal(between.values.maxLength, 4096);
    assert.match(between.reasons.maxLength, /10\.0% of samples are over 4k.*8192/);

    // 20% over 4k exactly: the 8k model, one sample per device.
    const long = recommend({ method: 'lora', samples: 100, tokens: stats(100, 3000, 20) }, 'en');
    assert.equal(long.values.maxLength, 8192);
    assert.equal(long.values.batchSize, 1);
    assert.match(long.reasons.maxLength, /20\.0% of samples are over 4k tokens \(20% or more; p99 6000, longest 6000\): 8192/);
    assert.match(long.reasons.batchSize, /one per device/);

    const unknown = recommend({ method: 'lora', samples: 100 }, 'zh-cn');
    assert.equal(unknown.values.maxLength, 4096);
    assert.match(unknown.reasons.maxLength, /没有 token 统计/);
  });

  it('batch size and accumulation suit the dataset size and sample length', () => {
    const small = recommend({ method: 'lora', samples: 60, tokens: stats(60, 300) }, 'en').values;
    assert.deepEqual([small.batchSize, small.gradientAccumulation], [4, 2]);
    const medium = recommend({ method: 'lora', samples: 1000, tokens: stats(1000, 2000) }, 'en');
    assert.deepEqual([medium.values.batchSize, medium.values.gradientAccumulation], [2, 8]);
    assert.match(medium.reasons.gradientAccumulation, /^2 per device × 8 accumulation = 16 samples a step: .*63 steps an epoch/);
    assert.match(medium.reasons.batchSize, /^2 per device: samples of ordinary length/);
    assert.notEqual(medium.reasons.batchSize, medium.reasons.gradientAccumulation, 'each field says its own reason');
    // 8 samples: a smaller batch so an epoch still has 4 steps (not "enough steps per epoch (1)").
    const tiny = recommend({ method: 'lora', samples: 8, tokens: stats(8, 300) }, 'en');
    assert.deepEqual([tiny.values.batchSize, tiny.values.gradientAccumulation], [2, 1]);
    assert.match(tiny.reasons.gradientAccumulation, /4 steps an epoch/);
    const large = recommend({ method: 'lora', samples: 20000 }, 'en').values;
    assert.equal(large.batchSize * large.gradientAccumulation, 32);
  });

  it('every field has a reason, in both languages, with no placeholder left', () => {
    for (const locale of ['en', 'zh-cn'] as const) {
      for (const input of [{ method: 'lora' as const }, { method: 'full' as const, samples: 5, tokens: stats(5, 9000, 5, 9000) }]) {
        const r = recommend(input, locale);
        for (const field of RECOMMENDED_FIELDS) {
          assert.ok(r.reasons[field].length > 10, `${locale} ${field}`);
          assert.doesNotMatch(r.reasons[field], /\{\w+\}/, `${locale} ${field}: ${r.reasons[field]}`);
        }
      }
    }
    for (const key of jobMessageKeys()) {
      assert.ok(jobMessage('zh-cn', key).length > 0);
      assert.match(jobMessage('zh-cn', key), /[\u4e00-\u9fff]/, `${key} is translated`);
    }
  });

  it('training samples leave out the held-out share only without an eval file', () => {
    assert.equal(trainingSamples(60, false, 0.1), 54);
    assert.equal(trainingSamples(60, true, 0.1), 60);
    assert.equal(trainingSamples(1, false, 0.5), 1);
  });
});
