// The diagnosis on fixtures in the shapes real runs draw (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl,
// events.jsonl), one per class of issue 15: each asserts its exact verdict.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importCurves } from '../../../src/core/curves/importers';
import { diagnose, evidenceLines } from '../../../src/core/curves/diagnose';
import { resumedAt } from '../../../src/core/curves/attempts';
import type { Locale } from '../../../src/core/dataset/types';

const FIXTURES = 'test/fixtures/curves';
const read = (rel: string) => importCurves(`${FIXTURES}/${rel}`, readFileSync(`${FIXTURES}/${rel}`, 'utf8'));
const judge = (rel: string, locale: Locale = 'en') => diagnose(read(rel).curves, { locale });

describe('near-zero losses are judged against the fall', () => {
  it('flat near zero for most of 131 epochs, the tail moving 0.004 → 0.0029: converged_early (memorised), not still_improving', () => {
    const d = judge('hf-memorised/trainer_state.json');
    assert.equal(d.verdict, 'converged_early');
    assert.equal(d.evidence.nearZero, true);
    assert.ok(Math.abs(d.evidence.tail!.change) < 0.03, `tail ${d.evidence.tail!.change}`);
    assert.match(d.reason, /memorised/);
    assert.match(judge('hf-memorised/trainer_state.json', 'zh-cn').reason, /背下了训练数据/);
    assert.match(evidenceLines(d.evidence).join('\n'), /near-zero loss: changes are measured against the fall/);
  });

  it('train loss ending near 0.05 with noise while eval rises: overfitting, not diverged', () => {
    const d = judge('hf-overfit-near-zero/trainer_state.json');
    assert.equal(d.verdict, 'overfitting');
    assert.equal(d.evidence.eval!.minStep, 200);
    assert.equal(d.bestStep, 200);
  });
});

describe('still_improving agrees with its evidence', () => {
  it('a plateau that starts inside the tail window, flat after it: converged, not still_improving', () => {
    const d = judge('llamafactory-plateau-in-tail/trainer_log.jsonl');
    assert.equal(d.verdict, 'converged');
    assert.ok(d.evidence.plateauFromStep! >= d.evidence.tail!.fromStep, 'the plateau is inside the tail window');
    assert.ok(d.evidence.tail!.change <= -0.03, 'the tail as a whole falls');
    assert.ok(Math.abs(d.evidence.afterPlateau!.change) < 0.03, 'but not after the plateau');
  });

  it('a run still falling at the end reports no plateau', () => {
    const d = judge('llamafactory/trainer_log.jsonl');
    assert.equal(d.verdict, 'still_improving');
    assert.equal(d.evidence.plateauFromStep, undefined);
    assert.doesNotMatch(evidenceLines(d.evidence).join('\n'), /plateau from step/);
  });
});

describe('insufficient_data: too little to judge, with the reason', () => {
  it('a LLaMA-Factory predict run (steps, no loss): no train loss', () => {
    const d = judge('llamafactory-predict/trainer_log.jsonl');
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'no_train_loss');
    assert.match(d.reason, /no train loss/);
    assert.doesNotMatch(d.advice, /more epochs/);
    assert.match(evidenceLines(d.evidence).join('\n'), /train loss points: 0 \(of 40 steps planned\)/);
    assert.match(judge('llamafactory-predict/trainer_log.jsonl', 'zh-cn').reason, /没有训练 loss/);
  });

  it('a GRPO trainer_state.json (loss is β·KL, the reward climbs): an RL objective, judged by its reward', () => {
    const { curves } = read('hf-grpo/trainer_state.json');
    assert.equal(curves.reward!.length, 80);
    const d = diagnose(curves);
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'rl_objective');
    assert.ok(d.evidence.reward!.end > d.evidence.reward!.start);
    assert.match(d.reason, /not a supervised loss/);
    assert.match(d.advice, /reward/);
    assert.match(judge('hf-grpo/trainer_state.json', 'zh-cn').reason, /强化学习/);
  });

  it('a run stopped after four logged points: too few points; the eval point still names the best step', () => {
    const d = judge('hf-few-points/trainer_state.json');
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'few_points');
    assert.equal(d.bestStep, 40);
    assert.match(d.reason, /4 train loss points/);
  });
});

describe('insufficient_data travels to the panel', () => {
  it('the protocol accepts it and the panel has a label key for it', async () => {
    const { LossRun, lossCurveStringKeys } = await import('../../../src/shared/protocol/lossCurve');
    const { lossRun } = await import('./lossRun');
    const text = readFileSync(`${FIXTURES}/llamafactory-predict/trainer_log.jsonl`, 'utf8');
    const r = lossRun('llamafactory-predict/trainer_log.jsonl', 'predict', text, 'en');
    assert.equal(LossRun.parse(r).verdict, 'insufficient_data');
    assert.ok((lossCurveStringKeys as readonly string[]).includes('insufficient_data'));
  });
});

describe('resumed runs: the latest attempt over the steps it covers', () => {
  it('a trainer_log.jsonl whose first attempt blew up to NaN at 325, resumed from 200: converged, the NaN superseded', () => {
    const { curves } = read('llamafactory-resumed/trainer_log.jsonl');
    assert.deepEqual(resumedAt(curves.attempts), [210]);
    const steps = curves.train.map((p) => p.step);
    assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]!), 'one point a step, in order');
    assert.ok(!steps.includes(215) && !steps.includes(325), 'the first attempt is gone from step 210 on');
    assert.ok(steps.includes(205) && steps.includes(600));
    const d = diagnose(curves);
    assert.equal(d.verdict, 'converged');
    assert.deepEqual(resumedAt(d.evidence.attempts), [210]);
    assert.match(d.reason, /2 attempts: the earlier one was superseded from step 210 on/);
    assert.match(evidenceLines(d.evidence).join('\n'), /resumed: 2 attempts/);
    assert.match(judge('llamafactory-resumed/trainer_log.jsonl', 'zh-cn').reason, /2 次尝试.*第 210 步起/);
  });

  it('an events.jsonl with two attempts: the first attempt\'s eval and checkpoint after step 101 are dropped', () => {
    const { curves } = read('events-resumed/events.jsonl');
    assert.deepEqual(resumedAt(curves.attempts), [101]);
    assert.equal(curves.train.length, 300);
    assert.deepEqual(curves.eval.map((p) => p.step), [50, 100, 200, 300]);
    assert.deepEqual(curves.checkpoints.map((c) => c.step), [100, 200, 300]);
    assert.equal(diagnose(curves).verdict, 'converged');
  });
});

describe('advice that fits the run', () => {
  it('a one-epoch run flat early: converged_early, and no "fewer epochs"', () => {
    const d = judge('llamafactory-one-epoch/trainer_log.jsonl');
    assert.equal(d.verdict, 'converged_early');
    assert.equal(d.evidence.epochs, 1);
    assert.doesNotMatch(d.advice, /fewer epochs/);
    assert.match(d.advice, /single epoch, stop earlier/);
    assert.doesNotMatch(judge('llamafactory-one-epoch/trainer_log.jsonl', 'zh-cn').advice, /减少训练轮数/);
  });

  it('a converged run with an eval set names the checkpoint at the eval minimum', () => {
    const d = judge('hf-eval-best/trainer_state.json');
    assert.equal(d.verdict, 'converged');
    assert.equal(d.bestStep, 400);
    assert.deepEqual(d.evidence.bestCheckpoint, { step: 400, path: 'output/qwen2.5-7b-lora/checkpoint-400' });
    assert.match(d.advice, /lowest eval loss is at step 400: the best checkpoint is output\/qwen2\.5-7b-lora\/checkpoint-400/);
    assert.match(judge('hf-eval-best/trainer_state.json', 'zh-cn').advice, /验证 loss 最低在第 400 步/);
  });

  it('a resumed run with eval but no known checkpoint names the step of the eval minimum', () => {
    const d = judge('llamafactory-resumed/trainer_log.jsonl');
    assert.match(d.advice, /lowest eval loss is at step 600: the best checkpoint is the one saved there/);
  });

  it('overfitting within one epoch: "stop earlier", not "fewer epochs"', () => {
    const d = judge('hf-overfit-near-zero/trainer_state.json');
    assert.match(d.advice, /^Use fewer epochs/, 'six epochs: fewer epochs is fair advice');
    const { curves } = read('hf-overfit-near-zero/trainer_state.json');
    const scale = (p: { epoch?: number }) => ({ ...p, epoch: (p.epoch ?? 0) / 6 });
    const one = diagnose({ ...curves, train: curves.train.map((p) => ({ ...p, ...scale(p) })), eval: curves.eval.map((p) => ({ ...p, ...scale(p) })) });
    assert.equal(one.verdict, 'overfitting');
    assert.match(one.advice, /^Stop earlier or lower the learning rate, or take the checkpoint/);
  });
});

describe('every fixture: its exact verdict, and in words why not the nearest other one (en + zh)', () => {
  const cases: [string, string, RegExp, RegExp][] = [
    ['hf-memorised/trainer_state.json', 'converged_early', /^Converged early rather than converged: the plateau began at step \d+, [\d.]+% into the run \(within the first third\) with the loss near zero/, /^判为“过早收敛”而不是“已收敛”/],
    ['hf-overfit-near-zero/trainer_state.json', 'overfitting', /^Overfitting rather than converged: the eval loss rose/, /^判为“过拟合”而不是“已收敛”/],
    ['llamafactory-plateau-in-tail/trainer_log.jsonl', 'converged', /^Converged rather than still improving: the fall over the last part \([\d.]+%\) came before the plateau at step \d+/, /^判为“已收敛”而不是“仍在改善”：最后一段的下降/],
    ['llamafactory/trainer_log.jsonl', 'still_improving', /^Still improving rather than converged: the last part still falls [\d.]+% of the scale/, /^判为“仍在改善”而不是“已收敛”/],
    ['llamafactory-predict/trainer_log.jsonl', 'insufficient_data', /^Insufficient data rather than not converged: there is no train loss/, /^判为“不足以判断”而不是“未收敛”：没有训练 loss/],
    ['hf-grpo/trainer_state.json', 'insufficient_data', /^Insufficient data rather than not converged: the level of a policy objective/, /^判为“不足以判断”而不是“未收敛”：强化学习/],
    ['hf-few-points/trainer_state.json', 'insufficient_data', /^Insufficient data rather than not converged: 4 points \(fewer than 10\)/, /^判为“不足以判断”而不是“未收敛”：只有 4 个点/],
    ['llamafactory-resumed/trainer_log.jsonl', 'converged', /^Converged rather than still improving: the last part changed only/, /^判为“已收敛”而不是“仍在改善”/],
    ['events-resumed/events.jsonl', 'converged', /^Converged rather than overfitting: the eval loss is [\d.]+% above the train loss \(threshold 30\.0%\)/, /^判为“已收敛”而不是“过拟合”/],
    ['llamafactory-one-epoch/trainer_log.jsonl', 'converged_early', /^Converged early rather than converged/, /^判为“过早收敛”/],
    ['hf-eval-best/trainer_state.json', 'converged', /^Converged rather than still improving/, /^判为“已收敛”而不是“仍在改善”/],
    ['hf-nan/trainer_state.json', 'diverged', /^Diverged rather than not converged: the loss became NaN at step 210/, /^判为“已发散”而不是“未收敛”/],
    ['hf-overfit/trainer_state.json', 'overfitting', /^Overfitting rather than converged/, /^判为“过拟合”/],
    ['events.jsonl', 'converged', /^Converged rather than still improving/, /^判为“已收敛”/],
  ];
  for (const [file, verdict, en, zh] of cases) {
    it(`${file}: ${verdict}`, () => {
      const d = judge(file);
      assert.equal(d.verdict, verdict, d.reason);
      assert.match(d.whyNot, en);
      assert.match(judge(file, 'zh-cn').whyNot, zh);
    });
  }

  it('the panel shows the sentence first under the evidence', async () => {
    const { lossRun } = await import('./lossRun');
    const r = lossRun('hf-eval-best/trainer_state.json', 'x', readFileSync(`${FIXTURES}/hf-eval-best/trainer_state.json`, 'utf8'), 'en');
    assert.match(r.evidence[0]!, /^Converged rather than still improving/);
    assert.match(r.evidence[1]!, /^train loss points: 50/);
  });
});

describe('what marks a reinforcement-learning log', () => {
  const state = (entries: object[]) => JSON.stringify({ log_history: entries, max_steps: 100 });
  const steps = (f: (i: number) => object) => Array.from({ length: 20 }, (_, i) => ({ step: (i + 1) * 5, loss: 0.001 * i, ...f(i) }));
  it('newer TRL GRPO logs (only rewards/<name>/mean): rl_objective, the reward summed', () => {
    const { curves } = importCurves('trainer_state.json', state(steps((i) => ({ 'rewards/accuracy/mean': 0.1 + 0.02 * i, 'rewards/format/mean': 0.5 }))));
    assert.equal(curves.reward!.length, 20);
    assert.ok(Math.abs(curves.reward![0]!.value - 0.6) < 1e-9);
    assert.equal(diagnose(curves).evidence.insufficient, 'rl_objective');
  });
  it('a DPO log (rewards/chosen, rewards/margins) is not one: its loss is judged', () => {
    const { curves } = importCurves('trainer_state.json', state(steps((i) => ({ loss: 0.69 - 0.02 * i, 'rewards/chosen': 0.1 * i, 'rewards/margins': 0.2 * i }))));
    assert.equal(curves.reward, undefined);
    assert.notEqual(diagnose(curves).verdict, 'insufficient_data');
  });
});
