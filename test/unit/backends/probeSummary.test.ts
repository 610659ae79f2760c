// The Slurm probe's report as kept and shown: every figure the issue names (Python, torch, CUDA, GPUs, NCCL, the
// packages, whether workDir is shared), in both languages, and the cases where the probe printed nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeProblems, probeSummary, StoredProbe, storedProbe } from '../../../src/backends/slurm/probeSummary';
import type { ProbeReport } from '../../../src/backends/slurm/slurmCluster';
import type { ProbeResult } from '../../../src/backends/slurm/probe';

const result: ProbeResult = {
  python: '3.12.3', executable: '/opt/venv/bin/python', hostname: 'gpu-node-07',
  packages: { torch: '2.5.1', transformers: '4.46.0', peft: '0.13.2', accelerate: '1.1.0' },
  cuda: { available: true, devices: [{ index: 0, name: 'NVIDIA A100-SXM4-80GB', memory_gb: 79.3 }, { index: 1, name: 'NVIDIA A100-SXM4-80GB', memory_gb: 79.3 }] },
  torch: '2.5.1', cuda_version: '12.4', nccl: '2.21.5', cuda_visible_devices: '0,1', work_dir_shared: true,
};
const report = (over: Partial<ProbeReport> = {}): ProbeReport => ({
  id: '4242', status: { id: '4242', phase: 'completed', slurmState: 'COMPLETED', attempt: 1 }, result, workDirShared: true, output: 'FINETUNE_PROBE {…}\n', ...over,
});
const at = new Date('2026-12-07T10:00:00Z');

test('a probe that saw everything: each figure in the summary, no problems, kept through its schema', () => {
  const kept = storedProbe(report(), at);
  assert.deepEqual(StoredProbe.parse(JSON.parse(JSON.stringify(kept))), kept, 'what is kept reads back the same');
  assert.equal(kept.output, undefined, 'the output is kept only when there is no report');
  assert.deepEqual(probeProblems(kept), []);
  const en = probeSummary(kept, 'en');
  for (const figure of ['gpu-node-07', 'Python 3.12.3', 'torch 2.5.1', 'CUDA 12.4', '2 GPU(s)', 'NVIDIA A100-SXM4-80GB (79.3 GB)', 'NCCL 2.21.5', 'transformers 4.46.0', 'peft 0.13.2', 'accelerate 1.1.0', 'workDir is the same folder']) {
    assert.ok(en.includes(figure), `${figure} in: ${en}`);
  }
  const zh = probeSummary(kept, 'zh-cn');
  assert.match(zh, /计算节点 gpu-node-07/);
  assert.match(zh, /`NCCL` 2\.21\.5/);
  assert.match(zh, /同一个文件夹/);
});

test('missing packages, no GPU, a torch that did not load and an unshared workDir are each said', () => {
  const broken: ProbeResult = {
    ...result, packages: { torch: null, transformers: '4.46.0', peft: null, accelerate: '1.1.0' }, torch: null, cuda_version: null, nccl: null,
    cuda: { available: false, devices: [] }, torch_error: "ModuleNotFoundError: No module named 'torch'", work_dir_shared: false,
  };
  const kept = storedProbe(report({ result: broken, workDirShared: false }), at);
  assert.deepEqual(probeProblems(kept), ['missing:torch', 'missing:peft', 'workDir']);
  const en = probeSummary(kept, 'en');
  assert.match(en, /0 GPU\(s\): none visible to torch/);
  assert.match(en, /Missing on the compute node: torch, peft/);
  assert.match(en, /torch did not load: ModuleNotFoundError/);
  assert.match(en, /NOT shared/);
  assert.match(probeSummary(kept, 'zh-cn'), /计算节点上缺少：torch, peft/);
});

test('a probe that printed no report keeps the end of its output and says why', () => {
  const failed = storedProbe(report({ result: undefined, workDirShared: false, status: { id: '4242', phase: 'failed', slurmState: 'FAILED', attempt: 1 }, output: 'x\n'.repeat(5000) + 'module: command not found\n' }), at);
  assert.ok((failed.output ?? '').length <= 2000, 'only the end of a long output is kept');
  assert.deepEqual(probeProblems(failed), ['noReport']);
  const en = probeSummary(failed, 'en');
  assert.match(en, /probe job 4242 printed no report \(Slurm state FAILED\)/);
  assert.match(en, /module: command not found/);
  const silent = probeSummary(storedProbe(report({ result: undefined, workDirShared: false, output: '' }), at), 'en');
  assert.match(silent, /workDir may not be shared/);
});

test('a kept probe that does not match the schema is not read', () => {
  assert.equal(StoredProbe.safeParse({ at: 'now', jobId: 1, workDirShared: 'yes' }).success, false);
});
