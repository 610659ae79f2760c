// The Slurm backend's cluster commands against a real single-node Slurm on loopback (scripts/lib/slurm.mjs starts
// it and sets SLURM_CONF): `node scripts/lib/slurm.mjs -- node --test out/test/backends/slurm.test.js`.
// The trainer is a bash stand-in here (the real one has its own tests); run folders carry hostile names.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlurmDefaults } from '../../src/shared/backendConfig';
import { LocalExec } from '../../src/backends/remote/localExec';
import { explainPending, type SlurmJobStatus } from '../../src/backends/slurm/jobState';
import { SlurmError } from '../../src/backends/slurm/messages';
import { sbatchScript } from '../../src/backends/slurm/sbatchScript';
import { SlurmCluster } from '../../src/backends/slurm/slurmCluster';

const skip = process.env.SLURM_CONF ? false : 'no test Slurm: run through `node scripts/lib/slurm.mjs -- node --test …`';
// No backslash in folders: Slurm cannot write output files there (sbatchScript refuses them); the trainer's name has one.
const HOSTILE = `run 'q' "d" $(touch pwned) \`touch pwned\`; & 数据 100%`;
const exec = new LocalExec(process.env);
const cluster = new SlurmCluster(exec);
// Under /tmp, which slurmd (on this machine) sees as the login node does: a shared workDir.
const root = mkdtempSync(join(tmpdir(), 'slurm-backend-'));

/** A run folder with a hostile name and a stand-in trainer (bash) in it. */
function runFolder(name: string, trainerBody: string): { dir: string; trainer: string[] } {
  const dir = join(root, `${name} ${HOSTILE}`);
  mkdirSync(dir);
  const file = join(dir, `trainer ${HOSTILE} \\x.sh`);
  writeFileSync(file, `#!/bin/bash\n${trainerBody}\n`, { mode: 0o755 });
  return { dir, trainer: [file, 'train', '--config', join(dir, 'config.json')] };
}

function script(run: { dir: string; trainer: string[] }, slurm: Partial<SlurmDefaults> = {}, name = `job ${HOSTILE}`): string {
  return sbatchScript({ name, runDir: run.dir, python: '/bin/bash', trainer: run.trainer, slurm: SlurmDefaults.parse({ gpus: 0, ...slurm }) });
}

async function until(id: string, ok: (s: SlurmJobStatus) => boolean, what: string, timeoutMs = 90_000): Promise<SlurmJobStatus> {
  const end = Date.now() + timeoutMs;
  let last: SlurmJobStatus | undefined;
  while (Date.now() < end) {
    last = await cluster.state(id);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${id}: no ${what} within ${timeoutMs / 1000} s (last: ${JSON.stringify(last)})`);
}

const slurmCmd = async (...argv: string[]) => {
  const r = await exec.exec(argv);
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
};

const ended = (s: SlurmJobStatus) => !['pending', 'running', 'requeued'].includes(s.phase);

describe('Slurm on loopback', { skip, concurrency: true }, () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('runs a job in a hostile run folder: argv intact, output files there, exit code recorded, nothing from the names ran', async () => {
    const ok = runFolder('ok', 'printf "%s\\n" "$@" > argv.txt; echo "gpus=$CUDA_VISIBLE_DEVICES"');
    const bad = runFolder('bad', 'exit 3');
    const [okId, badId] = [await cluster.submit(script(ok, { gpus: 1 }), SlurmDefaults.parse({})), await cluster.submit(script(bad), SlurmDefaults.parse({}))];
    const done = await until(okId, ended, 'end');
    assert.deepEqual([done.phase, done.exitCode, done.attempt], ['completed', 0, 1]);
    assert.deepEqual(readFileSync(join(ok.dir, 'argv.txt'), 'utf8').split('\n').slice(0, -1), ok.trainer.slice(1));
    assert.equal(readFileSync(join(ok.dir, 'exit_code'), 'utf8'), '0\n');
    assert.match(readFileSync(join(ok.dir, 'trainer.log'), 'utf8'), /attempt 1[^]*gpus=[01]\n/, 'the fake GPU was given to the job');
    assert.ok(existsSync(join(ok.dir, 'slurm.out')), `Slurm's output file is in the run folder: ${readdirSync(ok.dir).join(', ')}`);
    const failed = await until(badId, ended, 'end');
    assert.deepEqual([failed.phase, failed.exitCode], ['failed', 3]);
    assert.equal(readFileSync(join(bad.dir, 'exit_code'), 'utf8'), '3\n');
    assert.ok(!existsSync(join(root, 'pwned')) && !existsSync(join(ok.dir, 'pwned')) && !existsSync('pwned'), 'nothing in the names ran');
  });

  it('a bad partition is refused with the partitions that exist', async () => {
    const run = runFolder('partition', 'exit 0');
    const slurm = SlurmDefaults.parse({ partition: 'nosuch', gpus: 0 });
    await assert.rejects(cluster.submit(script(run, slurm), slurm), (e: unknown) => {
      assert.ok(e instanceof SlurmError);
      assert.equal(e.message, 'Partition "nosuch" does not exist; partitions here: debug, short.');
      return true;
    });
  });

  it('more GPUs than any node has is refused with what was asked', async () => {
    const run = runFolder('gpus', 'exit 0');
    const slurm = SlurmDefaults.parse({ gpus: 5 });
    await assert.rejects(cluster.submit(script(run, slurm), slurm), /No node of partition .* can ever give --nodes=1 --gres=gpu:5 \(Requested node configuration is not available\)/);
  });

  it('pending jobs say why in words and what to change; cancel ends them', async () => {
    const run = runFolder('pending', 'exit 0');
    const held = await cluster.submit(script(run).replace('#!/bin/bash\n', '#!/bin/bash\n#SBATCH --hold\n'), SlurmDefaults.parse({}));
    const tooLong = await cluster.submit(script(run, { partition: 'short', time: '30' }), SlurmDefaults.parse({}));
    const h = await until(held, (s) => s.reason === 'JobHeldUser', 'JobHeldUser');
    assert.equal(h.phase, 'pending');
    assert.match(explainPending(h, 'en').fix, new RegExp(`scontrol release ${held}`));
    const t = await until(tooLong, (s) => s.reason === 'PartitionTimeLimit', 'PartitionTimeLimit');
    assert.match(explainPending(t, 'en').reason, /longer than partition short allows/);
    assert.match(explainPending(t, 'zh-cn').reason, /分区 short/);
    await cluster.cancel(held);
    await cluster.cancel(tooLong);
    assert.equal((await until(held, ended, 'end')).phase, 'cancelled');
    assert.equal((await until(tooLong, ended, 'end')).phase, 'cancelled');
  });

  it("Slurm's warning before the time limit reaches the trainer, which stops cleanly before the limit", async () => {
    // --time=1 with the warning 59 s before it: Slurm sends it at its next time-limit check (every ~30 s).
    const run = runFolder('signal', `trap 'echo "saved on USR1" > checkpoint; exit 0' USR1; while :; do sleep 0.2; done`);
    const id = await cluster.submit(script(run, { time: '1', signalSeconds: 59 }), SlurmDefaults.parse({}));
    const done = await until(id, ended, 'end', 120_000);
    assert.equal(readFileSync(join(run.dir, 'checkpoint'), 'utf8'), 'saved on USR1\n');
    assert.deepEqual([done.phase, done.exitCode], ['completed', 0], 'it ended by itself, not by the time limit');
    assert.equal(readFileSync(join(run.dir, 'exit_code'), 'utf8'), '0\n');
  });

  it('with requeue allowed, a trainer that stopped on the warning (exit 124) is requeued and its next attempt runs', async () => {
    const run = runFolder('warned', `if [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; then trap 'echo saved > checkpoint; exit 124' USR1; while :; do sleep 0.2; done; fi; echo resumed > resumed`);
    const id = await cluster.submit(script(run, { time: '1', signalSeconds: 59, requeue: true }), SlurmDefaults.parse({}));
    const waiting = await until(id, (s) => s.attempt === 2 && s.phase === 'pending', 'pending attempt 2', 120_000);
    assert.equal(readFileSync(join(run.dir, 'checkpoint'), 'utf8'), 'saved\n');
    assert.ok(!existsSync(join(run.dir, 'exit_code')), 'no exit code while the job goes on');
    assert.equal(waiting.phase, 'pending');
    const done = await until(id, ended, 'end');
    assert.deepEqual([done.phase, done.attempt, done.exitCode], ['completed', 2, 0]);
    assert.equal(readFileSync(join(run.dir, 'resumed'), 'utf8'), 'resumed\n');
    assert.match(readFileSync(join(run.dir, 'trainer.log'), 'utf8'), /requeueing job \d+ to resume from its checkpoint[^]*attempt 2,/);
  });

  it('a requeued job runs again as attempt 2, appending to its log', async () => {
    const run = runFolder('requeue', 'echo "restart=${SLURM_RESTART_COUNT:-0}" >> attempts; while :; do sleep 0.2; done');
    const id = await cluster.submit(script(run, { requeue: true }), SlurmDefaults.parse({}));
    assert.equal((await until(id, (s) => s.phase === 'running', 'start')).attempt, 1);
    for (let i = 0; i < 100 && !existsSync(join(run.dir, 'attempts')); i++) await new Promise((r) => setTimeout(r, 100));
    await slurmCmd('scontrol', 'requeue', id);
    const waiting = await until(id, (s) => s.attempt === 2 && s.phase === 'pending', 'pending attempt 2');
    assert.equal(waiting.reason, 'BeginTime', 'Slurm holds a requeued job back for a while (cred_expire, 10 s here)');
    assert.match(explainPending(waiting, 'en').fix, /starts by itself/);
    const again = await until(id, (s) => s.phase === 'running' && s.attempt === 2, 'attempt 2 running');
    assert.equal(again.attempt, 2);
    for (let i = 0; i < 100 && !readFileSync(join(run.dir, 'attempts'), 'utf8').includes('restart=1'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(readFileSync(join(run.dir, 'attempts'), 'utf8'), 'restart=0\nrestart=1\n');
    assert.match(readFileSync(join(run.dir, 'trainer.log'), 'utf8'), /attempt 1,[^]*attempt 2,/);
    await cluster.cancel(id);
    assert.equal((await until(id, ended, 'end')).phase, 'cancelled');
  });

  it('the probe reports Python, packages, GPUs and a shared workDir from the compute node', async () => {
    const workDir = join(root, `probe ${HOSTILE}`);
    const started = await cluster.startProbe({ workDir, python: 'python3', setup: ['export PROBE_SETUP_RAN=1'], slurm: SlurmDefaults.parse({ gpus: 1 }) });
    let report;
    for (let i = 0; i < 240 && !report; i++) {
      report = await cluster.probeReport(started);
      if (!report) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(report, 'the probe ended');
    assert.equal(report.status?.phase, 'completed', report.output);
    assert.ok(report.result, report.output);
    assert.match(report.result.python, /^3\.\d+/);
    assert.ok('torch' in report.result.packages && 'transformers' in report.result.packages);
    assert.match(report.result.cuda_visible_devices ?? '', /^[01]$/, 'one of the two fake GPUs, given by Slurm');
    assert.equal(report.workDirShared, true);
    assert.deepEqual(readdirSync(workDir), [], 'the probe cleaned up after itself');
  });

  it('partitions come from sinfo, the default marked', async () => {
    const parts = await cluster.partitions();
    assert.deepEqual(parts.map((p) => [p.name, p.isDefault, p.availability]), [['debug', true, 'up'], ['short', false, 'up']]);
    assert.equal(parts[1]!.timeLimit, '10:00');
    assert.equal(parts[0]!.gres, 'gpu:2');
  });
});
