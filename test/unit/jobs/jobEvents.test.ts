import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEvent, completeLines, etaSeconds, formatDuration, parseLines } from '../../../src/core/jobs/jobEvents';
import type { JobRecord } from '../../../src/shared/job';

const fixture = readFileSync(path.resolve('test/fixtures/trainer/events.jsonl')); // tests run from the repository root
const base: JobRecord = { id: 'j', name: 'j', method: 'lora', baseModel: 'm', status: 'queued', createdAt: '2026-11-25T00:00:00Z' };

test('completeLines keeps an unfinished last line for the next read', () => {
  const { lines, consumed } = completeLines(Buffer.from('{"a":1}\n{"b":2}\n{"c":'));
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  assert.equal(consumed, 16);
  assert.deepEqual(completeLines(Buffer.from('{"c":')), { lines: [], consumed: 0 });
});

test('completeLines never cuts a UTF-8 character: it cuts at newlines only', () => {
  const text = '{"message":"显存不足"}\n{"message":"半';
  const buf = Buffer.from(text);
  const { lines, consumed } = completeLines(buf);
  assert.deepEqual(lines, ['{"message":"显存不足"}']);
  assert.equal(buf.subarray(consumed).toString(), '{"message":"半');
});

test('parseLines takes the shared example events, ignores plain log lines and reports broken events', () => {
  const lines = [...fixture.toString('utf8').trim().split('\n'), 'Loading checkpoint shards: 100%', '{"type":"step","step":"x"}'];
  const { events, problems } = parseLines(lines);
  assert.equal(events.length, 10);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.problem, /step|time/);
});

test('applyEvent: start runs the job, steps move progress and loss and learn the pace, done succeeds', () => {
  const { events } = parseLines(fixture.toString('utf8').trim().split('\n'));
  let record = base;
  let last: { step: number; time: number } | undefined;
  for (const e of events.filter((e) => e.type !== 'error')) {
    record = applyEvent(record, e, last);
    if (e.type === 'step') last = { step: e.step, time: e.time };
    if (e.type === 'step') assert.equal(record.progress?.step, e.step);
  }
  assert.equal(record.status, 'succeeded');
  assert.equal(record.latestLoss, 2.61);
  assert.equal(record.progress?.totalSteps, 30);
  assert.equal(record.progress?.step, 30, 'a finished job shows 100%');
  assert.equal(record.progress?.secondsPerStep, 1);
  assert.deepEqual(record.checkpoints, [{ step: 2, path: '/work/runs/demo/output/checkpoint-2' }]);
  assert.equal(record.artifacts?.adapter, '/work/runs/demo/output');
});

test('applyEvent: an error event fails the job with its reason and fix', () => {
  const { events } = parseLines(fixture.toString('utf8').trim().split('\n'));
  const oom = events.find((e) => e.type === 'error')!;
  const record = applyEvent({ ...base, status: 'running' }, oom);
  assert.equal(record.status, 'failed');
  assert.match(record.error!, /out of memory/);
  assert.match(record.errorFix!, /batch size/);
});

test('etaSeconds and formatDuration', () => {
  const running: JobRecord = { ...base, status: 'running', progress: { step: 10, totalSteps: 100, secondsPerStep: 2 } };
  assert.equal(etaSeconds(running), 180);
  assert.equal(etaSeconds({ ...running, status: 'succeeded' }), undefined);
  assert.equal(formatDuration(40), '40 s');
  assert.equal(formatDuration(180), '3 min');
  assert.equal(formatDuration(3900), '1 h 05 min');
  assert.equal(formatDuration(3900, 'zh-cn'), '1 小时 05 分钟');
  assert.equal(formatDuration(40, 'zh-cn'), '40 秒');
});
