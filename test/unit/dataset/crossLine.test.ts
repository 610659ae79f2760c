// FT040-FT044 (duplicates, conflicting labels, train/eval overlap), FT050-FT051 (size), and the cap.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetLinter } from '../../../src/core/dataset/checks/linter';
import { findOverlap } from '../../../src/core/dataset/checks/overlap';
import { assistant, chat, codes, good, lint, only, user } from './helpers';

describe('FT040 / FT041 duplicates', () => {
  it('FT040 an exact duplicate, pointing at the first copy', () => {
    const r = lint([good(1), good(2), good(1), good(1)]);
    const dups = r.diagnostics.filter((d) => d.code === 'FT040');
    assert.deepEqual(dups.map((d) => d.span.line), [2, 3]);
    assert.deepEqual(dups[0]!.related?.map((x) => x.span), [{ line: 0, column: 0, endLine: 0, endColumn: good(1).length }]);
    assert.match(dups[0]!.message, /Exact duplicate of line 1/);
    assert.equal(dups[0]!.severity, 'warning');
  });

  it('FT041 a copy that differs only in white space or letter case, not FT040', () => {
    const a = chat(user('Hello  there'), assistant('Fine.'));
    const b = JSON.stringify({ messages: [{ role: 'user', content: ' hello there ' }, { role: 'assistant', content: 'fine.' }] }, null, 0).replace(/,/g, ', ');
    const r = lint([a, b]);
    assert.deepEqual(codes(r).filter((c) => !c.startsWith('FT050')), ['FT041@2']);
    assert.match(only(r, 'FT041').message, /line 1/);
  });

  it('is not fooled by different conversations with the same words split differently', () => {
    const r = lint([chat(user('ab'), assistant('c')), chat(user('a'), assistant('bc'))]);
    assert.deepEqual(codes(r).filter((c) => !c.startsWith('FT050')), []);
  });

  it('points every later copy at the first occurrence of the sample', () => {
    const a = chat(user('q'), assistant('a'));
    const spaced = JSON.stringify({ messages: [user('q '), assistant('a')] });
    const r = lint([a, spaced, spaced]);
    assert.deepEqual(codes(r).filter((c) => !c.startsWith('FT050')), ['FT041@2', 'FT041@3']);
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'FT041').map((d) => d.related?.[0]?.span.line), [0, 0]);
  });

  it('finds copies of samples it cannot read as a format, too', () => {
    const r = lint([JSON.stringify({ question: 'q' }), JSON.stringify({ question: 'q' })]);
    assert.deepEqual(codes(r).filter((c) => !c.startsWith('FT050')), ['FT010@1', 'FT010@2', 'FT040@2']);
  });

  it('treats the same sample in another format as a near duplicate', () => {
    const r = lint([chat(user('q'), assistant('a')), JSON.stringify({ instruction: 'q', output: 'a' })]);
    assert.ok(r.diagnostics.some((d) => d.code === 'FT041' && d.span.line === 1));
  });
});

describe('FT042 same prompt, different answer', () => {
  it('reports the second answer to one prompt', () => {
    const r = lint([chat(user('头痛'), assistant('歇息')), chat(user('头痛'), assistant('喝药'))]);
    assert.deepEqual(codes(r).filter((c) => !c.startsWith('FT050')), ['FT042@2']);
    assert.equal(only(r, 'FT042').related?.[0]?.span.line, 0);
  });

  it('not for different prompts', () => {
    assert.equal(lint([chat(user('头痛'), assistant('歇息')), chat(user('脚痛'), assistant('歇息'))]).diagnostics.filter((d) => d.code === 'FT042').length, 0);
  });
});

describe('FT043 / FT044 train/eval overlap', () => {
  const train = [good(1), good(2), chat(user('头痛'), assistant('歇息'))];

  function trainKeys() {
    const linter = new DatasetLinter({ collectSampleKeys: true });
    train.forEach((line, i) => linter.push(line, i));
    linter.finish();
    return linter.sampleKeys();
  }

  it('reports eval samples also in train (FT043) and prompts also in train (FT044)', () => {
    const evalLines = [good(7), good(2), chat(user('头痛'), assistant('喝药'))];
    const r = lint(evalLines, { split: 'eval', overlapWith: [{ keys: trainKeys(), file: 'train.jsonl' }] });
    assert.deepEqual(codes(r), ['FT043@2', 'FT044@3']);
    assert.match(only(r, 'FT043').message, /also in the training data \(train\.jsonl line 2\)/);
  });

  it('findOverlap lists the same, with the train lines', () => {
    const hits = findOverlap(trainKeys(), [good(7), good(2), chat(user('头痛'), assistant('喝药'))].join('\n'));
    assert.deepEqual(hits, [{ evalLine: 1, trainLine: 1, kind: 'sample' }, { evalLine: 2, trainLine: 2, kind: 'prompt' }]);
  });

  it('reports nothing for disjoint files', () => {
    assert.deepEqual(findOverlap(trainKeys(), good(9)), []);
  });
});

describe('FT050 / FT051 dataset size', () => {
  it('FT050 information on line 1 when far below the ~1000 samples the seed page advises', () => {
    const d = only(lint([good(1), good(2)]), 'FT050');
    assert.equal(d.severity, 'information');
    assert.equal(d.span.line, 0);
    assert.match(d.message, /2 samples: models under 20B parameters usually need about 1000/);
  });

  it('no FT050 with 500 samples or more, or for an eval file', () => {
    const lines = Array.from({ length: 500 }, (_, i) => good(i));
    assert.equal(lint(lines).diagnostics.length, 0);
    assert.equal(lint([good()], { split: 'eval' }).diagnostics.length, 0);
  });

  it('FT051 for an empty file, a blank file, and a file with no sample', () => {
    assert.deepEqual(codes(lint([])), ['FT051@1']);
    assert.deepEqual(codes(lint(['', ''])), ['FT004@1', 'FT051@1', 'FT004@2']);
    assert.match(only(lint(['{']), 'FT051').message, /no line holds a JSON object/);
  });
});

describe('maxDiagnostics', () => {
  it('keeps the first N by position and counts the rest, errors included', () => {
    const lines = Array.from({ length: 50 }, () => '{"broken": ');
    const r = lint(lines, { maxDiagnostics: 10 });
    assert.equal(r.diagnostics.length, 10);
    assert.deepEqual(r.diagnostics.map((d) => d.span.line), [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(r.omitted, 41);
    assert.equal(r.counts?.error, 51);
  });
});
