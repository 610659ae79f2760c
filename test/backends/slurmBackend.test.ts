// SlurmBackend (the Backend interface) against the real single-node Slurm on loopback that scripts/test-backends.mjs
// starts (SLURM_CONF), with this machine as the login node (LocalHost: a Slurm entry without a host) and the
// stand-in trainer: a job followed by byte offset to its end, a pending job's reason, cancel, a refused partition;
// and once over SSH to the tier's sshd (this machine again), where only the setup lines tell Slurm's commands
// their configuration.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SlurmDefaults } from '../../src/shared/backendConfig';
import type { RunHandle } from '../../src/shared/job';
import { LocalHost } from '../../src/backends/remote/localHost';
import { RunReader } from '../../src/backends/runReader';
import { SlurmBackend, SLURM_RUN_FILES, type SlurmBackendOptions } from '../../src/backends/slurm/slurmBackend';
import type { SlurmJobStatus } from '../../src/backends/slurm/jobState';
import { explainPending } from '../../src/backends/slurm/jobState';
import { SlurmError } from '../../src/backends/slurm/messages';
import { SshSession } from '../../src/backends/ssh/session';
import { shellWord } from '../../src/backends/remote/exec';
import { scratchDir, skipWithoutSshd, target } from './sshTarget';
import { standInConfig, writeStandIn } from './standInTrainer';

const skip = process.env.SLURM_CONF ? false : 'no test Slurm: run through scripts/test-backends.mjs';
// Under /tmp, which slurmd (this machine) sees as the login node does: a shared workDir.
const dir = skip ? '' : scratchDir('slurm-backend');
const local = path.join(dir, 'local');
const standIn = skip ? '' : (mkdirSync(local, { recursive: true }), writeStandIn(local));
const trainFile = path.join(local, 'train 数据.jsonl');
if (!skip) writeFileSync(trainFile, '{"messages":[{"role":"user","content":"hi"}]}\n');
const backends: SlurmBackend[] = [];

const SETUP = ['export FT_SETUP_SEEN="yes, from setup"'];

function backend(slurm: Partial<SlurmDefaults> = {}, more: Partial<SlurmBackendOptions> = {}, setup = SETUP): SlurmBackend {
  const b = new SlurmBackend({
    name: 'loopback',
    config: { python: 'python3', setup, workDir: path.join(dir, 'work dir'), slurm: SlurmDefaults.parse({ gpus: 0, ...slurm }) },
    host: new LocalHost(),
    trainer: { upload: { folders: [], files: [standIn] }, entry: { script: path.basename(standIn) } },
    cacheDir: path.join(dir, 'cache'),
    ...more,
  });
  backends.push(b);
  return b;
}

let jobs = 0;
/** Follows a run's events by offset to its end; returns how it ended and every byte taken. */
async function follow(b: SlurmBackend, handle: RunHandle): Promise<{ state: unknown; bytes: Buffer }> {
  const reader = new RunReader(b, handle);
  const received: Buffer[] = [];
  const ended = await until('the end of the job', async () => {
    const poll = await reader.poll();
    if (poll.kind === 'events' || poll.kind === 'ended') received.push(poll.bytes);
    assert.notEqual(poll.kind, 'gone');
    return poll.kind === 'ended' ? poll : undefined;
  });
  return { state: ended.state, bytes: Buffer.concat(received) };
}

/** A job folder of its own on "this machine" (.finetune/jobs/<id>/run). */
const localRunDir = () => path.join(local, '.finetune', 'jobs', `job-${++jobs}`, 'run');

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('SlurmBackend on loopback Slurm, the login node being this machine', { skip, concurrency: true }, () => {
  const started: { b: SlurmBackend; handle: RunHandle }[] = [];
  after(async () => {
    for (const { b, handle } of started) await b.cancel(handle).catch(() => undefined);
  });

  it('starts a job through sbatch, follows its events by offset to the end, and reports its exit code', async () => {
    const b = backend({ requeue: true });
    const [ok, bad] = [
      await b.start({ command: 'train', runDir: localRunDir(), config: standInConfig(trainFile, 20, 0.01), devices: 'auto' }),
      await b.start({ command: 'train', runDir: localRunDir(), config: standInConfig(trainFile, 2, 0, 3), devices: 'auto' }),
    ];
    started.push({ b, handle: ok }, { b, handle: bad });
    assert.equal(ok.backend, 'slurm');
    assert.match(String(ok.backend === 'slurm' && ok.slurmJobId), /^\d+$/);
    assert.equal(readFileSync(path.join(ok.runDir, SLURM_RUN_FILES.jobId), 'utf8').trim(), ok.backend === 'slurm' ? ok.slurmJobId : '');
    // With requeue allowed, every attempt resumes from the newest checkpoint.
    assert.equal(JSON.parse(readFileSync(path.join(ok.runDir, 'config.json'), 'utf8')).resume_from_checkpoint, 'latest');
    assert.match(readFileSync(path.join(ok.runDir, SLURM_RUN_FILES.script), 'utf8'), /^#SBATCH --requeue$/m);

    const ended = await follow(b, ok);
    assert.deepEqual(ended.state, { state: 'exited', code: 0 });
    const events = readFileSync(path.join(ok.runDir, 'events.jsonl'));
    assert.ok(ended.bytes.equals(events), 'the events taken differ from the events file');
    const lines = events.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 21);
    assert.equal(lines[0]!.setup, 'yes, from setup', 'the batch shell ran the setup lines');
    assert.match(String(lines[0]!.train_file), /\/datasets\/[0-9a-f]{64}\//, 'the dataset was put into workDir');
    assert.match(await b.logTail(ok, 20), /== Slurm job \d+, attempt 1/);

    const failed = await until('the failing job to end', async () => {
      const s = await b.status(bad);
      return s.state === 'running' ? undefined : s;
    });
    assert.deepEqual(failed, { state: 'exited', code: 3 });
  });

  it("a pending job says why in plain words; cancel scancels it and the status says it was cancelled", async () => {
    const b = backend({ extra: ['--hold'] });
    const handle = await b.start({ command: 'train', runDir: localRunDir(), config: standInConfig(trainFile, 1, 0), devices: 'cpu' });
    started.push({ b, handle });
    const pending = await until<SlurmJobStatus>('JobHeldUser', async () => {
      const s = await b.slurmStatus(handle);
      return s?.reason === 'JobHeldUser' ? s : undefined;
    });
    assert.equal(pending.phase, 'pending');
    assert.deepEqual(await b.status(handle), { state: 'running' }, 'a pending job is a live job');
    assert.match(explainPending(pending, 'en').reason, /^Held by you \(JobHeldUser\)/);
    await b.cancel(handle);
    const state = await until('the cancelled state', async () => {
      const s = await b.status(handle);
      return s.state === 'running' ? undefined : s;
    });
    assert.deepEqual(state, { state: 'lost', reason: 'Cancelled.' });
    assert.equal(existsSync(path.join(handle.runDir, 'events.jsonl')), false, 'the trainer never ran');
  });

  it('a partition that does not exist is a clear error at start; an unreviewed script is never submitted', async () => {
    await assert.rejects(
      backend({ partition: 'nosuch' }).start({ command: 'train', runDir: localRunDir(), config: standInConfig(trainFile, 1, 0), devices: 'cpu' }),
      (e: unknown) => e instanceof SlurmError && e.message === 'Partition "nosuch" does not exist; partitions here: debug, short.',
    );
    let shown = '';
    const runDir = localRunDir();
    const declined = backend({}, { review: async (script) => ((shown = script), undefined) });
    await assert.rejects(declined.start({ command: 'train', runDir, config: standInConfig(trainFile, 1, 0), devices: 'cpu' }), /was not submitted/);
    assert.match(shown, /^#SBATCH --job-name=ft-job-\d+$/m);
    // A record naming a folder outside the backend's runs is refused, never read or cancelled.
    const foreign: RunHandle = { backend: 'slurm', backendName: 'loopback', pid: 1, runDir: dir, command: [], slurmJobId: '1' };
    await assert.rejects(declined.cancel(foreign), /not a run folder of the Slurm backend "loopback"/);
  });

  it("over SSH to the login node: Slurm's commands run through the setup lines, the events come over SFTP", { skip: skipWithoutSshd }, async () => {
    const session = new SshSession(target());
    try {
      // The SSH login does not inherit SLURM_CONF: without the setup line sbatch would find no cluster.
      const b = backend({}, { host: session }, [`export SLURM_CONF=${shellWord(process.env.SLURM_CONF!)}`, ...SETUP]);
      const handle = await b.start({ command: 'train', runDir: localRunDir(), config: standInConfig(trainFile, 5, 0), devices: 'cpu' });
      started.push({ b, handle });
      const ended = await follow(b, handle);
      assert.deepEqual(ended.state, { state: 'exited', code: 0 });
      const lines = ended.bytes.toString('utf8').trim().split('\n');
      assert.equal(lines.length, 6);
      assert.equal(JSON.parse(lines[0]!).setup, 'yes, from setup');
    } finally {
      session.close();
    }
  });
});
