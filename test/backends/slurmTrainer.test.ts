// The real trainer through the loopback Slurm, on a tiny random model: Slurm's warning signal reaches the batch
// shell, the trainer saves a checkpoint and stops, the job requeues itself, and attempt 2 resumes from that
// checkpoint. Runs where a Python with the trainer's packages exists (FINETUNE_TRAINER_PYTHON, as the integration
// tier sets it; scripts/lib/trainerPython.mjs) and the test Slurm is up (SLURM_CONF).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SlurmDefaults } from '../../src/shared/backendConfig';
import { LocalExec } from '../../src/backends/remote/localExec';
import type { SlurmJobStatus } from '../../src/backends/slurm/jobState';
import { sbatchScript } from '../../src/backends/slurm/sbatchScript';
import { SlurmCluster } from '../../src/backends/slurm/slurmCluster';

const PYTHON = process.env.FINETUNE_TRAINER_PYTHON;
const skip = !process.env.SLURM_CONF ? 'no test Slurm (SLURM_CONF)' : !PYTHON ? 'NOT RUN: no trainer Python (FINETUNE_TRAINER_PYTHON)' : false;
const exec = new LocalExec(process.env);
const cluster = new SlurmCluster(exec);

const SAMPLES = [
  { messages: [{ role: 'user', content: '失眠怎么办？' }, { role: 'assistant', content: '睡前泡脚，少饮浓茶。' }] },
  { prompt: 'Capital of France?', completion: 'Paris' },
  { instruction: 'Translate to English', input: '猫', output: 'cat' },
  { messages: [{ role: 'user', content: 'Colour of the sky?' }, { role: 'assistant', content: 'Blue.' }] },
];

type Event = { type: string; step?: number; path?: string; status?: string; stop_reason?: string; checkpoint?: string; resumed_from?: string };
const events = (file: string): Event[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
  } catch {
    return [];
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 240_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
}

describe('the real trainer on the loopback Slurm', { skip, concurrency: true }, () => {
  const root = mkdtempSync(join(tmpdir(), 'slurm-trainer-'));
  const model = join(root, 'model');

  after(() => rmSync(root, { recursive: true, force: true }));

  before(async () => {
    await promisify(execFile)(PYTHON!, [resolve('trainer/tests/make_tiny_model.py'), model], { timeout: 180_000 });
  });

  /** A run folder, its config (a long run that resumes from its latest checkpoint), and the submitted job. */
  async function submitRun(name: string) {
    const runDir = join(root, `${name} 'a' $(x) 数据`);
    mkdirSync(runDir);
    const train = join(runDir, 'train.jsonl');
    writeFileSync(train, SAMPLES.map((s) => JSON.stringify(s)).join('\n').concat('\n').repeat(3));
    const configFile = join(runDir, 'config.json');
    const config = {
      ...JSON.parse(readFileSync('test/fixtures/trainer/config.json', 'utf8')),
      model_name_or_path: model, train_file: train, eval_share: 0, output_dir: join(runDir, 'output'), events_file: join(runDir, 'events.jsonl'),
      max_steps: 100_000, save_steps: 100_000, per_device_train_batch_size: 2, gradient_accumulation_steps: 1, max_length: 128,
      gradient_checkpointing: false, device: 'cpu', resume_from_checkpoint: 'latest',
    };
    writeFileSync(configFile, JSON.stringify(config));
    const slurm = SlurmDefaults.parse({ gpus: 0, requeue: true });
    const id = await cluster.submit(sbatchScript({ name, runDir, python: PYTHON!, trainerDir: resolve('trainer'),
      trainer: ['-m', 'finetune_trainer', 'train', '--config', configFile], slurm }), slurm);
    await until('a step event', () => events(config.events_file).find((e) => e.type === 'step'));
    return { runDir, config, configFile, id };
  }

  /** After the stop: the checkpoint it saved; attempt 2 is let to run two more steps, resumed from that checkpoint. */
  async function resumes(run: Awaited<ReturnType<typeof submitRun>>, stopReason: string) {
    const { config, configFile, id, runDir } = run;
    const stop = await until('the stop', () => events(config.events_file).find((e) => e.type === 'done'));
    assert.deepEqual([stop.status, stop.stop_reason], ['cancelled', stopReason]);
    const saved = events(config.events_file).filter((e) => e.type === 'checkpoint');
    assert.equal(saved.length, 1, 'one checkpoint, saved on the way out');
    assert.equal(stop.checkpoint, saved[0]!.path);

    await until('attempt 2 pending', async () => {
      const s = await cluster.state(id);
      return s?.attempt === 2 && s.phase === 'pending' ? s : undefined;
    });
    writeFileSync(configFile, JSON.stringify({ ...config, max_steps: saved[0]!.step! + 2 })); // so attempt 2 ends soon
    const done = await until<SlurmJobStatus>('the end of attempt 2', async () => {
      const s = await cluster.state(id);
      return s && !['pending', 'running', 'requeued'].includes(s.phase) ? s : undefined;
    });
    const log = readFileSync(join(runDir, 'trainer.log'), 'utf8');
    assert.deepEqual([done.phase, done.attempt], ['completed', 2], log.slice(-3000));
    const all = events(config.events_file);
    const starts = all.filter((e) => e.type === 'start');
    assert.equal(starts.length, 2);
    assert.equal(starts[0]!.resumed_from, undefined);
    assert.equal(starts[1]!.resumed_from, saved[0]!.path);
    const afterResume = all.slice(all.indexOf(starts[1]!));
    assert.deepEqual(afterResume.filter((e) => e.type === 'step').map((e) => e.step), [saved[0]!.step! + 1, saved[0]!.step! + 2]);
    assert.equal(all.at(-1)!.status, 'succeeded');
    assert.equal(readFileSync(join(runDir, 'exit_code'), 'utf8'), '0\n');
  }

  it("stops on Slurm's warning with a checkpoint, requeues itself, and attempt 2 resumes from it", async () => {
    const run = await submitRun('warned');
    // The warning as --signal=B:USR1 sends it (to the batch shell only), once the trainer is in its loop.
    const sent = await exec.exec(['scancel', '--batch', '--signal=USR1', run.id]);
    assert.equal(sent.code, 0, sent.stderr);
    await resumes(run, 'time_limit');
  });

  it('a job requeued by Slurm (as a preemption does) saves a checkpoint on TERM and attempt 2 resumes from it', async () => {
    const run = await submitRun('preempted');
    // TERM reaches every process of the job and the batch shell passes its own on: the trainer takes them as one.
    const sent = await exec.exec(['scontrol', 'requeue', run.id]);
    assert.equal(sent.code, 0, sent.stderr);
    await resumes(run, 'terminated');
  });
});
