// The log importers on fixture files (test/fixtures/curves) and on bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CurveImportError, detectSource, importCurves, parseJsonWithNaN } from '../../../src/core/curves/importers';
import { diagnose } from '../../../src/core/curves/diagnose';

const FIXTURES = 'test/fixtures/curves';
const load = (rel: string) => importCurves(`${FIXTURES}/${rel}`, readFileSync(`${FIXTURES}/${rel}`, 'utf8'));

describe('parseJsonWithNaN', () => {
  it('reads bare NaN, Infinity and -Infinity as numbers', () => {
    const v = parseJsonWithNaN('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [NaN,-Infinity], "e": 1e-5}') as Record<string, unknown>;
    assert.ok(Number.isNaN(v.a));
    assert.equal(v.b, Infinity);
    assert.equal(v.c, -Infinity);
    assert.ok(Number.isNaN((v.d as number[])[0]));
    assert.equal((v.d as number[])[1], -Infinity);
    assert.equal(v.e, 1e-5);
  });

  it('leaves strings that contain those words alone, escaped quotes included', () => {
    const v = parseJsonWithNaN('{"s": "NaN Infinity -Infinity", "t": "say \\"NaN\\" then Infinity", "NaN": NaN}') as Record<string, unknown>;
    assert.equal(v.s, 'NaN Infinity -Infinity');
    assert.equal(v.t, 'say "NaN" then Infinity');
    assert.ok(Number.isNaN(v.NaN));
  });

  it('still rejects JSON that is broken for other reasons', () => {
    assert.throws(() => parseJsonWithNaN('{"a": NaNx}'));
    assert.throws(() => parseJsonWithNaN('{"a": 1,'));
  });
});

describe('HF trainer_state.json', () => {
  it('reads train and eval loss, learning rate, max_steps; NaN losses stay NaN; strings are untouched', () => {
    const { curves, skipped } = load('hf-nan/trainer_state.json');
    assert.equal(curves.source, 'hf-trainer-state');
    assert.equal(curves.train.length, 30);
    assert.equal(curves.eval.length, 6, 'one eval every 50 steps over 300 steps');
    assert.deepEqual(curves.eval.map((p) => p.step), [50, 100, 150, 200, 250, 300]);
    assert.equal(curves.learningRate.length, 30);
    assert.equal(curves.totalSteps, 300);
    assert.deepEqual(skipped, []);
    assert.ok(Number.isNaN(curves.train.find((p) => p.step === 210)!.loss));
    assert.ok(Number.isFinite(curves.train.find((p) => p.step === 200)!.loss), 'only grad_norm is NaN at step 200');
    assert.equal(curves.train[0]!.epoch, 0.1);
    const raw = parseJsonWithNaN(readFileSync(`${FIXTURES}/hf-nan/trainer_state.json`, 'utf8')) as { trial_name: string };
    assert.equal(raw.trial_name, 'NaN Infinity -Infinity "NaN" run');
  });

  it('diagnoses the NaN run as diverged at the first NaN loss', () => {
    const d = diagnose(load('hf-nan/trainer_state.json').curves);
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence.nonFiniteStep, 210);
  });

  it('reads best_model_checkpoint as a checkpoint and names it in the overfitting advice', () => {
    const { curves } = load('hf-overfit/trainer_state.json');
    assert.deepEqual(curves.checkpoints, [{ step: 100, path: 'saves/qwen-lora/checkpoint-100' }]);
    const d = diagnose(curves);
    assert.equal(d.verdict, 'overfitting');
    assert.equal(d.bestStep, 100);
    assert.match(d.advice, /saves\/qwen-lora\/checkpoint-100/);
  });

  it('invalid JSON gives a CurveImportError with the line', () => {
    const text = '{\n  "log_history": [\n    {"step": 1, "loss": 2.0},\n    {"step": 2 "loss": 1.0}\n  ]\n}\n';
    assert.throws(() => importCurves('trainer_state.json', text), (err: unknown) => {
      assert.ok(err instanceof CurveImportError);
      assert.equal(err.line, 4);
      assert.match(err.message, /^line 4: trainer_state.json is not valid JSON/);
      return true;
    });
  });

  it('no log_history is a clear error; entries without a step are skipped and counted', () => {
    assert.throws(() => importCurves('trainer_state.json', '{"global_step": 3}'), /no log_history/);
    const { curves, skipped } = importCurves('trainer_state.json', '{"log_history": [{"loss": 1}, 7, {"step": 2, "loss": 0.5}]}');
    assert.equal(curves.train.length, 1);
    assert.deepEqual(skipped.map((s) => s.line), [1, 2]);
  });
});

describe('LLaMA-Factory trainer_log.jsonl', () => {
  it('reads current_steps, total_steps, loss, learning_rate, epoch; null eval_loss is no eval point; a bad line is skipped with its number', () => {
    const { curves, skipped } = load('llamafactory/trainer_log.jsonl');
    assert.equal(curves.source, 'llamafactory-log');
    assert.equal(curves.train.length, 40);
    assert.equal(curves.eval.length, 0);
    assert.equal(curves.totalSteps, 200);
    assert.equal(curves.learningRate.length, 40);
    assert.equal(curves.train[0]!.step, 5);
    assert.equal(curves.train[0]!.epoch, 0.05);
    assert.deepEqual(skipped, [{ line: 21, reason: 'not valid JSON' }]);
    assert.equal(diagnose(curves).verdict, 'still_improving');
  });

  it('a file with no current_steps line is an error', () => {
    assert.throws(() => importCurves('trainer_log.jsonl', '{"loss": 1}\n'), CurveImportError);
  });
});

describe('events.jsonl', () => {
  it('reads step, eval and checkpoint events, ignores other types, skips a bad line', () => {
    const { curves, skipped } = load('events.jsonl');
    assert.equal(curves.source, 'events');
    assert.equal(curves.train.length, 100);
    assert.deepEqual(curves.eval.map((p) => p.step), [97, 197, 297, 397]);
    assert.deepEqual(curves.checkpoints, [{ step: 197, path: 'output/checkpoint-197' }, { step: 397, path: 'output/checkpoint-397' }]);
    assert.deepEqual(skipped, [{ line: 6, reason: 'not valid JSON' }]);
    assert.equal(diagnose(curves).verdict, 'converged');
  });

  it('a step without a numeric loss is skipped and counted', () => {
    const { curves, skipped } = importCurves('events.jsonl', '{"type":"step","step":1,"loss":1}\n{"type":"step","step":2,"loss":"x"}\n[1]\n{"type":"eval","eval_loss":1}\n');
    assert.equal(curves.train.length, 1);
    assert.deepEqual(skipped.map((s) => s.line), [2, 3, 4]);
  });
});

describe('empty logs', () => {
  it('an empty events.jsonl gives empty curves, which diagnose as insufficient data (no train loss)', () => {
    const { curves, skipped } = importCurves('events.jsonl', '\n');
    assert.equal(curves.train.length, 0);
    assert.equal(skipped.length, 0);
    const d = diagnose(curves);
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'no_train_loss');
  });
});

describe('detectSource', () => {
  it('from the file name first, then the content', () => {
    assert.equal(detectSource('/a/b/trainer_state.json', ''), 'hf-trainer-state');
    assert.equal(detectSource('C:\\runs\\trainer_log.jsonl', ''), 'llamafactory-log');
    assert.equal(detectSource('events.jsonl', ''), 'events');
    assert.equal(detectSource('run1.json', '{\n  "log_history": []\n}'), 'hf-trainer-state');
    assert.equal(detectSource('log.jsonl', '{"current_steps": 1, "loss": 2}\n'), 'llamafactory-log');
    assert.equal(detectSource('log.jsonl', '\n{"type": "step", "step": 1, "loss": 2}\n'), 'events');
    assert.equal(detectSource('notes.txt', 'hello'), undefined);
    assert.throws(() => importCurves('notes.txt', 'hello'), /not a known training log/);
  });
});
