// A stand-in for the trainer's CLI on the remote side (the real one needs torch): `check` prints a TrainerCheck
// line; `predict --config F` writes three answers to output_dir/generated_predictions.jsonl and a done event naming
// it; `train --config F` writes max_steps step events to events_file (max_steps -1: forever, with a child
// process, for cancel), and a first line saying what it saw (setup's variable, its session and group).
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RunConfig } from '../../src/backends/backend';

const SCRIPT = String.raw`
import json, os, subprocess, sys, time
if sys.argv[1] == 'check':
    print(json.dumps({'python': sys.version.split()[0], 'executable': sys.executable, 'packages': {'torch': None},
                      'cuda': {'available': False, 'devices': []}, 'setup': os.environ.get('FT_SETUP_SEEN')}))
    sys.exit(0)
config = json.load(open(sys.argv[3]))
if sys.argv[1] == 'predict':
    os.makedirs(config['output_dir'], exist_ok=True)
    predictions = os.path.join(config['output_dir'], 'generated_predictions.jsonl')
    with open(predictions, 'w', encoding='utf-8') as fh:
        for i in range(3):
            fh.write(json.dumps({'prompt': f'q{i} 微调', 'predict': f'a{i}', 'label': f'a{i}'}, ensure_ascii=False) + '\n')
    with open(config['events_file'], 'a') as ev:
        ev.write(json.dumps({'type': 'done', 'time': time.time(), 'status': 'succeeded',
                             'artifacts': {'output_dir': config['output_dir'], 'predictions': predictions}}) + '\n')
    sys.exit(0)
steps = config['max_steps']
out = open(config['events_file'], 'a', buffering=1)
out.write(json.dumps({'type': 'stand_in', 'setup': os.environ.get('FT_SETUP_SEEN'), 'sid_is_pgid': os.getsid(0) == os.getpgid(0),
                      'train_file': config['train_file'], 'cwd': os.getcwd()}) + '\n')
if steps < 0:
    child = subprocess.Popen(['sleep', '600'])
    open(os.path.join(os.path.dirname(config['events_file']), 'child_pid'), 'w').write(str(child.pid))
    while True:
        time.sleep(1)
for step in range(1, steps + 1):
    out.write(json.dumps({'type': 'step', 'time': time.time(), 'step': step, 'total_steps': steps, 'epoch': step / steps,
                          'loss': 1.0 / step, 'learning_rate': 0.0001, 'note': 'données 微调 $(x); y'}) + '\n')
    time.sleep(float(config['learning_rate']))
sys.exit(int(config['seed']))
`;

/** Writes the stand-in into `dir`; returns its path. */
export function writeStandIn(dir: string): string {
  const file = path.join(dir, 'standin_trainer.py');
  writeFileSync(file, SCRIPT);
  return file;
}

/** A trainer config for the stand-in: `steps` events (-1: forever), `sleep` seconds apart, exiting with `exitCode`. */
export function standInConfig(trainFile: string, steps: number, sleep: number, exitCode = 0, model = 'org/tiny-hub-model'): RunConfig {
  return {
    model_name_or_path: model, method: 'lora', train_file: trainFile, eval_file: null, eval_share: 0.1,
    num_train_epochs: 1, max_steps: steps, learning_rate: sleep, per_device_train_batch_size: 1,
    gradient_accumulation_steps: 1, max_length: 64, over_length: 'drop', packing: false, group_by_length: false,
    warmup_ratio: 0, weight_decay: 0, lora_rank: 8, lora_alpha: 16, lora_dropout: 0, lora_target_modules: null,
    num_virtual_tokens: 20, precision: 'auto', gradient_checkpointing: false, logging_steps: 1, eval_steps: 50,
    save_steps: 100, seed: exitCode, device: 'cpu', export_format: 'merged', export_dtype: 'fp32', resume_from_checkpoint: null,
  };
}
