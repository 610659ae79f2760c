// `finetune-studio job` on the loopback Slurm (this machine as the login node: an entry without a host), with the
// stand-in trainer (test/unit/cli/jobHelpers.ts): submitted through sbatch and followed to the end, and a run that
// stops with a checkpoint (the trainer's exit 124) ending the command with 124 and the job cancelled with its
// stopReason and checkpoint.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJobRecord } from '../../src/core/jobs/jobStore';
import { job, workspace, type Workspace } from '../unit/cli/jobHelpers';

const skip = process.env.SLURM_CONF ? false : 'no test Slurm: run through scripts/test-backends.mjs';
const spaces: Workspace[] = [];
after(() => spaces.forEach((ws) => {
  rmSync(ws.root, { recursive: true, force: true });
  rmSync(ws.storage, { recursive: true, force: true });
}));

function slurmSpace(prefix: string) {
  const ws = workspace(prefix); // under /tmp, which slurmd (this machine) sees too: a shared workDir
  spaces.push(ws);
  const backendFile = path.join(ws.root, 'cluster.json');
  writeFileSync(backendFile, JSON.stringify({ kind: 'slurm', name: 'loopback', python: 'python3', workDir: path.join(ws.root, 'work dir'), slurm: { gpus: 0 } }));
  return { ws, backendFile };
}

const options = { trainerDir: path.resolve('trainer'), env: { ...process.env, FINETUNE_TRAINER_PYTHON: 'python3' } };
const onlyJobDir = (ws: Workspace) => {
  const jobs = path.join(ws.root, '.finetune', 'jobs');
  return path.join(jobs, readdirSync(jobs)[0]!);
};

describe('finetune-studio job on Slurm', { skip }, () => {
  it('start --backend cluster.json --follow: sbatch, every step followed, exit 0', { timeout: 180_000 }, async () => {
    const { ws, backendFile } = slurmSpace('slurm-ok');
    const run = job(ws, ['start', ws.spec('on-slurm', 5, 0.02, 0), '--backend', backendFile, '--follow'], { ...options, env: { ...options.env, FINETUNE_TRAINER_ENTRY: ws.standIn } });
    assert.equal(await run.code, 0, `${run.out.stdout}\n${run.out.stderr}`);
    assert.deepEqual([...run.out.stdout.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1])), [1, 2, 3, 4, 5]);
    const record = await readJobRecord(onlyJobDir(ws));
    assert.equal(record.status, 'succeeded');
    assert.ok(record.run?.backend === 'slurm' && record.run.slurmJobId, JSON.stringify(record.run));
  });

  it('a run that stops with a checkpoint ends the command with 124; the job is cancelled with its stopReason and checkpoint', { timeout: 180_000 }, async () => {
    const { ws, backendFile } = slurmSpace('slurm-stop');
    const run = job(ws, ['start', ws.spec('stops', 2, 0.02, 124), '--backend', backendFile, '--follow'], { ...options, env: { ...options.env, FINETUNE_TRAINER_ENTRY: ws.standIn } });
    assert.equal(await run.code, 124, `${run.out.stdout}\n${run.out.stderr}`);
    const record = await readJobRecord(onlyJobDir(ws));
    assert.deepEqual([record.status, record.stopReason, record.checkpoints?.map((c) => path.basename(c.path))], ['cancelled', 'time_limit', ['checkpoint-2']]);
  });
});
