// A run stopped on a signal with a checkpoint (a scheduler's time limit or preemption: the trainer's done event with
// stop_reason and checkpoint) is recorded as cancelled with its stopReason, and the checkpoint is offered to continue.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent } from '../../../src/core/jobs/jobEvents';
import type { JobRecord } from '../../../src/shared/job';
import type { TrainerEvent } from '../../../src/shared/trainerEvents';

const running: JobRecord = { id: 'j', name: 'j', baseModel: 'm', status: 'running', createdAt: '2026-01-01T00:00:00Z', progress: { step: 7, totalSteps: 100 } };
const done = (extra: Partial<Extract<TrainerEvent, { type: 'done' }>>): TrainerEvent => ({ type: 'done', time: 1, status: 'cancelled', artifacts: { output_dir: '/o' }, ...extra });

describe('stopped with a checkpoint', () => {
  it('records the stop reason and the checkpoint named by the done event', () => {
    const record = applyEvent(running, done({ stop_reason: 'time_limit', checkpoint: '/o/checkpoint-7' }));
    assert.deepEqual([record.status, record.stopReason, record.checkpoints], ['cancelled', 'time_limit', [{ step: 7, path: '/o/checkpoint-7' }]]);
  });

  it('keeps one entry when the checkpoint event came first, with its step', () => {
    const saved = applyEvent(running, { type: 'checkpoint', time: 1, step: 5, path: '/o/ck' });
    const record = applyEvent(saved, done({ stop_reason: 'time_limit', checkpoint: '/o/ck' }));
    assert.deepEqual(record.checkpoints, [{ step: 5, path: '/o/ck' }]);
  });

  it('takes the step from the progress when the folder name does not say it', () => {
    assert.deepEqual(applyEvent(running, done({ checkpoint: '/o/last' })).checkpoints, [{ step: 7, path: '/o/last' }]);
  });

  it('a plain cancel has no stop reason and no checkpoint', () => {
    const record = applyEvent(running, done({}));
    assert.deepEqual([record.status, record.stopReason, record.checkpoints], ['cancelled', undefined, undefined]);
  });
});
