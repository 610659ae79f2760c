// A followed training log read incrementally (growingLog.ts): appends are read from the last offset and give the
// same run as reading the whole file; a file that shrank, was rewritten or replaced is read whole again; a last
// line without its newline waits for the rest (or is read when it is complete JSON).
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrowingLog } from '../../../src/core/curves/growingLog';
import { importCurves } from '../../../src/core/curves/importers';
import { JsonlCurveReader } from '../../../src/core/curves/jsonlReader';
import { parseJsonWithNaN } from '../../../src/core/curves/importers';

const lf = (step: number, loss = 2 / step) => JSON.stringify({ current_steps: step, total_steps: 100, loss, eval_loss: null, learning_rate: 1e-4, epoch: step / 50 }) + '\n';
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => lf(from + i)).join('');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'growing-log-'));
  file = join(dir, 'trainer_log.jsonl');
});

/** What a whole read of the file as it is now gives. */
const whole = () => importCurves(file, readFileSync(file, 'utf8'));

describe('GrowingLog', () => {
  it('reads an append from the last offset, and gives what a whole read gives', () => {
    writeFileSync(file, lines(1, 50));
    const log = new GrowingLog(file);
    assert.equal(log.read().curves.train.length, 50);
    assert.equal(log.lastRead.kind, 'whole');
    const added = lines(51, 60);
    appendFileSync(file, added);
    const r = log.read();
    assert.deepEqual(log.lastRead, { kind: 'append', bytes: Buffer.byteLength(added) });
    assert.deepEqual(r, whole());
    assert.equal(r.curves.train.at(-1)!.step, 60);
  });

  it('nothing changed: the same result, nothing read, the version kept', () => {
    writeFileSync(file, lines(1, 5));
    const log = new GrowingLog(file);
    const first = log.read();
    const version = log.version;
    assert.equal(log.read(), first);
    assert.equal(log.lastRead.kind, 'unchanged');
    assert.equal(log.version, version);
  });

  it('a file that shrank (truncated, restarted) is read whole again', () => {
    writeFileSync(file, lines(1, 30));
    const log = new GrowingLog(file);
    log.read();
    writeFileSync(file, lines(1, 4));
    const r = log.read();
    assert.equal(log.lastRead.kind, 'whole');
    assert.deepEqual(r.curves.train.map((p) => p.step), [1, 2, 3, 4]);
  });

  it('a file whose earlier bytes changed (rewritten longer) is read whole again', () => {
    writeFileSync(file, lines(1, 10));
    const log = new GrowingLog(file);
    log.read();
    writeFileSync(file, lines(1, 9) + lf(10, 0.5) + lines(11, 12));
    const r = log.read();
    assert.equal(log.lastRead.kind, 'whole');
    assert.equal(r.curves.train.find((p) => p.step === 10)!.loss, 0.5);
  });

  it('another file moved in place of it (a new inode) is read whole again', () => {
    writeFileSync(file, lines(1, 10));
    const log = new GrowingLog(file);
    log.read();
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, lines(1, 10) + lines(11, 12));
    renameSync(other, file);
    log.read();
    assert.equal(log.lastRead.kind, 'whole');
  });

  it('a partial last line waits for the rest of it, then is read', () => {
    const next = lf(6);
    writeFileSync(file, lines(1, 5) + next.slice(0, 20));
    const log = new GrowingLog(file);
    const r = log.read();
    assert.equal(r.curves.train.length, 5);
    assert.equal(r.skipped.length, 0, 'a line being written is not a bad line');
    assert.equal(log.read().curves.train.length, 5);
    assert.equal(log.lastRead.kind, 'unchanged', 'the same half line again: nothing new');
    appendFileSync(file, next.slice(20));
    const after = log.read();
    assert.equal(log.lastRead.kind, 'append');
    assert.deepEqual(after, whole());
    assert.equal(after.curves.train.length, 6);
  });

  it('a complete last line without newline is read; its newline later continues the log, more text on it rereads it', () => {
    writeFileSync(file, lines(1, 3) + lf(4).trimEnd());
    const log = new GrowingLog(file);
    assert.equal(log.read().curves.train.length, 4, 'a finished file whose last line has no newline');
    appendFileSync(file, '\n' + lf(5));
    assert.equal(log.read().curves.train.length, 5);
    assert.equal(log.lastRead.kind, 'append');
    // Now a last line that parses but goes on (`{"a":1}` then `2}`-like growth is impossible for objects, but a
    // writer may add spaces or a second object on the same line): whatever follows that is not a newline rereads.
    writeFileSync(file, lines(1, 3) + lf(4).trimEnd());
    const log2 = new GrowingLog(file);
    log2.read();
    appendFileSync(file, ' {"current_steps": 5}\n');
    const r = log2.read();
    assert.equal(log2.lastRead.kind, 'whole');
    assert.deepEqual(r, whole());
    assert.equal(r.skipped.length, 1, 'the line with two objects is not JSON');
  });

  it('CRLF line ends, a BOM, and a UTF-8 character split between two reads', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const named = (step: number) => JSON.stringify({ type: 'step', step, loss: 1 / step, note: '训练' }) + '\r\n';
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, '\uFEFF' + crlf(named(1)) + named(2));
    const log = new GrowingLog(events);
    assert.equal(log.read().curves.train.length, 2);
    const bytes = Buffer.from(named(3));
    const cut = bytes.indexOf(Buffer.from('训')) + 1; // inside the character
    appendFileSync(events, bytes.subarray(0, cut));
    assert.equal(log.read().curves.train.length, 2);
    appendFileSync(events, bytes.subarray(cut));
    const r = log.read();
    assert.equal(r.curves.train.length, 3);
    assert.deepEqual(r, importCurves(events, readFileSync(events, 'utf8')));
  });

  it('a resumed run that grows: the attempts follow the appends', () => {
    writeFileSync(file, lines(1, 20));
    const log = new GrowingLog(file);
    log.read();
    appendFileSync(file, lines(11, 15));
    const r = log.read();
    assert.equal(log.lastRead.kind, 'append');
    assert.deepEqual(r.curves.attempts, [{ start: 1, end: 20 }, { start: 11, end: 15 }]);
    assert.deepEqual(r, whole());
  });

  it('a trainer_state.json is read whole when it changes, not at all when it does not', () => {
    const state = join(dir, 'trainer_state.json');
    const write = (n: number) => writeFileSync(state, JSON.stringify({ max_steps: 10, log_history: Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: 1 / (i + 1) })) }));
    write(3);
    const log = new GrowingLog(state);
    assert.equal(log.read().curves.train.length, 3);
    log.read();
    assert.equal(log.lastRead.kind, 'unchanged');
    write(5);
    assert.equal(log.read().curves.train.length, 5);
    assert.equal(log.lastRead.kind, 'whole');
  });

  it('a JSONL log with no line of its kind throws, and is read whole again once it has one', () => {
    writeFileSync(file, '{"foo": 1}\n');
    const log = new GrowingLog(file);
    assert.throws(() => log.read(), /no line with current_steps/);
    appendFileSync(file, lf(1));
    assert.equal(log.read().curves.train.length, 1);
    assert.equal(log.lastRead.kind, 'whole');
  });
});

describe('JsonlCurveReader fed in pieces', () => {
  it('lines split anywhere give the same run and line numbers as one piece', () => {
    const text = lines(1, 8) + 'not json\n' + lines(9, 12);
    const one = new JsonlCurveReader('llamafactory-log', parseJsonWithNaN);
    one.feed(text);
    one.end();
    const pieces = new JsonlCurveReader('llamafactory-log', parseJsonWithNaN);
    for (let i = 0; i < text.length; i += 37) pieces.feed(text.slice(i, i + 37));
    pieces.end();
    assert.deepEqual(pieces.curves(), one.curves());
    assert.deepEqual(pieces.skipped, [{ line: 9, reason: 'not valid JSON' }]);
  });
});
