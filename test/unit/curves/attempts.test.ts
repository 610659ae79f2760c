// Resumed runs (issue 15): a JSONL log whose steps go back holds several attempts; the run is the latest attempt
// over the steps it covers, earlier attempts only where no later one reaches, and the panel, the CLI and the
// evidence say the attempts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importCurves, importEvents } from '../../../src/core/curves/importers';
import { diagnose, evidenceLines } from '../../../src/core/curves/diagnose';
import { resumedAt } from '../../../src/core/curves/attempts';
import { toRun } from '../../../src/core/curves/run';
import { diagnoseCommand } from '../../../src/cli/commands/diagnose';
import { series } from '../../../webview/lossCurve/series';
import { runTail } from '../../../src/shared/protocol/lossCurve';

const FIXTURES = 'test/fixtures/curves';
const read = (rel: string) => importCurves(`${FIXTURES}/${rel}`, readFileSync(`${FIXTURES}/${rel}`, 'utf8'));

describe('a LLaMA-Factory log requeued twice, the latest attempt still running', () => {
  // Attempt 1: steps 10–600 (eval at 250 and 500); requeued from checkpoint-500: attempt 2 510–560, attempt 3 510–580.
  // Lines as LLaMA-Factory's LogCallback writes them today: appended on resume, None values dropped, the rate as `lr`,
  // throughput and total_tokens (llamafactory-resumed has the older shape: nulls kept, `learning_rate` too).
  const { curves } = read('llamafactory-requeued/trainer_log.jsonl');

  it('keeps the latest attempt where it reaches and the first attempt after it (590, 600)', () => {
    assert.deepEqual(curves.attempts, [{ start: 10, end: 600 }, { start: 510, end: 560 }, { start: 510, end: 580 }]);
    assert.deepEqual(resumedAt(curves.attempts), [510, 510]);
    const steps = curves.train.map((p) => p.step);
    assert.equal(steps.length, 60, 'one point a step');
    assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]!), 'in order');
    const lines = readFileSync(`${FIXTURES}/llamafactory-requeued/trainer_log.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { current_steps: number; loss?: number });
    const lossOf = (step: number, nth: number) => lines.filter((l) => l.current_steps === step && l.loss !== undefined)[nth]!.loss;
    assert.equal(curves.train.find((p) => p.step === 550)!.loss, lossOf(550, 2), 'step 550 from attempt 3');
    assert.equal(curves.train.find((p) => p.step === 500)!.loss, lossOf(500, 0), 'step 500 from attempt 1 (before every resume)');
    assert.equal(curves.train.find((p) => p.step === 600)!.loss, lossOf(600, 0), 'step 600 from attempt 1: no later attempt reached it');
    assert.deepEqual(curves.eval.map((p) => p.step), [250, 500]);
  });

  it('the superseded parts: attempt 1 over 510–580, attempt 2 over 510–560', () => {
    assert.equal(curves.superseded!.length, 2);
    assert.deepEqual(curves.superseded![0]!.map((p) => p.step), [510, 520, 530, 540, 550, 560, 570, 580]);
    assert.deepEqual(curves.superseded![1]!.map((p) => p.step), [510, 520, 530, 540, 550, 560]);
  });

  it('the diagnosis and the CLI say the attempts and where each started', async () => {
    const d = diagnose(curves);
    assert.match(d.reason, /3 attempts: the earlier ones were superseded from step 510 on/, 'the step once');
    assert.match(d.reason, /the steps after 580, which it has not reached, come from an earlier attempt/);
    assert.match(diagnose(curves, { locale: 'zh-cn' }).reason, /第 580 步以后的点来自较早的尝试/);
    const lines = evidenceLines(d.evidence).join('\n');
    assert.match(lines, /attempt 1: steps 10–600; attempt 2 from step 510 \(to 560\); attempt 3 from step 510 \(to 580\)/);
    assert.match(evidenceLines(diagnose(curves, { locale: 'zh-cn' }).evidence, 'zh-cn').join('\n'), /第 3 次尝试从第 510 步起/);
    let out = '';
    const code = await diagnoseCommand(['llamafactory-requeued/trainer_log.jsonl'], { stdout: (s) => { out += s; }, stderr: () => {}, locale: 'en', cwd: FIXTURES });
    assert.equal(code, 0);
    assert.match(out, /attempt 3 from step 510/);
  });

  it('the panel gets the attempts and the superseded points; the page marks each later start', () => {
    const run = toRun('requeued', curves, 0, 'en');
    assert.deepEqual(run.attempts, curves.attempts);
    assert.equal(run.superseded!.length, 2);
    assert.ok(run.evidence.some((l) => /attempt 2 from step 510/.test(l)));
    const s = series(run, 0.6, false);
    assert.deepEqual(s.attempts, [{ number: 2, step: 510 }, { number: 3, step: 510 }]);
    assert.deepEqual(s.attemptStarts.map((p) => p.x), [510, 510]);
    assert.ok(s.attemptStarts.every((p) => typeof p.y === 'number'), 'on the smoothed curve');
    assert.equal(s.superseded.length, 8 + 1 + 6, "both attempts' points with a gap between them");
    assert.equal(s.superseded[8]!.y, null);
    // A resumed run is sent whole, never as a tail of the previous one.
    assert.equal(runTail(run, toRun('requeued', curves, 0, 'en')), undefined);
  });
});

describe('an events.jsonl of a Slurm job requeued twice (our trainer)', () => {
  // Attempt 1: steps 1–140 (eval and checkpoint at 50, 100), the node failed; attempt 2 resumed from checkpoint-100,
  // preempted at 125 (a `done` with stop_reason terminated); attempt 3 from checkpoint-100 again, running at 118.
  const { curves, skipped } = read('events-requeued/events.jsonl');

  it('the latest attempt where it reaches (101–118), the second after it (119–125), the first after that (126–140)', () => {
    assert.equal(skipped.length, 0);
    assert.deepEqual(curves.attempts, [{ start: 1, end: 140 }, { start: 101, end: 125 }, { start: 101, end: 118 }]);
    const lines = readFileSync(`${FIXTURES}/events-requeued/events.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: number; loss?: number });
    const steps = lines.filter((l) => l.type === 'step');
    const lossOf = (step: number, nth: number) => steps.filter((l) => l.step === step)[nth]!.loss;
    assert.equal(curves.train.length, 140);
    assert.equal(curves.train.find((p) => p.step === 110)!.loss, lossOf(110, 2));
    assert.equal(curves.train.find((p) => p.step === 120)!.loss, lossOf(120, 1));
    assert.equal(curves.train.find((p) => p.step === 130)!.loss, lossOf(130, 0));
    assert.deepEqual(curves.checkpoints.map((c) => c.step), [50, 100]);
    assert.deepEqual(curves.superseded!.map((list) => [list[0]!.step, list.at(-1)!.step]), [[101, 125], [101, 118]]);
    assert.match(diagnose(curves).reason, /3 attempts/);
  });
});

describe('events.jsonl whose steps only go forward', () => {
  const step = (s: number, loss: number) => JSON.stringify({ type: 'step', time: 1765000000 + s, step: s, total_steps: 40, epoch: s / 20, loss, learning_rate: 1e-4 });
  const lines = [
    JSON.stringify({ type: 'start', time: 1765000000, config: { base_model: 'Qwen/Qwen2.5-0.5B-Instruct' } }),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => step(s, 2 - s * 0.1)),
    JSON.stringify({ type: 'checkpoint', time: 1765000020, step: 10, path: 'checkpoints/checkpoint-10' }),
    ...[11, 12].map((s) => step(s, 2 - s * 0.1)),
  ];
  it('one attempt, no attempt fields (a checkpoint at the step just logged is no step back)', () => {
    const { curves } = importEvents(lines.slice(0, 14).join('\n'));
    assert.equal(curves.attempts, undefined);
    assert.equal(curves.superseded, undefined);
    assert.equal(toRun('x', curves, 0, 'en').attempts, undefined);
  });
});
