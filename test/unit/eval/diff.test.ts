import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffText, diffTokens, type DiffSegment } from '../../../src/shared/diff';

const answerOf = (segs: DiffSegment[]) => segs.filter((s) => s.op !== 'delete').map((s) => s.text).join('');
const referenceOf = (segs: DiffSegment[]) => segs.filter((s) => s.op !== 'insert').map((s) => s.text).join('');

describe('diff', () => {
  it('splits words, whitespace and each CJK character', () => {
    assert.deepEqual(diffTokens('Take 2 pills, now', 'word'), ['Take', ' ', '2', ' ', 'pills', ',', ' ', 'now']);
    assert.deepEqual(diffTokens('服用Qwen3模型', 'word'), ['服', '用', 'Qwen3', '模', '型']);
    assert.deepEqual(diffTokens('a😀b', 'character'), ['a', '😀', 'b']);
  });

  it('marks what the answer adds and what it misses', () => {
    assert.deepEqual(diffText('the quick brown fox', 'the slow brown fox jumps'), [
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' brown fox' },
      { op: 'insert', text: ' jumps' },
    ]);
    assert.deepEqual(diffText('速煮姜枣汤', '速煮一碗姜汤'), [
      { op: 'equal', text: '速煮' }, { op: 'insert', text: '一碗' }, { op: 'equal', text: '姜' }, { op: 'delete', text: '枣' }, { op: 'equal', text: '汤' },
    ]);
  });

  it('identical, empty and wholly different texts', () => {
    assert.deepEqual(diffText('same', 'same'), [{ op: 'equal', text: 'same' }]);
    assert.deepEqual(diffText('', 'new'), [{ op: 'insert', text: 'new' }]);
    assert.deepEqual(diffText('old', ''), [{ op: 'delete', text: 'old' }]);
    assert.deepEqual(diffText('abc', 'xyz', 'character'), [{ op: 'delete', text: 'abc' }, { op: 'insert', text: 'xyz' }]);
  });

  it('reassembles both texts exactly, on random edits (word and character)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['风', '寒', ' ', 'a', 'bc', '，', '\n', 'd'];
    for (let n = 0; n < 300; n++) {
      const make = () => Array.from({ length: Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const a = make();
      const b = rnd() < 0.5 ? make() : a.slice(0, Math.floor(rnd() * a.length)) + make() + a.slice(Math.floor(rnd() * a.length));
      for (const g of ['word', 'character'] as const) {
        const segs = diffText(a, b, g);
        assert.equal(referenceOf(segs), a);
        assert.equal(answerOf(segs), b);
        for (let i = 1; i < segs.length; i++) assert.notEqual(segs[i]!.op, segs[i - 1]!.op, 'adjacent segments are merged');
      }
    }
  });

  it('gives up cheaply past the edit limit, still covering both texts', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const b = Array.from({ length: 3000 }, (_, i) => `v${i}`).join(' ');
    const segs = diffText(a, b, 'word', 100);
    assert.equal(referenceOf(segs), a);
    assert.equal(answerOf(segs), b);
  });
});
