// SlurmBackend's reading of a run: Slurm's state first, the run folder's exit_code second, mapped onto RunState;
// the job id taken from the run folder, never from the record; Slurm's commands run through the setup lines.
// Over a scripted login node (real files in a temp folder, Slurm's answers scripted); the real Slurm: test/backends.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlurmDefaults } from '../../../src/shared/backendConfig';
import type { RunHandle } from '../../../src/shared/job';
import type { ExecOptions, ExecResult, RemoteExec } from '../../../src/backends/remote/exec';
import { LocalFiles } from '../../../src/backends/remote/files';
import type { RemoteHost } from '../../../src/backends/remote/remoteRuns';
import { SlurmBackend, SLURM_RUN_FILES } from '../../../src/backends/slurm/slurmBackend';
import type { SlurmJobStatus } from '../../../src/backends/slurm/jobState';

const root = mkdtempSync(join(tmpdir(), 'slurm-backend-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The login node: this machine's files, and Slurm's commands answered by their first word. */
class ScriptedLogin extends LocalFiles implements RemoteHost {
  calls: { argv: readonly string[]; setup?: readonly string[] }[] = [];
  constructor(public answers: Record<string, Partial<ExecResult>>) {
    super();
  }
  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push({ argv, setup: options.setup });
    return { code: 0, stdout: '', stderr: '', ...(this.answers[argv[0]!] ?? { code: 127, stderr: `${argv[0]}: not found` }) };
  }
  home = async () => root;
  retrying<T>(fn: (c: RemoteExec & LocalFiles) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

let runs = 0;
function setup(answers: Record<string, Partial<ExecResult>>, files: { jobId?: string; exitCode?: string } = {}) {
  const login = new ScriptedLogin(answers);
  const seen: (SlurmJobStatus | undefined)[] = [];
  const backend = new SlurmBackend({
    name: 'cluster',
    config: { python: 'python3', setup: ['module load slurm'], workDir: root, slurm: SlurmDefaults.parse({}) },
    host: login,
    trainer: { upload: { folders: [] } },
    cacheDir: join(root, 'cache'),
    onStatus: (_h, s) => seen.push(s),
  });
  const runDir = join(root, 'runs', `run-${++runs}`);
  mkdirSync(runDir, { recursive: true });
  if (files.jobId !== undefined) writeFileSync(join(runDir, SLURM_RUN_FILES.jobId), files.jobId);
  if (files.exitCode !== undefined) writeFileSync(join(runDir, 'exit_code'), files.exitCode);
  // The record's id is not the folder's: only the folder's is ever used.
  const handle: RunHandle = { backend: 'slurm', backendName: 'cluster', pid: 999, runDir, command: [], slurmJobId: '999' };
  return { login, backend, handle, seen };
}

const scontrol = (fields: string) => ({ scontrol: { stdout: `JobId=42 JobName=ft ${fields}\n` } });
const forgotten = { scontrol: { code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified\n' }, sacct: { code: 1, stderr: 'sacct: error: slurmdbd not running' } };

describe('SlurmBackend', () => {
  it('pending and running (also after a requeue) are a live run; the state read is reported for the Jobs view', async () => {
    const pending = setup({ ...scontrol('JobState=PENDING Reason=Priority Restarts=1 Partition=gpu'), squeue: { stdout: '42|2026-12-07T10:00:00|Priority\n' } }, { jobId: '42\n' });
    assert.deepEqual(await pending.backend.status(pending.handle), { state: 'running' });
    assert.deepEqual([pending.seen[0]?.phase, pending.seen[0]?.attempt, pending.seen[0]?.startTime], ['pending', 2, '2026-12-07T10:00:00']);
    assert.deepEqual(pending.login.calls[0], { argv: ['scontrol', 'show', 'job', '-o', '42'], setup: ['module load slurm'] }, "Slurm's commands run through the setup lines, for the folder's job id");
    const running = setup(scontrol('JobState=RUNNING Restarts=0 NodeList=n1'), { jobId: '42' });
    assert.deepEqual(await running.backend.status(running.handle), { state: 'running' });
  });

  it("a finished job's code comes from the run folder first, then from Slurm", async () => {
    const completed = setup(scontrol('JobState=COMPLETED ExitCode=0:0'), { jobId: '42', exitCode: '0\n' });
    assert.deepEqual(await completed.backend.status(completed.handle), { state: 'exited', code: 0 });
    const failed = setup(scontrol('JobState=FAILED Reason=NonZeroExitCode ExitCode=2:0'), { jobId: '42' });
    assert.deepEqual(await failed.backend.status(failed.handle), { state: 'exited', code: 2 });
    const gone = setup(forgotten, { jobId: '42', exitCode: '3\n' });
    assert.deepEqual(await gone.backend.status(gone.handle), { state: 'exited', code: 3 });
  });

  it('a job Slurm ended (time limit, cancel, node failure) or forgot without an exit code is lost, said in plain words', async () => {
    const timeout = setup(scontrol('JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15 TimeLimit=00:01:00'), { jobId: '42', exitCode: '124\n' });
    assert.deepEqual(await timeout.backend.status(timeout.handle), { state: 'lost', reason: 'Stopped by Slurm at its time limit (00:01:00).' });
    const nodeFail = setup(scontrol('JobState=NODE_FAIL Restarts=2'), { jobId: '42' });
    assert.deepEqual(await nodeFail.backend.status(nodeFail.handle), { state: 'lost', reason: 'A node of the job failed (NODE_FAIL). Attempt 3.' });
    const gone = setup(forgotten, { jobId: '42' });
    assert.deepEqual(await gone.backend.status(gone.handle), { state: 'lost', reason: 'Slurm no longer knows job 42, and it left no exit code in its run folder.' });
  });

  it('without a job id in the run folder nothing is asked of Slurm and nothing is cancelled', async () => {
    const none = setup(scontrol('JobState=RUNNING'), { jobId: '$(touch x)' });
    assert.match((await none.backend.status(none.handle) as { reason: string }).reason, /holds no Slurm job id/);
    await none.backend.cancel(none.handle);
    assert.deepEqual(none.login.calls, []);
    const some = setup({ scancel: {} }, { jobId: '42' });
    await some.backend.cancel(some.handle);
    assert.deepEqual(some.login.calls.map((c) => c.argv), [['scancel', '42']]);
  });
});
