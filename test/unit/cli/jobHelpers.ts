// A workspace for `finetune-studio job` tests: a spec, a base model folder the pre-flight accepts, a dataset, and a
// stand-in trainer (a few lines of Python speaking the event protocol; torch is not needed) run in-process through
// jobCommand with its own storage folder and a Ctrl+C the test presses.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { jobCommand } from '../../../src/cli/commands/job';
import type { CliIo } from '../../../src/cli/io';
import type { Locale } from '../../../src/core/dataset/types';

export const PYTHON = '/usr/bin/python3';

// check: every package, no GPU. train: `max_steps` steps `learning_rate` seconds apart; `seed` picks the ending:
// 0 done succeeded; 124 a checkpoint, done cancelled (time_limit), exit 124; 125 exit 124 with no done event;
// anything else: that exit code.
const STAND_IN = String.raw`
import json, os, sys, time
if sys.argv[1] == 'check':
    print(json.dumps({'python': '3.12', 'executable': sys.executable, 'packages': {'torch': '2', 'transformers': '5', 'peft': '1', 'accelerate': '1'},
                      'cuda': {'available': False, 'devices': []}}))
    sys.exit(0)
cfg = json.load(open(sys.argv[3]))
steps, pause, mode = cfg['max_steps'], cfg['learning_rate'], cfg['seed']
out = open(cfg['events_file'], 'a', buffering=1)
def emit(**e):
    out.write(json.dumps(dict(time=time.time(), **e)) + '\n')
emit(type='start', config={}, world_size=1, devices=['cpu'], total_steps=steps,
     dataset={'train_samples': 4, 'eval_samples': 0, 'dropped': 0, 'truncated': 0, 'train_tokens': 40})
print('stand-in trainer log line', flush=True)
for step in range(1, steps + 1):
    emit(type='step', step=step, total_steps=steps, epoch=step / steps, loss=2.0 / step, learning_rate=1e-4)
    time.sleep(pause)
if mode == 124:
    ck = os.path.join(cfg['output_dir'], 'checkpoint-%d' % steps)
    os.makedirs(ck)
    emit(type='checkpoint', step=steps, path=ck)
    emit(type='done', status='cancelled', artifacts={'output_dir': cfg['output_dir']}, stop_reason='time_limit', checkpoint=ck)
    sys.exit(124)
if mode == 125:
    sys.exit(124)
if mode == 0:
    emit(type='done', status='succeeded', artifacts={'output_dir': cfg['output_dir']})
sys.exit(mode)
`;

export interface Workspace {
  root: string;
  storage: string;
  standIn: string;
  /** Writes `<name>.ftjob.json` for the stand-in: `steps` steps, `pause` s apart, ending as `mode` says. */
  spec(name: string, steps: number, pause: number, mode: number): string;
}

export function workspace(prefix: string): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), `ft-job-cli-${prefix}-`));
  const storage = path.join(root, '..', `${path.basename(root)}-storage`);
  const model = path.join(root, 'base');
  mkdirSync(model);
  writeFileSync(path.join(model, 'config.json'), '{"model_type": "qwen3"}');
  writeFileSync(path.join(model, 'model.safetensors'), '');
  writeFileSync(path.join(root, 'train.jsonl'), '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n');
  const standIn = path.join(root, 'standin_trainer.py');
  writeFileSync(standIn, STAND_IN);
  return {
    root,
    storage,
    standIn,
    spec(name, steps, pause, mode) {
      const file = path.join(root, `${name}.ftjob.json`);
      writeFileSync(file, JSON.stringify({
        name,
        baseModel: 'base',
        dataset: { train: 'train.jsonl' },
        hyperparameters: { maxSteps: steps, learningRate: pause || 1e-6, seed: mode },
        backend: { kind: 'local', devices: 'cpu' },
      }, null, 2));
      return file;
    },
  };
}

export interface Run {
  code: Promise<number>;
  out: { stdout: string; stderr: string };
  /** Presses Ctrl+C (as SIGINT would). */
  interrupt(): void;
}

/** Runs `finetune-studio job ...args` in `ws.root` with the stand-in trainer (or `env`'s), without waiting for it. */
export function job(ws: Workspace, args: string[], options: { locale?: Locale; env?: NodeJS.ProcessEnv; trainerDir?: string; cwd?: string } = {}): Run {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (s) => { out.stdout += s; }, stderr: (s) => { out.stderr += s; }, locale: options.locale ?? 'en', cwd: options.cwd ?? ws.root };
  const handlers = new Set<() => void>();
  const code = jobCommand(args, io, {
    env: options.env ?? { FINETUNE_TRAINER_ENTRY: ws.standIn, FINETUNE_TRAINER_PYTHON: PYTHON, PATH: process.env.PATH },
    storageDir: ws.storage,
    trainerDir: options.trainerDir ?? path.join(ws.root, 'no-trainer'),
    tickMs: 50,
    onInterrupt: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  });
  return { code, out, interrupt: () => handlers.forEach((h) => h()) };
}

/** Live (not zombie) processes of group `pgid` (the test process itself reaps its detached children late). */
export function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] !== 'Z' && Number(fields[2]) === pgid;
    } catch {
      return false;
    }
  }).map(Number);
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
