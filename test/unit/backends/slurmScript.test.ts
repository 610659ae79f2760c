import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlurmDefaults } from '../../../src/shared/backendConfig';
import { SlurmError } from '../../../src/backends/slurm/messages';
import { sanitizeJobName, sbatchScript, sbatchWord, type SbatchJob } from '../../../src/backends/slurm/sbatchScript';

const HOSTILE = `run 'q' "d" $(touch pwned) \`touch pwned\`; touch pwned & 数据 %j`;

function job(over: Partial<SbatchJob> = {}, slurm: Partial<SlurmDefaults> = {}): SbatchJob {
  return {
    name: 'my job',
    runDir: '/work/runs/r1',
    python: 'python3',
    trainer: ['-m', 'finetune_trainer', 'train', '--config', '/work/runs/r1/config.json'],
    slurm: SlurmDefaults.parse(slurm),
    ...over,
  };
}

const sbatchLines = (script: string) => script.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => l.slice(8));

describe('the sbatch script', () => {
  it('has an #SBATCH line for each resource of the defaults', () => {
    const lines = sbatchLines(sbatchScript(job({}, { partition: 'gpu', gpus: 4, cpusPerTask: 16, mem: '64G', time: '1-00:00:00', account: 'lab',
      qos: 'high', constraint: 'a100', requeue: true, signalSeconds: 300, extra: ['--mail-type=END'] })));
    for (const want of ['--job-name=my_job', '--partition=gpu', '--nodes=1', '--gres=gpu:4', '--cpus-per-task=16', '--mem=64G',
      '--time=1-00:00:00', '--account=lab', '--qos=high', '--constraint=a100', '--requeue', '--signal=B:USR1@300',
      '--output=/work/runs/r1/slurm.out', '--mail-type=END']) assert.ok(lines.includes(want), `${want} in ${lines.join(' | ')}`);
    assert.ok(!lines.some((l) => l.startsWith('--ntasks-per-node')));
  });

  it('leaves out what is not set, asks --no-requeue by default and --gpus-per-node when told', () => {
    const plain = sbatchLines(sbatchScript(job({}, { gpus: 0 })));
    assert.ok(plain.includes('--no-requeue'));
    assert.ok(!plain.some((l) => /^--(partition|gres|gpus-per-node|mem|time|account|qos|constraint)/.test(l)), plain.join(' | '));
    assert.ok(sbatchLines(sbatchScript(job({}, { gpus: 2, gpusPerNode: true }))).includes('--gpus-per-node=2'));
  });

  it('launches the trainer directly on one node and through srun + torchrun with c10d on several', () => {
    const one = sbatchScript(job());
    assert.match(one, /^python3 -m finetune_trainer train --config \/work\/runs\/r1\/config\.json &$/m);
    assert.doesNotMatch(one, /srun|torchrun|torch\.distributed/);
    const multi = sbatchScript(job({}, { nodes: 2, gpus: 8 }));
    assert.match(multi, /^head_node=\$\(scontrol show hostnames "\$SLURM_JOB_NODELIST" \| head -n 1\)$/m);
    assert.match(multi, /^srun --nodes=2 --ntasks-per-node=1 .*python3 -m torch\.distributed\.run --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_id="\$SLURM_JOB_ID" --rdzv_endpoint="\$head_node:29500" -m finetune_trainer train --config \/work\/runs\/r1\/config\.json &$/m);
    assert.ok(sbatchLines(multi).includes('--ntasks-per-node=1'));
    assert.match(multi, /trap 'forward TERM' USR1/, 'torchrun is sent TERM, which it passes to its workers');
    const oneNode = sbatchScript(job({}, { gpus: 4 }));
    assert.match(oneNode, /^python3 -m torch\.distributed\.run --standalone --nproc_per_node=4 -m finetune_trainer train --config \/work\/runs\/r1\/config\.json &$/m);
    assert.match(oneNode, /trap 'forward TERM' USR1/);
    assert.match(one, /trap 'forward USR1' USR1/);
  });

  it('with requeue allowed, a trainer that stopped on the warning (exit 124) has the job requeued', () => {
    assert.match(sbatchScript(job({}, { requeue: true })), /if \[ "\$code" -eq 124 \]; then .*scontrol requeue "\$SLURM_JOB_ID" && exit 0; fi/);
    assert.doesNotMatch(sbatchScript(job()), /scontrol requeue/);
  });

  it('job names become letters, digits, ".", "_" and "-"', () => {
    assert.equal(sanitizeJobName('Qwen 7B: 医疗 $(rm -rf /)'), 'Qwen_7B_______rm_-rf___');
    assert.equal(sanitizeJobName('数据'), 'finetune');
    assert.equal(sanitizeJobName('x'.repeat(100)).length, 64);
  });

  it('#SBATCH values: plain words stay, others are double-quoted for sbatch, a line break is refused', () => {
    assert.equal(sbatchWord('/a/b-%j.out', 'runDir'), '/a/b-%j.out');
    assert.equal(sbatchWord(`/a b/"c"\\d'e`, 'runDir'), `"/a b/\\"c\\"\\\\d'e"`);
    assert.throws(() => sbatchWord('/a\n#SBATCH --x', 'runDir'), (e: unknown) => e instanceof SlurmError && e.key === 'script.line');
    assert.throws(() => sbatchScript(job({}, { partition: 'gpu\ntouch /tmp/x' })), SlurmError);
    assert.throws(() => sbatchScript(job({}, { account: 'lab; rm -rf /' })), /not a valid Slurm value/);
    assert.throws(() => sbatchScript(job({}, { extra: ['--mail-type=END\nrm -rf /'] })), /line break/);
  });

  it('a run folder with % keeps its % signs (doubled, so Slurm expands none); one with a backslash is refused', () => {
    assert.ok(sbatchLines(sbatchScript(job({ runDir: '/w/100%/r' }))).includes('--output=/w/100%%/r/slurm.out'));
    assert.throws(() => sbatchScript(job({ runDir: '/w/a\\b' })), (e: unknown) => e instanceof SlurmError && e.key === 'script.backslash');
  });

  it('runs setup lines before the trainer; a failing one ends the job with 97 in the exit code file', () => {
    const script = sbatchScript(job({ setup: ['module load cuda/12.4', '# a comment', ''] }));
    assert.match(script, /^module load cuda\/12\.4 \|\| finish 97$/m);
    assert.doesNotMatch(script, /a comment/);
    assert.ok(script.indexOf('module load') < script.indexOf('python3 -m finetune_trainer'));
  });
});

/** Runs the script's shell part with bash in a hostile-named run folder, the trainer replaced by a stand-in. */
function runScript(trainerBody: string, setup: string[] = [], whileRunning?: (pid: number, dir: string) => Promise<void>) {
  const root = mkdtempSync(join(tmpdir(), 'slurm-script-'));
  const dir = join(root, HOSTILE);
  mkdirSync(dir);
  const trainer = join(dir, `trainer ${HOSTILE} \\x.sh`);
  writeFileSync(trainer, `#!/bin/bash\n${trainerBody}\n`, { mode: 0o755 });
  const script = sbatchScript(job({ runDir: dir, python: '/bin/bash', trainer: [trainer, 'train', '--config', join(dir, `c ${HOSTILE}.json`)], setup }));
  writeFileSync(join(root, 'job.sh'), script);
  return new Promise<{ root: string; dir: string; code: number | null }>((resolve) => {
    const child = spawn('/bin/bash', [join(root, 'job.sh')], { cwd: root, stdio: 'ignore', env: { ...process.env, SLURM_JOB_ID: '7' } });
    if (whileRunning) void whileRunning(child.pid!, dir);
    child.on('close', (code) => resolve({ root, dir, code }));
  });
}

const waitFor = async (file: string) => {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('the batch shell (run with bash, no Slurm)', () => {
  it('hands the trainer its argv exactly, runs nothing from the names, and records the exit code', async () => {
    const { root, dir, code } = await runScript('printf "%s\\n" "$@" > argv.txt; echo "to the log"; exit 3');
    try {
      assert.equal(code, 3);
      assert.equal(readFileSync(join(dir, 'exit_code'), 'utf8'), '3\n');
      assert.deepEqual(readFileSync(join(dir, 'argv.txt'), 'utf8').split('\n').slice(0, -1), ['train', '--config', join(dir, `c ${HOSTILE}.json`)]);
      assert.match(readFileSync(join(dir, 'trainer.log'), 'utf8'), /attempt 1, on .*\nto the log\n/);
      assert.ok(!existsSync(join(root, 'pwned')) && !existsSync(join(dir, 'pwned')), 'nothing in the names ran');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a failing setup line ends the job with 97 before the trainer starts', async () => {
    const { root, dir, code } = await runScript('touch started', ['false']);
    try {
      assert.equal(code, 97);
      assert.equal(readFileSync(join(dir, 'exit_code'), 'utf8'), '97\n');
      assert.ok(!existsSync(join(dir, 'started')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("passes Slurm's USR1 (and TERM) on to the trainer and keeps the trainer's own exit status", async () => {
    const body = `trap 'echo usr1 > got; exit 0' USR1; trap 'echo term > got; exit 143' TERM; touch ready; while :; do sleep 0.05; done`;
    for (const [signal, got, status] of [['SIGUSR1', 'usr1', 0], ['SIGTERM', 'term', 143]] as const) {
      const { root, dir, code } = await runScript(body, [], async (pid, d) => {
        await waitFor(join(d, 'ready'));
        process.kill(pid, signal);
      });
      try {
        assert.equal(readFileSync(join(dir, 'got'), 'utf8'), `${got}\n`, signal);
        assert.equal(code, status, signal);
        assert.equal(readFileSync(join(dir, 'exit_code'), 'utf8'), `${status}\n`, signal);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
});
