import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stoppedAtStep, stoppedWithCheckpoint } from '../../../src/core/jobs/stopped';
import { JobRecord } from '../../../src/shared/job';

const base: JobRecord = { id: 'j', name: 'j', method: 'lora', baseModel: 'm', status: 'cancelled', createdAt: '2026-12-07T00:00:00Z' };

test('a job the trainer stopped cleanly continues from its newest checkpoint', () => {
  const record: JobRecord = {
    ...base, stopReason: 'time_limit', progress: { step: 130, totalSteps: 300 },
    checkpoints: [{ step: 100, path: '/w/runs/r/output/checkpoint-100' }, { step: 128, path: '/w/runs/r/output/checkpoint-128' }, { step: 50, path: 'c50' }],
  };
  assert.equal(stoppedWithCheckpoint(record), true);
  assert.equal(stoppedAtStep(record), 128);
});

test('without a recorded checkpoint a stopped job has nothing to continue from', () => {
  const noCheckpoint: JobRecord = { ...base, stopReason: 'time_limit', progress: { step: 42, totalSteps: 300 } };
  assert.equal(stoppedWithCheckpoint(noCheckpoint), false);
  assert.equal(stoppedAtStep(noCheckpoint), undefined);
});

test('only stopped jobs: running ones, and ones without a stop reason, are not', () => {
  assert.equal(stoppedAtStep({ ...base, stopReason: 'time_limit', status: 'running' }), undefined);
  assert.equal(stoppedAtStep({ ...base, stopReason: 'time_limit', status: 'queued' }), undefined);
  assert.equal(stoppedAtStep({ ...base, checkpoints: [{ step: 5, path: 'c' }] }), undefined);
  assert.equal(stoppedAtStep({ ...base, status: 'failed' }), undefined);
  // Only a cancelled job: a failed one with a stop reason and a checkpoint is a failure.
  assert.equal(stoppedWithCheckpoint({ ...base, stopReason: 'time_limit', status: 'failed', checkpoints: [{ step: 5, path: 'c' }] }), false);
});

test('a job record keeps its stopReason through the schema', () => {
  const parsed = JobRecord.parse({ ...base, errorKind: 'other', stopReason: 'time_limit' });
  assert.equal(parsed.stopReason, 'time_limit');
  assert.equal(JobRecord.safeParse({ ...base, stopReason: 124 }).success, false);
});
