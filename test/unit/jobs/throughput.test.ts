// A backend's throughput from an earlier job of the same model, data and batch there (for the time-limit check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throughputFromEarlierJob } from '../../../src/core/jobs/throughput';
import { toTrainConfig } from '../../../src/core/jobs/trainConfig';
import { JobSpec } from '../../../src/shared/jobSpec';
import type { JobRecord } from '../../../src/shared/job';

const root = '/ws';
const spec = JobSpec.parse({ name: 'v1', baseModel: 'Qwen/Qwen3-0.6B', dataset: { train: 'train.jsonl' }, hyperparameters: { epochs: 2, batchSize: 2, gradientAccumulation: 4 }, backend: { kind: 'slurm', name: 'lab', devices: 'auto' } });
const run = { backend: 'slurm' as const, backendName: 'lab', pid: 7, runDir: '/w/runs/r', command: [] };
const earlier = (over: Partial<JobRecord> = {}, specOver: Record<string, unknown> = {}): JobRecord => ({
  id: 'v1', name: 'v1', baseModel: spec.baseModel, status: 'succeeded', createdAt: '2026-12-01T00:00:00Z',
  spec: { ...spec, ...specOver } as unknown as Record<string, unknown>, run, progress: { step: 100, totalSteps: 100, secondsPerStep: 2 }, ...over,
});
// This job: the same data and batch, 3 epochs.
const config = { ...toTrainConfig(spec, { workspaceRoot: root }), num_train_epochs: 3 };

test('the same model, data and batch on the same backend: its steps covered tokens × its epochs', () => {
  // 100 steps × 2 s = 200 s for 50,000 tokens × 2 epochs → 500 tokens/s.
  assert.deepEqual(throughputFromEarlierJob([earlier()], root, 'lab', config, 'auto', 50_000), { tokensPerSecond: 500, job: 'v1' });
});

test('the newest matching job counts', () => {
  const older = earlier({ name: 'old', startedAt: '2026-11-01T00:00:00Z', progress: { step: 100, totalSteps: 100, secondsPerStep: 10 } });
  const newer = earlier({ name: 'new', startedAt: '2026-12-05T00:00:00Z' });
  assert.equal(throughputFromEarlierJob([older, newer], root, 'lab', config, 'auto', 50_000)?.job, 'new');
});

test('another backend, batch, dataset, devices, a max_steps run or an untimed one does not stand for this job', () => {
  const none = (jobs: JobRecord[], devices: unknown = 'auto') => assert.equal(throughputFromEarlierJob(jobs, root, 'lab', config, devices, 50_000), undefined);
  none([earlier({ run: { ...run, backendName: 'other' } })]);
  none([earlier({ run: { backend: 'local', pid: 1, runDir: '/x', command: [] } })]);
  none([earlier({}, { hyperparameters: { ...spec.hyperparameters, batchSize: 8 } })]);
  none([earlier({}, { dataset: { ...spec.dataset, train: 'other.jsonl' } })]);
  none([earlier({}, { hyperparameters: { ...spec.hyperparameters, maxSteps: 50 } })]);
  none([earlier({ progress: { step: 100, totalSteps: 100 } })]);
  none([earlier()], [0, 1]);
  none([earlier({ spec: { name: 'broken' } })]);
});
