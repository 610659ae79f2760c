// Both sides of the trainer protocol agree: events written by the Python EventWriter (trainer/finetune_trainer/
// events.py) parse with the zod TrainerEvent (src/shared/trainerEvents.ts), the shared examples pass both
// validators, the shared config example loads through zod TrainConfig and the Python TrainConfig alike, and the
// fake trainer the process-level tests use (test/fixtures/trainer/fake_trainer.py) speaks the same protocol.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TrainerEvent, parseEventLine } from '../../src/shared/trainerEvents';
import { TrainConfig } from '../../src/shared/trainerConfig';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FIXTURES = 'test/fixtures/trainer';
const env = { ...process.env, PYTHONPATH: path.resolve('trainer'), PYTHONDONTWRITEBYTECODE: '1' };

/** Runs Python code (or a script) and returns its stdout; fails with Python's stderr. */
function python(args: string[], extraEnv: Record<string, string> = {}): { stdout: string; status: number | null } {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 60_000 });
  if (r.error) throw new Error(`cannot run ${PYTHON}: ${r.error.message}. The trainer protocol tests need Python 3.10 or newer as ${PYTHON}.`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${PYTHON} ${args.join(' ').slice(0, 80)} exited with ${r.status}:\n${r.stderr}`);
  return { stdout: r.stdout, status: r.status };
}

function parseAll(text: string): TrainerEvent[] {
  return text.split('\n').filter((l) => l.trim()).map((line, i) => {
    const parsed = TrainerEvent.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `line ${i + 1} does not match the zod schema: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}\n${line}`);
    return parsed.data;
  });
}

const ALL_TYPES = TrainerEvent.options.map((o) => o.shape.type.value).sort();

describe('trainer protocol: Python and TypeScript agree', () => {
  it('every event type the Python EventWriter writes parses with the zod schema', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ft-events-'));
    const file = path.join(dir, 'events.jsonl');
    const code = `
import io, sys
from finetune_trainer.events import EventWriter
w = EventWriter(sys.argv[1], stdout=io.StringIO(), enabled=True)
w.start(config={"method": "lora"}, world_size=2, devices=["GPU 0", "GPU 1"], total_steps=9,
        dataset={"train_samples": 5, "eval_samples": 1, "dropped": 1, "truncated": 0, "train_tokens": 800}, resumed_from="/o/checkpoint-3")
w.step(step=4, total_steps=9, epoch=0.4, loss=1.5, learning_rate=2e-4, grad_norm=0.7, tokens_per_second=900.5, memory_gb=2.5)
w.step(step=5, total_steps=9, epoch=0.5, loss=1.4, learning_rate=1e-4)
w.eval(step=5, eval_loss=1.6)
w.checkpoint(step=5, path="/o/checkpoint-5")
w.predict(done=2, total=4)
w.metrics(split="predict", values={"predict_samples": 4, "predict_runtime": 1.5})
w.done(status="cancelled", artifacts={"output_dir": "/o"}, stop_reason="time_limit", checkpoint="/o/checkpoint-5")
w.error(kind="missing_package", message="peft is not installed", fix="python3 -m pip install peft", traceback="ModuleNotFoundError: peft")
w.close()
`;
    python(['-c', code, file]);
    const events = parseAll(readFileSync(file, 'utf8'));
    assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), ALL_TYPES);
    assert.equal(events.length, 9);
    const done = events.find((e) => e.type === 'done');
    assert.ok(done?.type === 'done' && done.stop_reason === 'time_limit' && done.checkpoint === '/o/checkpoint-5', 'the fields of a stop on a signal');
  });

  it('the shared example events pass both validators', () => {
    const fixture = path.join(FIXTURES, 'events.jsonl');
    assert.deepEqual([...new Set(parseAll(readFileSync(fixture, 'utf8')).map((e) => e.type))].sort(), ALL_TYPES);
    const code = `
import json, sys
from finetune_trainer.events import validate_event
print(json.dumps([validate_event(json.loads(l)) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]))
`;
    const problems = JSON.parse(python(['-c', code, fixture]).stdout) as (string | null)[];
    assert.deepEqual(problems.filter((p) => p !== null), []);
  });

  it('the shared config example loads the same through zod and the Python TrainConfig', () => {
    const fixture = path.join(FIXTURES, 'config.json');
    const viaZod = TrainConfig.parse(JSON.parse(readFileSync(fixture, 'utf8')));
    const code = `
import json, sys
from finetune_trainer.config import TrainConfig
print(json.dumps({"loaded": TrainConfig.from_json_file(sys.argv[1]).to_dict(), "fields": list(TrainConfig.help())}))
`;
    const viaPython = JSON.parse(python(['-c', code, fixture]).stdout) as { loaded: unknown; fields: string[] };
    assert.deepEqual(viaPython.loaded, viaZod);
    assert.deepEqual([...viaPython.fields].sort(), [...TrainConfig.keyof().options].sort(), 'the two config schemas name the same fields');
  });

  it('both sides reject a config with an unknown key', () => {
    const withTypo = { ...JSON.parse(readFileSync(path.join(FIXTURES, 'config.json'), 'utf8')), lora_rnak: 8 };
    assert.equal(TrainConfig.safeParse(withTypo).success, false);
    const code = `
import json, sys
from finetune_trainer.config import ConfigError, TrainConfig
try:
    TrainConfig.from_dict(json.loads(sys.argv[1]))
except ConfigError as e:
    print(e)
`;
    assert.match(python(['-c', code, JSON.stringify(withTypo)]).stdout, /unknown key 'lora_rnak'/);
  });

  it('the fake trainer runs end to end and every line it writes is a valid event', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ft-fake-'));
    const config = {
      ...JSON.parse(readFileSync(path.join(FIXTURES, 'config.json'), 'utf8')),
      train_file: path.join(dir, 'train.jsonl'), output_dir: path.join(dir, 'out'), events_file: path.join(dir, 'events.jsonl'), save_steps: 2,
    };
    writeFileSync(config.train_file, '{"prompt": "q", "completion": "a"}\n'.repeat(10));
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify(config));
    const { stdout, status } = python([path.join(FIXTURES, 'fake_trainer.py'), 'train', '--config', path.join(dir, 'job.json')],
      { FAKE_TRAINER_STEP_SECONDS: '0', FAKE_TRAINER_STEPS: '4' });
    assert.equal(status, 0);
    const lines = stdout.split('\n').filter((l) => l.trim());
    const events = lines.map((line) => {
      const parsed = parseEventLine(line);
      assert.ok(parsed && 'event' in parsed, `not an event: ${line} (${parsed && 'problem' in parsed ? parsed.problem : 'not JSON'})`);
      return parsed.event;
    });
    assert.deepEqual(events.map((e) => e.type), ['start', 'step', 'step', 'checkpoint', 'step', 'step', 'eval', 'checkpoint', 'metrics', 'done']);
    assert.deepEqual(readFileSync(config.events_file, 'utf8').split('\n').filter((l) => l.trim()), lines, 'the events file holds the same lines');
    assert.ok(existsSync(path.join(dir, 'out', 'checkpoint-2')) && existsSync(path.join(dir, 'out', 'checkpoint-4')));
  });
});
