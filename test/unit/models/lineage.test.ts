import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendOf, checkpointLabel, checkpointLineage, checkpointsOf, datasetOf, deploymentLineage, exportLineage, fineTunedJobs, groupRecords, jobLineage, jobsById,
  lineageText, type JobRef,
} from '../../../src/core/models/lineage';
import type { StoredModel } from '../../../src/core/models/registry';
import type { JobRecord } from '../../../src/shared/job';
import type { DeploymentRecord, ExportRecord, ModelRecord } from '../../../src/shared/modelRegistry';

const SHA = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

const jobRecord = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: 'wuxia-1', name: 'Wuxia LoRA', method: 'lora', baseModel: 'models/qwen3', status: 'succeeded', createdAt: '2026-12-07T09:00:00Z',
  spec: { name: 'Wuxia LoRA', baseModel: 'models/qwen3', dataset: { train: 'data/train.jsonl' } },
  artifacts: { output_dir: '/runs/1/output', dataset_sha256: SHA },
  checkpoints: [{ step: 100, path: '/runs/1/output/checkpoint-100' }, { step: 200, path: '/runs/1/output/checkpoint-200' }, { step: 100, path: '/runs/1/output/checkpoint-100' }],
  ...over,
});
const job: JobRef = { dir: '/ws/.finetune/jobs/wuxia-1', record: jobRecord() };

const exported = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  id: 'wuxia-onnx', kind: 'export', name: 'Wuxia LoRA (onnx)', createdAt: '2026-12-07T10:00:00Z', format: 'onnx',
  source: { jobId: 'wuxia-1', checkpointStep: 200 }, location: { backend: 'local', path: '/runs/1/output/checkpoint-200/onnx' },
  ...over,
});
const deployed = (over: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  id: 'wuxia-served', kind: 'deployment', name: 'Wuxia served', createdAt: '2026-12-07T11:00:00Z', source: { recordId: 'wuxia-onnx' },
  server: 'onnx-local', location: { backend: 'local', path: '/runs/1/output/checkpoint-200/onnx' }, endpoint: 'http://127.0.0.1:8123/v1',
  servedModel: 'wuxia', startedAt: '2026-12-07T11:00:00Z', ...over,
});

test('the dataset link is the recorded content hash and the spec\'s file; a malformed hash is not shown as one', () => {
  assert.deepEqual(datasetOf(job.record), { sha256: SHA, path: 'data/train.jsonl' });
  assert.deepEqual(datasetOf(jobRecord({ artifacts: { dataset_sha256: 'not-a-hash' } })), { path: 'data/train.jsonl' });
  assert.deepEqual(datasetOf(jobRecord({ spec: undefined })), { sha256: SHA });
  assert.equal(datasetOf(jobRecord({ spec: { dataset: 42 }, artifacts: {} })), undefined, 'an imported run: no dataset link');
});

test('fine-tuned models are the succeeded jobs; checkpoints newest first, one per step', () => {
  const jobs = [job, { dir: '/x', record: jobRecord({ id: 'failed', status: 'failed' }) }, { dir: '/y', record: jobRecord({ id: 'running', status: 'running' }) }];
  assert.deepEqual(fineTunedJobs(jobs).map((j) => j.record.id), ['wuxia-1']);
  assert.deepEqual(checkpointsOf(job.record).map((c) => c.step), [200, 100]);
  assert.deepEqual(checkpointsOf(jobRecord({ checkpoints: undefined })), []);
});

test('job and checkpoint lineage: dataset → job → checkpoint, each link carrying what opens it', () => {
  assert.deepEqual(jobLineage(job), [
    { kind: 'dataset', sha256: SHA, path: 'data/train.jsonl' },
    { kind: 'job', jobId: 'wuxia-1', name: 'Wuxia LoRA', dir: job.dir },
  ]);
  const links = checkpointLineage(job, { step: 200, path: '/runs/1/output/checkpoint-200' });
  assert.deepEqual(links.at(-1), { kind: 'checkpoint', jobId: 'wuxia-1', step: 200, path: '/runs/1/output/checkpoint-200', dir: job.dir, backend: 'local' });
  assert.equal(lineageText(links), `data/train.jsonl sha256 ${SHA.slice(0, 12)}… → Wuxia LoRA → checkpoint-200`);
});

test('export lineage finds its job and checkpoint; the record\'s own dataset hash wins over a job rewritten since', () => {
  const jobs = jobsById([job]);
  const links = exportLineage(exported({ source: { jobId: 'wuxia-1', checkpointStep: 200, datasetSha256: OTHER } }), jobs);
  assert.deepEqual(links.map((l) => l.kind), ['dataset', 'job', 'checkpoint', 'export']);
  assert.deepEqual(links[0], { kind: 'dataset', sha256: OTHER, path: 'data/train.jsonl' });
  assert.deepEqual(links[2], { kind: 'checkpoint', jobId: 'wuxia-1', step: 200, path: '/runs/1/output/checkpoint-200', dir: job.dir, backend: 'local' });
  assert.deepEqual(links[3], { kind: 'export', recordId: 'wuxia-onnx', name: 'Wuxia LoRA (onnx)', format: 'onnx', location: { backend: 'local', path: '/runs/1/output/checkpoint-200/onnx' } });
});

test('an export whose job is gone still names the job by id (no folder to open) and keeps its hash', () => {
  const links = exportLineage(exported({ source: { jobId: 'deleted-job', datasetSha256: SHA } }), new Map());
  assert.deepEqual(links.slice(0, 2), [{ kind: 'dataset', sha256: SHA }, { kind: 'job', jobId: 'deleted-job', name: 'deleted-job' }]);
  assert.deepEqual(exportLineage(exported({ source: { jobId: 'deleted-job', checkpointStep: 5 } }), new Map()).slice(0, 2), [
    { kind: 'job', jobId: 'deleted-job', name: 'deleted-job' },
    { kind: 'checkpoint', jobId: 'deleted-job', step: 5 },
  ], 'no dataset link without a hash; the checkpoint has no folder to open');
});

test('deployment lineage goes through its export to the dataset; a deployment of a job or base model stops earlier', () => {
  const jobs = jobsById([job]);
  const records = new Map<string, ModelRecord>([['wuxia-onnx', exported()]]);
  const links = deploymentLineage(deployed(), jobs, records);
  assert.deepEqual(links.map((l) => l.kind), ['dataset', 'job', 'checkpoint', 'export', 'deployment']);
  assert.deepEqual(links.at(-1), { kind: 'deployment', recordId: 'wuxia-served', name: 'Wuxia served', endpoint: 'http://127.0.0.1:8123/v1', servedModel: 'wuxia', stopped: false });
  assert.equal((deploymentLineage(deployed({ stoppedAt: '2026-12-07T12:00:00Z' }), jobs, records).at(-1) as { stopped: boolean }).stopped, true);
  assert.deepEqual(deploymentLineage(deployed({ source: { jobId: 'wuxia-1' } }), jobs, records).map((l) => l.kind), ['dataset', 'job', 'deployment']);
  assert.deepEqual(deploymentLineage(deployed({ source: { baseModel: 'models/qwen3' } }), jobs, records).map((l) => l.kind), ['deployment']);
  // A record id that names nothing (removed export) or another deployment: only what the record itself says.
  assert.deepEqual(deploymentLineage(deployed({ source: { recordId: 'gone' } }), jobs, records).map((l) => l.kind), ['deployment']);
});

test('records are grouped by kind in the order listed; unreadable ones keep their problem', () => {
  const stored: StoredModel[] = [
    { id: 'wuxia-served', file: '/m/wuxia-served.json', record: deployed() },
    { id: 'broken', file: '/m/broken.json', problem: '/m/broken.json is not valid JSON' },
    { id: 'wuxia-onnx', file: '/m/wuxia-onnx.json', record: exported() },
    { id: 'b', file: '/m/b.json', record: exported({ id: 'b' }) },
  ];
  const groups = groupRecords(stored);
  assert.deepEqual(groups.exports.map((r) => r.id), ['wuxia-onnx', 'b']);
  assert.deepEqual(groups.deployments.map((r) => r.id), ['wuxia-served']);
  assert.deepEqual(groups.problems, [{ id: 'broken', file: '/m/broken.json', problem: '/m/broken.json is not valid JSON' }]);
});

test('a checkpoint of a job run on an SSH or Slurm backend names that backend (its folder is there, not here)', () => {
  const remote: JobRef = { dir: '/ws/.finetune/jobs/r', record: jobRecord({ run: { backend: 'ssh', backendName: 'gpu-box', pid: 42, runDir: '/srv/runs/r', command: ['python'] } }) };
  assert.equal(backendOf(remote.record), 'gpu-box');
  assert.equal(backendOf(job.record), 'local');
  const link = checkpointLineage(remote, { step: 100, path: '/srv/runs/r/output/checkpoint-100' }).at(-1);
  assert.equal(link?.kind === 'checkpoint' && link.backend, 'gpu-box');
  assert.equal(checkpointLabel(100), 'checkpoint-100');
});
