// ROUGE-L's LCS computed 32 columns at a time equals rouge_score._lcs's table (the row-by-row recurrence), on
// lengths around the 32-bit word boundaries and on long sequences over small and large alphabets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lcsLength, lcsLengthByRows } from '../../../src/core/metrics/rouge';
import { prng } from '../../fixtures/metrics/corpus.mjs';

describe('ROUGE-L longest common subsequence', () => {
  it('bit-vector LCS equals the table on random sequences', () => {
    const rand = prng(17);
    const lengths = [0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 500, 2000];
    let checked = 0;
    for (const n of lengths) {
      for (const m of lengths) {
        for (const alphabet of [2, 5, 50, 3000]) {
          const x = Int32Array.from({ length: n }, () => Math.floor(rand() * alphabet));
          const y = Int32Array.from({ length: m }, () => Math.floor(rand() * alphabet));
          if (n * m > 400_000 && alphabet !== 5) continue;
          assert.equal(lcsLength(x, y, alphabet), lcsLengthByRows(x, y), `n=${n} m=${m} alphabet=${alphabet}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 400);
    const same = Int32Array.from({ length: 1000 }, (_, i) => i % 7);
    assert.equal(lcsLength(same, same, 7), 1000);
  });
});
