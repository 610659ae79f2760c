// What a cloned repository's `.finetune/` can no longer do (issue 10): make a write follow a link out of the
// workspace, make the backend report or signal a process that is not the run's, or lose a run whose wrapper was
// killed. Real files, links and processes; the VS Code side (re-attach at activation, Restricted Mode) is
// test/security/suite/clone.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalBackend } from '../../../src/backends/local/localBackend';
import { RUN_TOKEN_ENV, WRAPPER_NAME } from '../../../src/backends/runFiles';
import { runToken } from '../../../src/backends/local/runToken';
import { listJobs, writeJob } from '../../../src/core/jobs/jobStore';
import { appendNoFollow, assertInside, UnsafePath, writeFileAtomic } from '../../../src/core/safeFiles';
import { createEvalRun } from '../../../src/core/eval/store';
import { PYTHON, SECRET, setup, until } from '../jobs/localTrainer';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ft-clone-'));
}

/** A process group that looks like our wrapper by name (the old check), optionally carrying some token. */
function decoy(env: NodeJS.ProcessEnv = {}): { pid: number; alive(): boolean; kill(): void } {
  const child = spawn('/bin/sh', ['-c', 'sleep 120', WRAPPER_NAME], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
  child.unref();
  const pid = child.pid!;
  return {
    pid,
    alive: () => {
      try {
        process.kill(pid, 0);
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    },
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    },
  };
}

const record = { id: 'x', name: 'x', baseModel: 'm', status: 'running' as const, createdAt: '2026-01-01T00:00:00Z' };

test('job.json, events.jsonl and eval files planted as links are replaced or refused, never written through', async () => {
  const root = tempDir();
  const outside = tempDir();
  try {
    const notes = path.join(outside, 'notes.txt');
    const bashrc = path.join(outside, 'bashrc');
    writeFileSync(notes, 'my notes\n');
    writeFileSync(bashrc, 'export A=1\n');
    const job = path.join(root, '.finetune', 'jobs', 'x');
    mkdirSync(job, { recursive: true });
    symlinkSync(notes, path.join(job, 'job.json'));
    symlinkSync(bashrc, path.join(job, 'events.jsonl'));
    await writeJob(job, record);
    assert.equal(readFileSync(notes, 'utf8'), 'my notes\n', 'the link target is untouched');
    assert.ok(!lstatSync(path.join(job, 'job.json')).isSymbolicLink(), 'the link itself was replaced by the record');
    await assert.rejects(appendNoFollow(path.join(job, 'events.jsonl'), 'touch PWNED\n'), UnsafePath);
    assert.equal(readFileSync(bashrc, 'utf8'), 'export A=1\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a linked .finetune, jobs or evals folder is refused: nothing is listed from it or written into it', async () => {
  const root = tempDir();
  const outside = tempDir();
  try {
    mkdirSync(path.join(outside, 'jobs', 'home-dir'), { recursive: true });
    writeFileSync(path.join(outside, 'jobs', 'home-dir', 'job.json'), JSON.stringify(record));
    symlinkSync(outside, path.join(root, '.finetune'));
    const jobs = await listJobs(root);
    assert.equal(jobs.length, 1);
    assert.match((jobs[0] as { problem: string }).problem, /symbolic link/);
    await assert.rejects(writeJob(path.join(root, '.finetune', 'jobs', 'home-dir'), record), UnsafePath);
    await assert.rejects(createEvalRun(root, { segmentation: 'jieba', models: [] }), UnsafePath);
    assert.deepEqual(JSON.parse(readFileSync(path.join(outside, 'jobs', 'home-dir', 'job.json'), 'utf8')), record);
    assert.ok(!existsSync(path.join(outside, 'evals')));
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a path a record names must stay inside its folder, links resolved', async () => {
  const root = tempDir();
  try {
    const job = path.join(root, '.finetune', 'jobs', 'x');
    mkdirSync(job, { recursive: true });
    await assertInside(job, path.join(job, 'run'), 'run folder');
    await assert.rejects(assertInside(job, path.join(job, '..', '..', '..', 'elsewhere'), 'run folder'), UnsafePath);
    await assert.rejects(assertInside(job, os.homedir(), 'run folder'), UnsafePath);
    symlinkSync(os.tmpdir(), path.join(job, 'run'));
    await assert.rejects(assertInside(job, path.join(job, 'run', 'output'), 'run folder'), /symbolic link/);
    await assert.rejects(writeFileAtomic(path.join(job, 'run', 'config.json'), '{}'), UnsafePath);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a live process named like our wrapper, but without the run token, is neither reported running nor signalled', async () => {
  const { dir, runDir } = setup();
  const backend = new LocalBackend({ python: PYTHON, trainerDir: dir }, SECRET);
  const plain = decoy();
  const otherRun = decoy({ [RUN_TOKEN_ENV]: runToken(SECRET, path.join(dir, 'another-run')) });
  try {
    for (const d of [plain, otherRun]) {
      const handle = { backend: 'local' as const, pid: d.pid, runDir, command: ['python3'] };
      assert.notEqual((await backend.status(handle)).state, 'running');
      await backend.cancel(handle);
      assert.ok(d.alive(), `process ${d.pid} survived cancel`);
    }
  } finally {
    plain.kill();
    otherRun.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 of the wrapper does not orphan the trainer: the run stays running and cancel ends it', async () => {
  const { dir, runDir, backend, config } = setup({ STEPS: '600', STEP_SECONDS: '0.2' });
  try {
    const handle = await backend.start({ command: 'train', runDir, config, devices: 'cpu' });
    await until('the first step', async () => (existsSync(path.join(runDir, 'events.jsonl')) ? true : undefined));
    process.kill(handle.pid, 'SIGKILL'); // the wrapper shell only; the trainer goes on in its group
    await until('the wrapper to go', async () => {
      try {
        process.kill(handle.pid, 0);
        return /\) Z /.test(readFileSync(`/proc/${handle.pid}/stat`, 'utf8')) ? true : undefined;
      } catch {
        return true;
      }
    });
    assert.equal((await backend.status(handle)).state, 'running', 'the trainer still runs, so the job is not lost');
    const before = readFileSync(path.join(runDir, 'events.jsonl')).length;
    await backend.cancel(handle);
    assert.notEqual((await backend.status(handle)).state, 'running');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(readFileSync(path.join(runDir, 'events.jsonl')).length >= before, true);
    const after = readFileSync(path.join(runDir, 'events.jsonl')).length;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(readFileSync(path.join(runDir, 'events.jsonl')).length, after, 'nothing writes after cancel');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('job.json linked to /dev/zero or made a FIFO is reported, never read without end or waited on', async () => {
  const root = tempDir();
  try {
    const jobs = path.join(root, '.finetune', 'jobs');
    mkdirSync(path.join(jobs, 'zero'), { recursive: true });
    mkdirSync(path.join(jobs, 'fifo'), { recursive: true });
    symlinkSync('/dev/zero', path.join(jobs, 'zero', 'job.json'));
    execFileSync('mkfifo', [path.join(jobs, 'fifo', 'job.json')]);
    const listed = await listJobs(root);
    const problems = Object.fromEntries(listed.map((j) => [j.id, (j as { problem?: string }).problem ?? '']));
    assert.match(problems.zero!, /symbolic link/);
    assert.match(problems.fifo!, /named pipe \(FIFO\), not a regular file/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
