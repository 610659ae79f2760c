// `finetune-studio job start --follow` with the real trainer on a tiny random Qwen3 (trainer/tests/make_tiny_model.py)
// on the CPU: the pre-flight check, the launch, every step followed, the job settled as succeeded with its adapter.
// Runs where the trainer venv exists (~/.cache/finetune-studio/trainer-venv-*, as scripts/lib/trainerPython.mjs makes
// it, or FINETUNE_TRAINER_PYTHON); skipped, saying so, elsewhere.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { readJobRecord } from '../../../src/core/jobs/jobStore';
import { job, workspace } from './jobHelpers';

function trainerPython(): string | undefined {
  if (process.env.FINETUNE_TRAINER_PYTHON) return process.env.FINETUNE_TRAINER_PYTHON;
  const base = path.join(homedir(), '.cache', 'finetune-studio');
  const venv = existsSync(base) ? readdirSync(base).filter((d) => d.startsWith('trainer-venv-') && existsSync(path.join(base, d, 'bin', 'python'))).sort().pop() : undefined;
  return venv && path.join(base, venv, 'bin', 'python');
}

const python = trainerPython();
const SAMPLES = [
  { messages: [{ role: 'user', content: '失眠怎么办？' }, { role: 'assistant', content: '睡前泡脚，少饮浓茶。' }] },
  { prompt: 'Capital of France?', completion: 'Paris' },
  { instruction: 'Translate to English', input: '猫', output: 'cat' },
  { messages: [{ role: 'user', content: 'Colour of the sky?' }, { role: 'assistant', content: 'Blue.' }] },
];

describe('finetune-studio job with the real trainer', { skip: python ? false : 'NOT RUN: no trainer venv (~/.cache/finetune-studio/trainer-venv-*) and no FINETUNE_TRAINER_PYTHON' }, () => {
  const ws = workspace('real');
  after(() => {
    rmSync(ws.root, { recursive: true, force: true });
    rmSync(ws.storage, { recursive: true, force: true });
  });

  it('start --follow trains a tiny model on the CPU to the end: exit 0, succeeded, the adapter written', { timeout: 300_000 }, async () => {
    execFileSync(python!, [path.resolve('trainer/tests/make_tiny_model.py'), path.join(ws.root, 'tiny')], { timeout: 180_000, stdio: 'ignore' });
    writeFileSync(path.join(ws.root, 'train.jsonl'), SAMPLES.map((s) => JSON.stringify(s)).join('\n') + '\n');
    writeFileSync(path.join(ws.root, 'tiny.ftjob.json'), JSON.stringify({
      name: 'tiny real',
      baseModel: 'tiny',
      dataset: { train: 'train.jsonl', evalShare: 0 },
      hyperparameters: { maxSteps: 2, batchSize: 2, gradientAccumulation: 1, maxLength: 256, saveSteps: 100, loggingSteps: 1 },
      backend: { kind: 'local', devices: 'cpu' },
    }));
    const run = job(ws, ['start', 'tiny.ftjob.json', '--follow'], {
      env: { PATH: process.env.PATH, HOME: homedir(), HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', FINETUNE_TRAINER_PYTHON: python },
      trainerDir: path.resolve('trainer'),
    });
    const code = await run.code;
    assert.equal(code, 0, `${run.out.stdout}\n${run.out.stderr}`);
    assert.match(run.out.stdout, /^started: 4 samples, 2 steps on cpu$/m);
    assert.deepEqual([...run.out.stdout.matchAll(/^step (\d+)\/2 /gm)].map((m) => m[1]), ['1', '2']);
    const dir = path.join(ws.root, '.finetune', 'jobs', readdirSync(path.join(ws.root, '.finetune', 'jobs'))[0]!);
    const record = await readJobRecord(dir);
    assert.equal(record.status, 'succeeded');
    assert.ok(record.artifacts?.['adapter'] && existsSync(path.join(record.artifacts['adapter'], 'adapter_config.json')), JSON.stringify(record.artifacts));
  });
});
