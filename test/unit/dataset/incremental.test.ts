// The editor's incremental linter gives exactly what a full lint gives, after any edit, and fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalLinter } from '../../../src/core/dataset/checks/incremental';
import { DatasetLinter, lintText } from '../../../src/core/dataset/checks/linter';
import type { LintOptions } from '../../../src/core/dataset/types';
import { assistant, chat, good, user } from './helpers';

/** A deterministic pseudo-random generator (tests must not flake). */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

const variants = [
  (i: number) => good(i),
  (i: number) => good(i % 3),
  () => '',
  () => '{"messages": [,',
  (i: number) => chat(user(`q${i}`), { role: 'assitant', content: 'a' }),
  () => '\ufeff' + good(1),
  (i: number) => JSON.stringify({ instruction: `q${i}`, output: 'a' }),
  () => chat(user('Q'), assistant('A ')),
  () => chat(user('q'), assistant('a')),
];

describe('IncrementalLinter', () => {
  function trainKeys() {
    const linter = new DatasetLinter({ collectSampleKeys: true });
    [good(1), good(5), chat(user('q'), assistant('other'))].forEach((l, i) => linter.push(l, i));
    linter.finish();
    return linter.sampleKeys();
  }

  const configurations: [string, LintOptions][] = [
    ['a train file, in Chinese, with a small cap', { maxDiagnostics: 25, locale: 'zh-cn' }],
    ['an eval file checked against train', { split: 'eval', overlapWith: [{ keys: trainKeys(), file: 'train.jsonl' }] }],
  ];
  for (const [name, options] of configurations) it(`matches a full lint after each of 300 random edits: ${name}`, () => {
    const next = random(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
    let lines = Array.from({ length: 40 }, (_, i) => good(i));
    const incremental = new IncrementalLinter(options);
    for (let step = 0; step < 300; step++) {
      const at = Math.floor(next() * (lines.length + 1));
      const remove = Math.min(lines.length - at, Math.floor(next() * 3));
      const insert = Array.from({ length: Math.floor(next() * 3) }, (_, k) => pick(variants)(step * 10 + k));
      lines = [...lines.slice(0, at), ...insert, ...lines.slice(at + remove)];
      const text = lines.join('\n') + (next() < 0.8 ? '\n' : '');
      assert.deepEqual(incremental.update(text), lintText(text, options), `step ${step}`);
    }
  });

  it('replaceLines applies an editor change without re-sending the text', () => {
    const lines = [good(1), good(2), good(3)];
    const incremental = new IncrementalLinter();
    incremental.update(lines.join('\n') + '\n');
    const changed = incremental.replaceLines(1, 1, [good(1), '']);
    assert.deepEqual(changed, lintText([good(1), good(1), '', good(3)].join('\n') + '\n'));
  });

  it('re-checks a one-line edit in a 100,000-line file quickly (only that line is parsed)', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => good(i));
    const incremental = new IncrementalLinter({ maxDiagnostics: 500 });
    incremental.update(lines.join('\n') + '\n');
    const times: number[] = [];
    for (let k = 0; k < 20; k++) {
      const at = (Math.floor(k / 2) * 4999) % lines.length; // break a line, then restore it
      const start = performance.now();
      const r = incremental.replaceLines(at, 1, [k % 2 ? good(at) : '{"broken": ']);
      times.push(performance.now() - start);
      assert.equal(r.samples, k % 2 ? 100_000 : 99_999);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.ceil(times.length * 0.95) - 1]!;
    // Generous bound for a loaded CI machine; the benchmark reports the real figure.
    assert.ok(p95 < 300, `p95 ${p95.toFixed(1)} ms`);
  });
});
