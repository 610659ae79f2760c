// Choosing the next token (src/inference/onnx/sampling.ts): greedy, top-k, top-p, repetition penalty, seeds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickToken, seededRandom } from '../../../src/inference/onnx/sampling';

const logits = () => Float32Array.from([1, 5, 3, 4.9, -2]);
const draws = (params: Parameters<typeof pickToken>[2], n = 400, seed = 1) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => pickToken(logits(), new Set(), params, random));
};

describe('sampling', () => {
  it('temperature 0 is the argmax', () => {
    assert.equal(pickToken(logits(), new Set(), { temperature: 0 }, Math.random), 1);
  });

  it('top-k keeps the k most likely; top-p the smallest head reaching p', () => {
    assert.deepEqual([...new Set(draws({ temperature: 1, topK: 2 }))].sort(), [1, 3]);
    // Softmax of [1,5,3,4.9,-2]: 5 and 4.9 hold ~0.84 together, so p = 0.8 keeps just them.
    assert.deepEqual([...new Set(draws({ temperature: 1, topP: 0.8 }))].sort(), [1, 3]);
    assert.equal(new Set(draws({ temperature: 1 })).size >= 4, true);
    assert.deepEqual([...new Set(draws({ temperature: 1, topK: 1 }))], [1]);
  });

  it('top-p alone over a large, flat vocabulary takes as many tokens as reach p (past the first head it looks at)', () => {
    const flat = () => new Float32Array(5000);
    const random = seededRandom(5);
    const picked = Array.from({ length: 3000 }, () => pickToken(flat(), new Set(), { temperature: 1, topP: 0.5 }, random));
    // Equal logits: the head is the lower half by index (ties keep the lower index first).
    assert.ok(picked.every((id) => id <= 2500), `max ${Math.max(...picked)}`); // 2,500 tokens, or one more where float sums fall short of 0.5
    assert.ok(new Set(picked).size > 1000, `${new Set(picked).size} distinct`);
  });

  it('the repetition penalty divides positive logits of tokens seen, multiplies negative ones', () => {
    const l = logits();
    assert.equal(pickToken(l, new Set([1, 4]), { temperature: 0, repetitionPenalty: 2 }, Math.random), 3);
    assert.equal(l[1], 2.5);
    assert.equal(l[4], -4);
  });

  it('the same seed draws the same tokens, another seed others', () => {
    assert.deepEqual(draws({ temperature: 2 }, 50, 7), draws({ temperature: 2 }, 50, 7));
    assert.notDeepEqual(draws({ temperature: 2 }, 50, 7), draws({ temperature: 2 }, 50, 8));
  });
});
