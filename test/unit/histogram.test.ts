import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { histogram } from '../../src/core/overview/histogram';

describe('histogram', () => {
  it('uses round bin widths and counts every value once', () => {
    const values = [0, 99, 100, 101, 950, 4096, 5000];
    const h = histogram(values, 30);
    assert.equal(h.edges[1], 200, '5000/30 ≈ 167 → a width of 200');
    assert.equal(h.counts.reduce((a, b) => a + b, 0), values.length);
    assert.equal(h.counts[0], 4, '0, 99, 100 and 101 are in [0, 200)');
    assert.equal(h.edges.length, h.counts.length + 1);
    assert.equal(h.counts[h.counts.length - 1], 1, 'the maximum falls in the last bin');
  });

  it('handles an empty list and all-zero values', () => {
    assert.deepEqual(histogram([]).counts, [1].map(() => 0));
    assert.deepEqual(histogram([0, 0]).counts, [2]);
  });
});
