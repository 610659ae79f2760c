// The Python semantics the metrics rely on, checked against Python itself: str.isspace and the `\s` of re,
// str.split(), round(x, 4) (ties to even on the binary value), math.fsum and numpy's mean.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fsum, isPySpace, numpyMean, pyRound4, pySplit, pyRstrip } from '../../../src/core/metrics/python';
import { prng } from '../../fixtures/metrics/corpus.mjs';
import { PYTHON, requirePythonReference } from './reference';

function python(code: string, input: unknown): unknown {
  requirePythonReference();
  const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('Python semantics', () => {
  it('isPySpace is str.isspace and re\'s \\s for every code point', () => {
    const [spaces, reSpaces] = python(`
import json, re
print(json.dumps([[c for c in range(0x110000) if chr(c).isspace()], [c for c in range(0x110000) if re.match(r"\\s", chr(c))]]))`, null) as number[][];
    const ours: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isPySpace(c)) ours.push(c);
    assert.deepEqual(ours, spaces);
    assert.deepEqual(ours, reSpaces);
  });

  it('pySplit and pyRstrip are str.split() and str.rstrip()', () => {
    const texts = ['', ' ', 'a', ' a  b\t\nc \u3000d\u00a0e\u001ff\u0085 ', '\ufeffx\ufeff', 'x\u200by', '\r\n末尾\u2028'];
    const expected = python('import json,sys; t=json.load(sys.stdin); print(json.dumps([[s.split(), s.rstrip()] for s in t]))', texts);
    assert.deepEqual(texts.map((t) => [pySplit(t), pyRstrip(t)]), expected);
  });

  it('pyRound4 is round(x, 4), exact ties to even', () => {
    const rand = prng(3);
    const values: number[] = [0, 100, 0.03125, 0.09375, 3.12505, 1 / 3, 2 / 3, 12.34565, 99.99995, 0.00005, 0.00015];
    for (let j = 1; j < 3200; j += 2) values.push(j / 32);
    for (let i = 0; i < 20000; i++) values.push(rand() * 100, Math.round(rand() * 1e6) / 1e5, (Math.round(rand() * 2e5) + 0.5) / 1e5);
    const expected = python('import json,sys; print(json.dumps([round(v, 4) for v in json.load(sys.stdin)]))', values) as number[];
    const wrong = values.filter((v, i) => pyRound4(v) !== expected[i]);
    assert.deepEqual(wrong, []);
    assert.equal(pyRound4(0.03125), 0.0312); // toFixed would give 0.0313
  });

  it('fsum is math.fsum', () => {
    const rand = prng(5);
    const lists: number[][] = [[], [0.1, 0.2, 0.3], [1e100, 1, -1e100], [0.25 * Math.log(0.5), 0.25 * Math.log(0.1), -0.0]];
    for (let i = 0; i < 2000; i++) lists.push(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 15)));
    const expected = python('import json,sys,math; print(json.dumps([math.fsum(l) for l in json.load(sys.stdin)]))', lists) as number[];
    assert.deepEqual(lists.map(fsum), expected);
  });

  it('numpyMean is np.mean', (t) => {
    const rand = prng(9);
    const lists: number[][] = [];
    for (const n of [1, 7, 8, 9, 16, 100, 127, 128, 129, 255, 256, 1000, 4097]) lists.push(Array.from({ length: n }, () => Math.round(rand() * 1e6) / 1e4));
    const r = spawnSync(PYTHON, ['-c', 'import json,sys,numpy as np; print(json.dumps([float(np.mean(l)) for l in json.load(sys.stdin)]))'],
      { input: JSON.stringify(lists), encoding: 'utf8' });
    if (r.status !== 0) return t.skip(`numpy is missing for ${PYTHON} (apt-get install -y python3-numpy): ${r.stderr.trim().split('\n').pop()}`);
    assert.deepEqual(lists.map(numpyMean), JSON.parse(r.stdout));
  });
});
