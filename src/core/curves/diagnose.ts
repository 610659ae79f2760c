// Convergence diagnosis: one verdict per run, with the numbers behind it and the seed's advice (product.md step 6).
//
// Definitions (n = number of finite train-loss points, sorted by step; "relative" = divided by the level compared to):
//   - Smoothing: an EMA of the train loss, alpha = 2 / (span + 1), span = clamp(round(n / 20), 2, 50) (override with
//     `options.span`). Levels are robust: `startLoss` = median of the first max(3, 3% of n) raw points, `endLoss` =
//     median of the last max(3, 10% of n) raw points.
//   - Tail slope: least-squares line through the raw train loss of the last 25% of points (at least 5);
//     `tailChange` = slope × tail step span / scale (see Scale; negative = falling), `tailT` = slope / its standard error.
//   - Scale: changes are judged against `scale` = max(|endLoss|, NEAR_ZERO × fall), fall = the drop from the run's
//     high (the start level or the highest EMA before the low) to its lowest EMA. Near zero, a loss's own level is no
//     yardstick: 0.004 → 0.0029 is "-28%" of itself but 0.05% of a fall from 2.0, and noise of ±0.02 around 0.05 is
//     not a blow-up. For a loss that stays well above zero, scale = endLoss (the old relative measure).
//   - Plateau: `plateauFromStep` = first step where the EMA is within PLATEAU_TOL × scale above endLoss.
// Verdicts, checked in this order:
//   1. diverged: a NaN or ±Infinity train or eval loss anywhere (evidence.nonFiniteStep), or a blow-up: endLoss >
//      1.2 × startLoss, or the EMA goes above 2 × startLoss, or endLoss − the lowest EMA ≥ 0.5 × max(lowest EMA, NEAR_ZERO × fall).
//   2. insufficient_data, `evidence.insufficient` saying why: no train loss at all (a predict or eval run's log), a
//      reinforcement-learning run (a reward in the log, see importers.ts: its "loss" is a policy objective; the
//      reward's start and end are reported instead), or fewer than 10 train points (MIN_POINTS). Eval, if any, still
//      names the best step. (Checked after the NaN part of 1, before its blow-up part.)
//   3. overfitting (needs eval): (a) eval rising while train falls: with ≥ 3 eval points, the mean of the last two eval
//      losses is ≥ 5% above the lowest eval loss, that lowest point is not the last one, and the train EMA fell ≥ 2%
//      between the step of the lowest eval loss and the end; or (b) a large gap: (last eval loss − endLoss) / endLoss
//      ≥ 0.30. The advice names the checkpoint nearest to the lowest eval loss when checkpoints are known.
//   4. not_converged: relativeDecrease = (startLoss − endLoss) / startLoss < 0.10 (no clear decrease).
//   5. still_improving: the tail is still clearly falling: tailChange ≤ −3% and tailT ≤ −3 (significant against noise),
//      and, when the plateau starts inside the tail window, the points from it to the end (≥ 5) fall as clearly too.
//   6. converged_early: no eval loss, and the plateau was reached within the first third of the steps.
//   7. converged: otherwise (clear decrease, then a plateau; eval, if any, within 30% of train).
// bestStep: the step of the lowest eval loss when there is a finite eval loss, else the step of the lowest EMA.
// Advice fits the run: no "fewer epochs" when the log's last epoch is ≤ 1.05 (one epoch); with an eval set, every
// verdict's advice names the step of the eval minimum and the checkpoint nearest to it when checkpoints are known.
// `whyNot`: one sentence on why this verdict and not the nearest other one (whyNotText); `attempts` (attempts.ts):
// the log held earlier attempts, superseded from the steps the later ones started at, and the reason says so.
import type { Locale } from '../dataset/types';
import type { Checkpoint, LossPoint, RunCurves } from './types';
import { resumedAt } from './attempts';

export type Verdict = 'converged' | 'converged_early' | 'overfitting' | 'not_converged' | 'still_improving' | 'diverged' | 'insufficient_data';

export const VERDICTS: readonly Verdict[] = ['converged', 'converged_early', 'overfitting', 'not_converged', 'still_improving', 'diverged', 'insufficient_data'];

/** Why a log is too little to judge: no train loss, a handful of points, or a "loss" that is an RL objective. */
export type Insufficient = 'no_train_loss' | 'few_points' | 'rl_objective';

export const THRESHOLDS = {
  MIN_POINTS: 10,
  CLEAR_DECREASE: 0.1,
  TAIL_FRACTION: 0.25,
  TAIL_CHANGE: 0.03,
  TAIL_T: 3,
  PLATEAU_TOL: 0.05,
  EARLY_FRACTION: 1 / 3,
  BLOWUP_END_OVER_START: 1.2,
  BLOWUP_PEAK_OVER_START: 2,
  BLOWUP_END_OVER_MIN: 1.5,
  EVAL_RISE: 0.05,
  TRAIN_FALL_AFTER_EVAL_MIN: 0.02,
  GAP_LARGE: 0.3,
  /** The least scale changes are judged against, as a fraction of the fall (see Scale). */
  NEAR_ZERO: 0.1,
} as const;

export interface EvalEvidence {
  points: number;
  minLoss: number;
  minStep: number;
  endLoss: number;
  /** (mean of the last two eval losses − minLoss) / minLoss. */
  rise: number;
  /** Step where eval loss started rising (its minimum), when it rose by EVAL_RISE or more. */
  risingFromStep?: number;
  /** Relative train fall after the eval minimum: (train EMA at minStep − endLoss) / train EMA at minStep. */
  trainFallAfterMin: number;
  /** (last eval loss − endLoss) / endLoss. */
  gap: number;
}

export interface Evidence {
  points: number;
  firstStep?: number;
  lastStep?: number;
  totalSteps?: number;
  /** The epoch of the last train point, when the log says epochs: a run of at most one epoch gets no "fewer epochs". */
  epochs?: number;
  /** Every attempt's first and last step, in order, when the log holds several (a resumed run): only the latest is judged. */
  attempts?: { start: number; end: number }[];
  insufficient?: Insufficient;
  /** An RL run's mean reward: median of the first and of the last few logged values. */
  reward?: { points: number; start: number; end: number };
  nonFiniteStep?: number;
  nonFiniteIn?: 'train' | 'eval';
  emaSpan?: number;
  startLoss?: number;
  startRange?: [number, number];
  endLoss?: number;
  endRange?: [number, number];
  relativeDecrease?: number;
  /** What changes are judged against: max(|endLoss|, NEAR_ZERO × fall) (see Scale). */
  scale?: number;
  /** The drop from the run's high to its lowest EMA. */
  fall?: number;
  /** The end loss is within NEAR_ZERO × fall of zero: judged against the fall, and read as memorised when flat. */
  nearZero?: true;
  minSmoothedLoss?: number;
  minSmoothedStep?: number;
  maxSmoothedLoss?: number;
  tail?: { fromStep: number; toStep: number; change: number; t: number };
  plateauFromStep?: number;
  /** The change from a plateau that starts inside the tail window to the end (as `tail`), when it was checked. */
  afterPlateau?: { fromStep: number; change: number; t: number };
  eval?: EvalEvidence;
  bestCheckpoint?: Checkpoint;
}

export interface Diagnosis {
  verdict: Verdict;
  reason: string;
  advice: string;
  bestStep?: number;
  /** One sentence: why this verdict and not the nearest other one (its threshold and how far the run is from it). */
  whyNot: string;
  evidence: Evidence;
}

export interface DiagnoseOptions {
  locale?: Locale;
  /** EMA span (points); default clamp(round(n / 20), 2, 50). */
  span?: number;
}

/** Exponential moving average, alpha = 2 / (span + 1), started at the first value. */
export function ema(values: readonly number[], span: number): number[] {
  const alpha = 2 / (Math.max(1, span) + 1);
  const out: number[] = [];
  let s = values[0] ?? 0;
  for (const v of values) {
    s = alpha * v + (1 - alpha) * s;
    out.push(s);
  }
  return out;
}

function median(values: readonly number[]): number {
  const a = [...values].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** Least-squares slope of y on x and its t statistic (slope / standard error; ±Infinity with no residual noise). */
function regression(x: readonly number[], y: readonly number[]): { slope: number; t: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  if (sxx === 0) return { slope: 0, t: 0 };
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - my - slope * (x[i]! - mx)) ** 2;
  const se = Math.sqrt(sse / Math.max(1, n - 2) / sxx);
  const t = se > 0 ? slope / se : slope === 0 ? 0 : slope > 0 ? Infinity : -Infinity;
  return { slope, t };
}

/** Sorted by step, one point per step (the last one logged wins). */
function dedupe(points: readonly LossPoint[]): readonly LossPoint[] {
  // The usual case, and the cheap one on a 200,000-step log read again as it grows: already in order.
  let ordered = true;
  let repeated = false;
  for (let i = 1; i < points.length && ordered; i++) {
    const d = points[i]!.step - points[i - 1]!.step;
    if (d < 0) ordered = false;
    else if (d === 0) repeated = true;
  }
  if (ordered && !repeated) return points;
  if (ordered) return points.filter((p, i) => i === points.length - 1 || points[i + 1]!.step !== p.step);
  const byStep = new Map<number, LossPoint>();
  for (const p of points) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export function diagnose(curves: RunCurves, options: DiagnoseOptions = {}): Diagnosis {
  const locale = options.locale ?? 'en';
  const T = THRESHOLDS;
  const train = dedupe(curves.train);
  const evals = dedupe(curves.eval);
  const evidence: Evidence = { points: train.length };
  if (train.length > 0) {
    evidence.firstStep = train[0]!.step;
    evidence.lastStep = train[train.length - 1]!.step;
  }
  if (curves.totalSteps !== undefined) evidence.totalSteps = curves.totalSteps;
  if (curves.attempts && curves.attempts.length > 1) evidence.attempts = curves.attempts.map((a) => ({ ...a }));
  const lastEpoch = train.length > 0 ? train[train.length - 1]!.epoch : undefined;
  if (lastEpoch !== undefined) evidence.epochs = lastEpoch;
  // With an eval set, the best checkpoint is the one at the eval minimum, whatever the verdict (advice says so).
  const evalMin = evals.reduce<LossPoint | undefined>((b, p) => (Number.isFinite(p.loss) && (!b || p.loss < b.loss) ? p : b), undefined);
  const done = (verdict: Verdict, bestStep: number | undefined, reasonArgs: ReasonArgs = {}): Diagnosis => {
    if (evalMin && !evidence.bestCheckpoint) {
      const cp = nearestCheckpoint(curves.checkpoints, evalMin.step);
      if (cp) evidence.bestCheckpoint = cp;
    }
    const text = texts(locale, verdict, evidence, reasonArgs);
    if (evalMin && verdict !== 'overfitting') text.advice += (locale === 'zh-cn' ? '' : ' ') + bestEvalText(locale === 'zh-cn', evalMin.step, evidence.bestCheckpoint);
    const reason = evidence.attempts ? `${text.reason}${locale === 'zh-cn' ? '' : ' '}${resumedText(locale === 'zh-cn', evidence.attempts)}` : text.reason;
    const whyNot = whyNotText(locale === 'zh-cn', verdict, evidence, reasonArgs);
    return { verdict, reason, advice: text.advice, ...(bestStep !== undefined ? { bestStep } : {}), whyNot, evidence };
  };

  // 1a. NaN / Infinity anywhere.
  const badTrain = train.find((p) => !Number.isFinite(p.loss));
  const badEval = evals.find((p) => !Number.isFinite(p.loss));
  const bad = badTrain && badEval ? (badTrain.step <= badEval.step ? badTrain : badEval) : badTrain ?? badEval;
  if (bad) {
    evidence.nonFiniteStep = bad.step;
    evidence.nonFiniteIn = bad === badTrain ? 'train' : 'eval';
    const finiteBefore = train.filter((p) => p.step < bad.step && Number.isFinite(p.loss));
    const best = finiteBefore.reduce<LossPoint | undefined>((b, p) => (!b || p.loss < b.loss ? p : b), undefined);
    return done('diverged', best?.step, { nonFinite: String(bad.loss) });
  }

  // 2. Too little to judge.
  const rl = curves.reward && curves.reward.length > 0 ? curves.reward : undefined;
  const why: Insufficient | undefined = train.length === 0 ? 'no_train_loss' : rl ? 'rl_objective' : train.length < T.MIN_POINTS ? 'few_points' : undefined;
  if (why) {
    evidence.insufficient = why;
    if (rl) {
      const k = Math.max(1, Math.min(3, Math.floor(rl.length / 3)));
      evidence.reward = { points: rl.length, start: median(rl.slice(0, k).map((p) => p.value)), end: median(rl.slice(-k).map((p) => p.value)) };
    }
    const best = train.reduce<LossPoint | undefined>((b, p) => (!b || p.loss < b.loss ? p : b), undefined);
    const bestEval = evals.reduce<LossPoint | undefined>((b, p) => (!b || p.loss < b.loss ? p : b), undefined);
    if (bestEval) evidence.eval = { points: evals.length, minLoss: bestEval.loss, minStep: bestEval.step, endLoss: evals[evals.length - 1]!.loss, rise: 0, trainFallAfterMin: 0, gap: 0 };
    return done('insufficient_data', (bestEval ?? (why === 'rl_objective' ? undefined : best))?.step);
  }

  const n = train.length;
  const steps = train.map((p) => p.step);
  const losses = train.map((p) => p.loss);
  const span = options.span ?? Math.min(50, Math.max(2, Math.round(n / 20)));
  const smooth = ema(losses, span);
  evidence.emaSpan = span;
  const w0 = Math.max(3, Math.round(n * 0.03));
  const w1 = Math.max(3, Math.round(n * 0.1));
  const startLoss = median(losses.slice(0, w0));
  const endLoss = median(losses.slice(n - w1));
  evidence.startLoss = startLoss;
  evidence.startRange = [steps[0]!, steps[w0 - 1]!];
  evidence.endLoss = endLoss;
  evidence.endRange = [steps[n - w1]!, steps[n - 1]!];
  evidence.relativeDecrease = (startLoss - endLoss) / Math.abs(startLoss || 1);
  let minIdx = 0;
  let maxAfter = -Infinity;
  for (let i = 0; i < n; i++) {
    if (smooth[i]! < smooth[minIdx]!) minIdx = i;
    if (i >= w0) maxAfter = Math.max(maxAfter, smooth[i]!);
  }
  let high = startLoss;
  for (let i = 0; i <= minIdx; i++) high = Math.max(high, smooth[i]!);
  const fall = Math.max(0, high - smooth[minIdx]!);
  const scale = Math.max(Math.abs(endLoss), T.NEAR_ZERO * fall) || 1;
  evidence.fall = fall;
  evidence.scale = scale;
  if (Math.abs(endLoss) < T.NEAR_ZERO * fall) evidence.nearZero = true;
  evidence.minSmoothedLoss = smooth[minIdx]!;
  evidence.minSmoothedStep = steps[minIdx]!;
  evidence.maxSmoothedLoss = maxAfter;
  const trainBestStep = steps[minIdx]!;

  // Tail slope.
  const tn = Math.max(5, Math.round(n * T.TAIL_FRACTION));
  const tx = steps.slice(n - tn);
  const ty = losses.slice(n - tn);
  const reg = regression(tx, ty);
  const tailSpan = tx[tx.length - 1]! - tx[0]!;
  evidence.tail = { fromStep: tx[0]!, toStep: tx[tx.length - 1]!, change: (reg.slope * tailSpan) / scale, t: reg.t };

  // Plateau.
  const plateauIdx = smooth.findIndex((v) => v <= endLoss + T.PLATEAU_TOL * scale);
  if (plateauIdx >= 0) evidence.plateauFromStep = steps[plateauIdx]!;

  // Eval evidence.
  let evalBestStep: number | undefined;
  if (evals.length > 0) {
    let emin = 0;
    for (let i = 1; i < evals.length; i++) if (evals[i]!.loss < evals[emin]!.loss) emin = i;
    const minE = evals[emin]!;
    const last2 = evals.slice(-2);
    const endE = last2.reduce((a, p) => a + p.loss, 0) / last2.length;
    const lastE = evals[evals.length - 1]!.loss;
    const trainAtMin = smoothAt(steps, smooth, minE.step);
    const ev: EvalEvidence = {
      points: evals.length,
      minLoss: minE.loss,
      minStep: minE.step,
      endLoss: lastE,
      rise: (endE - minE.loss) / Math.abs(minE.loss || 1),
      trainFallAfterMin: (trainAtMin - endLoss) / Math.abs(trainAtMin || 1),
      gap: (lastE - endLoss) / Math.abs(endLoss || 1),
    };
    if (emin < evals.length - 1 && ev.rise >= T.EVAL_RISE) ev.risingFromStep = minE.step;
    evidence.eval = ev;
    evalBestStep = minE.step;
  }
  const bestStep = evalBestStep ?? trainBestStep;

  // 1b. Blow-up.
  if (endLoss > T.BLOWUP_END_OVER_START * startLoss || maxAfter > T.BLOWUP_PEAK_OVER_START * startLoss || endLoss - smooth[minIdx]! >= (T.BLOWUP_END_OVER_MIN - 1) * Math.max(smooth[minIdx]!, T.NEAR_ZERO * fall)) {
    return done('diverged', trainBestStep, { blowup: true });
  }

  // 3. Overfitting.
  const ev = evidence.eval;
  if (ev) {
    const rising = evals.length >= 3 && ev.risingFromStep !== undefined && ev.trainFallAfterMin >= T.TRAIN_FALL_AFTER_EVAL_MIN;
    const gap = ev.gap >= T.GAP_LARGE;
    if (rising || gap) {
      const cp = nearestCheckpoint(curves.checkpoints, ev.minStep);
      if (cp) evidence.bestCheckpoint = cp;
      return done('overfitting', bestStep, { rising, gap });
    }
  }

  // 4. No clear decrease.
  if (evidence.relativeDecrease < T.CLEAR_DECREASE) return done('not_converged', bestStep);

  // 5. Still falling at the end. A plateau that starts inside the tail window must agree: the tail's fall may be
  // the part before it, so the points from the plateau on (when there are at least 5) must still fall as clearly;
  // if they do, or are too few to tell, the "plateau" is no plateau yet and is not reported.
  const falling = (change: number, t: number) => change <= -T.TAIL_CHANGE && t <= -T.TAIL_T;
  let stillFalling = falling(evidence.tail.change, reg.t);
  if (stillFalling && plateauIdx >= 0 && steps[plateauIdx]! >= tx[0]!) {
    if (n - plateauIdx >= 5) {
      const after = regression(steps.slice(plateauIdx), losses.slice(plateauIdx));
      const change = (after.slope * (steps[n - 1]! - steps[plateauIdx]!)) / scale;
      evidence.afterPlateau = { fromStep: steps[plateauIdx]!, change, t: after.t };
      stillFalling = falling(change, after.t);
    }
    if (stillFalling) delete evidence.plateauFromStep;
  }
  if (stillFalling) return done('still_improving', bestStep);

  // 6. Flat from early on, nothing to check it with.
  const first = steps[0]!;
  const last = steps[n - 1]!;
  const plateauFrac = plateauIdx >= 0 && last > first ? (steps[plateauIdx]! - first) / (last - first) : 1;
  if (!ev && plateauFrac <= T.EARLY_FRACTION) return done('converged_early', bestStep);

  // 7.
  return done('converged', bestStep);
}

/** The EMA at a step: the value at the last train step at or before it (the first value before the first step). */
function smoothAt(steps: readonly number[], smooth: readonly number[], step: number): number {
  let v = smooth[0]!;
  for (let i = 0; i < steps.length && steps[i]! <= step; i++) v = smooth[i]!;
  return v;
}

/** The checkpoint nearest to a step; on a tie, the earlier one. */
function nearestCheckpoint(checkpoints: readonly Checkpoint[], step: number): Checkpoint | undefined {
  let best: Checkpoint | undefined;
  for (const c of checkpoints) {
    if (!best || Math.abs(c.step - step) < Math.abs(best.step - step) || (Math.abs(c.step - step) === Math.abs(best.step - step) && c.step < best.step)) best = c;
  }
  return best;
}

// ---- text -----------------------------------------------------------------------------------------------------

interface ReasonArgs {
  nonFinite?: string;
  blowup?: boolean;
  rising?: boolean;
  gap?: boolean;
}

/** Numbers as people read them: 4 significant digits; percentages with one decimal. */
export function fmt(x: number | undefined): string {
  if (x === undefined) return '?';
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(4)).toString();
}

export function pct(x: number | undefined): string {
  if (x === undefined) return '?';
  return `${(x * 100).toFixed(1)}%`;
}

function checkpointName(c: Checkpoint): string {
  return c.path ?? `checkpoint-${c.step}`;
}

function texts(locale: Locale, verdict: Verdict, e: Evidence, a: ReasonArgs): { reason: string; advice: string } {
  const zh = locale === 'zh-cn';
  const ev = e.eval;
  switch (verdict) {
    case 'diverged':
      if (e.nonFiniteStep !== undefined) {
        const what = e.nonFiniteIn === 'eval' ? (zh ? '验证 loss' : 'eval loss') : zh ? '训练 loss' : 'train loss';
        return {
          reason: zh ? `${what}在第 ${e.nonFiniteStep} 步变成了 ${a.nonFinite}：训练已发散。` : `The ${what} became ${a.nonFinite} at step ${e.nonFiniteStep}: training diverged.`,
          advice: zh ? '降低学习率（或加大 warmup），并检查数据中是否有异常样本。' : 'Lower the learning rate (or use a longer warmup) and check the data for broken samples.',
        };
      }
      return {
        reason: zh
          ? `训练 loss 暴涨：从开始的 ${fmt(e.startLoss)}、最低 ${fmt(e.minSmoothedLoss)}（第 ${e.minSmoothedStep} 步）升到结尾的 ${fmt(e.endLoss)}（平滑后最高 ${fmt(e.maxSmoothedLoss)}）。`
          : `The train loss blew up: from ${fmt(e.startLoss)} at the start and a low of ${fmt(e.minSmoothedLoss)} (step ${e.minSmoothedStep}) to ${fmt(e.endLoss)} at the end (smoothed peak ${fmt(e.maxSmoothedLoss)}).`,
        advice: zh ? '降低学习率（或加大 warmup），并检查数据中是否有异常样本。' : 'Lower the learning rate (or use a longer warmup) and check the data for broken samples.',
      };
    case 'insufficient_data':
      return insufficientTexts(zh, e);
    case 'not_converged':
      return {
        reason: zh
          ? `loss 没有明显下降：从 ${fmt(e.startLoss)} 到 ${fmt(e.endLoss)}，只降了 ${pct(e.relativeDecrease)}（明显下降需要至少 ${pct(THRESHOLDS.CLEAR_DECREASE)}）。`
          : `No clear decrease: the loss went from ${fmt(e.startLoss)} to ${fmt(e.endLoss)}, ${pct(e.relativeDecrease)} lower (a clear decrease is at least ${pct(THRESHOLDS.CLEAR_DECREASE)}).`,
        advice: zh ? '模型还没学到东西：增加训练轮数（epoch），或从最后一个检查点继续训练。' : 'The model has not learned yet: train for more epochs, or continue training from the last checkpoint.',
      };
    case 'still_improving':
      return {
        reason: zh
          ? `loss 从 ${fmt(e.startLoss)} 降到 ${fmt(e.endLoss)}（${pct(e.relativeDecrease)}），最后一段（第 ${e.tail!.fromStep}–${e.tail!.toStep} 步）仍在下降 ${pct(-e.tail!.change)}，没有进入平台期。`
          : `The loss fell from ${fmt(e.startLoss)} to ${fmt(e.endLoss)} (${pct(e.relativeDecrease)}) and is still falling over the last part (steps ${e.tail!.fromStep}–${e.tail!.toStep}: ${pct(-e.tail!.change)} lower), with no plateau yet.`,
      advice: zh ? '更多轮数或更多数据可能还会提升效果，但会在一定程度上牺牲模型的通用能力。' : 'More epochs or more data may still help, at some cost to the model\'s general ability.',
      };
    case 'converged_early':
      return {
        reason: zh
          ? `loss 很早就不再下降：从第 ${e.plateauFromStep} 步起（前三分之一）一直在 ${fmt(e.endLoss)} 附近${e.nearZero ? '（接近 0：模型很可能已背下了训练数据）' : ''}，且没有验证 loss 可以核对。`
          : `The loss went flat early: from step ${e.plateauFromStep} on (within the first third) it stays near ${fmt(e.endLoss)}${e.nearZero ? ' (near zero: the model has most likely memorised its training data)' : ''}, and there is no eval loss to check it against.`,
        advice: oneEpoch(e)
          ? zh ? '这可能是过拟合：用验证集核对；只训练了一个 epoch，可以更早停止（减小 max_steps）或降低学习率。' : 'This may be overfitting: check with an eval set; with a single epoch, stop earlier (a smaller max_steps) or lower the learning rate.'
          : zh ? '这可能是过拟合：用验证集核对，或减少训练轮数。' : 'This may be overfitting: check with an eval set, or use fewer epochs.',
      };
    case 'overfitting': {
      const parts: string[] = [];
      if (a.rising && ev) {
        parts.push(zh
          ? `验证 loss 从第 ${ev.risingFromStep} 步的最低点 ${fmt(ev.minLoss)} 回升了 ${pct(ev.rise)}，而训练 loss 之后又降了 ${pct(ev.trainFallAfterMin)}`
          : `the eval loss rose ${pct(ev.rise)} from its low of ${fmt(ev.minLoss)} at step ${ev.risingFromStep} while the train loss fell another ${pct(ev.trainFallAfterMin)}`);
      }
      if (a.gap && ev) {
        parts.push(zh
          ? `结尾验证 loss ${fmt(ev.endLoss)} 比训练 loss ${fmt(e.endLoss)} 高 ${pct(ev.gap)}`
          : `the eval loss at the end (${fmt(ev.endLoss)}) is ${pct(ev.gap)} above the train loss (${fmt(e.endLoss)})`);
      }
      const cp = e.bestCheckpoint;
      const lowest = ev ? (zh ? `（验证 loss 最低在第 ${ev.minStep} 步）` : ` (the lowest eval loss is at step ${ev.minStep})`) : '';
      const fewer = oneEpoch(e) ? (zh ? '更早停止或降低学习率' : 'Stop earlier or lower the learning rate') : zh ? '减少训练轮数' : 'Use fewer epochs';
      return {
        reason: zh ? `过拟合：${parts.join('；')}。` : `Overfitting: ${parts.join('; ')}.`,
        advice: cp
          ? zh ? `${fewer}，或直接使用验证 loss 最低处的检查点 ${checkpointName(cp)}${lowest}。` : `${fewer}, or take the checkpoint with the lowest eval loss: ${checkpointName(cp)}${lowest}.`
          : zh ? `${fewer}，或使用验证 loss 最低处的检查点${lowest}。` : `${fewer}, or take the checkpoint with the lowest eval loss${lowest}.`,
      };
    }
    case 'converged':
      return {
        reason: zh
          ? `loss 从 ${fmt(e.startLoss)} 明显下降到 ${fmt(e.endLoss)}（${pct(e.relativeDecrease)}），自第 ${e.plateauFromStep} 步起进入平台期${ev ? `；验证 loss ${fmt(ev.endLoss)} 与训练 loss 接近（差 ${pct(ev.gap)}）` : ''}。`
          : `The loss fell clearly from ${fmt(e.startLoss)} to ${fmt(e.endLoss)} (${pct(e.relativeDecrease)}) and has been on a plateau since step ${e.plateauFromStep}${ev ? `; the eval loss (${fmt(ev.endLoss)}) is close to the train loss (gap ${pct(ev.gap)})` : ''}.`,
      advice: zh ? '训练已收敛，可以使用这次训练的结果。' : 'Training has converged: the result is ready to use.',
      };
  }
}

function insufficientTexts(zh: boolean, e: Evidence): { reason: string; advice: string } {
  switch (e.insufficient) {
    case 'no_train_loss':
      return {
        reason: zh ? '这个日志里没有训练 loss（可能是预测或评估任务的日志），无法判断是否收敛。' : 'This log has no train loss (a prediction or evaluation run\'s log?): there is nothing to judge convergence on.',
        advice: zh ? '打开训练任务的日志（trainer_state.json、trainer_log.jsonl 或 events.jsonl）。' : 'Open the log of the training run instead (its trainer_state.json, trainer_log.jsonl or events.jsonl).',
      };
    case 'rl_objective': {
      const r = e.reward!;
      return {
        reason: zh
          ? `这是强化学习（GRPO/PPO 等）的日志：其中的 "loss" 是策略目标，不是监督 loss，它的升降不说明是否收敛。平均 reward 从 ${fmt(r.start)} 变为 ${fmt(r.end)}（${r.points} 个点）。`
          : `This is a reinforcement-learning log (GRPO, PPO…): its "loss" is a policy objective, not a supervised loss, and its rise or fall says nothing about convergence. The mean reward went from ${fmt(r.start)} to ${fmt(r.end)} (${r.points} points).`,
        advice: zh ? '根据 reward 曲线和对生成结果的评估来判断这次训练。' : 'Judge this run by its reward curve and an evaluation of its outputs.',
      };
    }
    default:
      return {
        reason: zh ? `点数太少，无法判断（只有 ${e.points} 个训练 loss 点，至少需要 ${THRESHOLDS.MIN_POINTS} 个）。` : `Too few points to judge (${e.points} train loss points; at least ${THRESHOLDS.MIN_POINTS} are needed).`,
        advice: zh ? '等训练多记录一些步数后再看，或减小 logging_steps。' : 'Look again once more steps are logged, or log more often (a smaller logging_steps).',
      };
  }
}

/** Where the plateau starts, as a fraction of the run's steps (1 when there is none). */
function plateauFraction(e: Evidence): number {
  const first = e.firstStep ?? 0;
  const last = e.lastStep ?? 0;
  return e.plateauFromStep !== undefined && last > first ? (e.plateauFromStep - first) / (last - first) : 1;
}

/**
 * Why this verdict and not the nearest other one, in one sentence. For `converged`, the nearest is whichever
 * threshold the run came closest to: still falling (tail vs TAIL_CHANGE), overfitting (gap vs GAP_LARGE, rise vs
 * EVAL_RISE) or an early plateau (its position vs EARLY_FRACTION, without eval).
 */
function whyNotText(zh: boolean, verdict: Verdict, e: Evidence, a: ReasonArgs): string {
  const T = THRESHOLDS;
  const ev = e.eval;
  const tail = e.tail;
  switch (verdict) {
    case 'diverged':
      if (e.nonFiniteStep !== undefined) {
        return zh
          ? `判为“已发散”而不是“未收敛”：loss 在第 ${e.nonFiniteStep} 步变成 ${a.nonFinite}，这是数值崩溃，不是学得慢。`
          : `Diverged rather than not converged: the loss became ${a.nonFinite} at step ${e.nonFiniteStep}, a numerical breakdown, not slow learning.`;
      }
      return zh
        ? `判为“已发散”而不是噪声或过拟合：训练 loss 本身回升了（结尾 ${fmt(e.endLoss)}、最低 ${fmt(e.minSmoothedLoss)}、开始 ${fmt(e.startLoss)}），超过了暴涨阈值（结尾 > 开始的 ${T.BLOWUP_END_OVER_START} 倍、峰值 > 开始的 ${T.BLOWUP_PEAK_OVER_START} 倍，或比最低点高出尺度 ${fmt(Math.max(e.minSmoothedLoss ?? 0, T.NEAR_ZERO * (e.fall ?? 0)))} 的一半以上）。`
        : `Diverged rather than noise or overfitting: the train loss itself went back up (end ${fmt(e.endLoss)}, low ${fmt(e.minSmoothedLoss)}, start ${fmt(e.startLoss)}) past a blow-up threshold (end over ${T.BLOWUP_END_OVER_START}× the start, a peak over ${T.BLOWUP_PEAK_OVER_START}× the start, or a rise from the low of more than half of ${fmt(Math.max(e.minSmoothedLoss ?? 0, T.NEAR_ZERO * (e.fall ?? 0)))}).`;
    case 'insufficient_data': {
      const what = e.insufficient === 'no_train_loss'
        ? zh ? '没有训练 loss，看不出任何趋势' : 'there is no train loss to show a trend'
        : e.insufficient === 'rl_objective'
          ? zh ? '强化学习的策略目标的高低不说明模型是否学会' : 'the level of a policy objective does not say whether the model learned'
          : zh ? `只有 ${e.points} 个点（少于 ${T.MIN_POINTS} 个），看到的变化与噪声分不开` : `${e.points} points (fewer than ${T.MIN_POINTS}) show no change that noise could not explain`;
      return zh ? `判为“不足以判断”而不是“未收敛”：${what}。` : `Insufficient data rather than not converged: ${what}.`;
    }
    case 'overfitting': {
      const why: string[] = [];
      if (a.rising && ev) why.push(zh ? `验证 loss 回升 ${pct(ev.rise)}（阈值 ${pct(T.EVAL_RISE)}），同时训练 loss 又降了 ${pct(ev.trainFallAfterMin)}（阈值 ${pct(T.TRAIN_FALL_AFTER_EVAL_MIN)}）` : `the eval loss rose ${pct(ev.rise)} (threshold ${pct(T.EVAL_RISE)}) while the train loss fell another ${pct(ev.trainFallAfterMin)} (threshold ${pct(T.TRAIN_FALL_AFTER_EVAL_MIN)})`);
      if (a.gap && ev) why.push(zh ? `验证与训练 loss 相差 ${pct(ev.gap)}（阈值 ${pct(T.GAP_LARGE)}）` : `the eval loss is ${pct(ev.gap)} above the train loss (threshold ${pct(T.GAP_LARGE)})`);
      return zh ? `判为“过拟合”而不是“已收敛”：${why.join('，且')}。` : `Overfitting rather than converged: ${why.join(', and ')}.`;
    }
    case 'not_converged':
      return zh
        ? `判为“未收敛”而不是“仍在改善”：loss 只比开始时降了 ${pct(e.relativeDecrease)}，不到明显下降所需的 ${pct(T.CLEAR_DECREASE)}。`
        : `Not converged rather than still improving: the loss is only ${pct(e.relativeDecrease)} below its start, short of the ${pct(T.CLEAR_DECREASE)} of a clear decrease.`;
    case 'still_improving':
      return zh
        ? `判为“仍在改善”而不是“已收敛”：最后一段仍下降了尺度的 ${pct(-tail!.change)}（阈值 ${pct(T.TAIL_CHANGE)}，t = ${fmt(tail!.t)}，阈值 −${T.TAIL_T}）${e.afterPlateau ? `，第 ${e.afterPlateau.fromStep} 步之后也仍在下降（${pct(-e.afterPlateau.change)}）` : ''}，还没有形成平台期。`
        : `Still improving rather than converged: the last part still falls ${pct(-tail!.change)} of the scale (threshold ${pct(T.TAIL_CHANGE)}, t = ${fmt(tail!.t)}, threshold −${T.TAIL_T})${e.afterPlateau ? `, and still falls after step ${e.afterPlateau.fromStep} (${pct(-e.afterPlateau.change)})` : ''}, so no plateau has formed.`;
    case 'converged_early':
      return zh
        ? `判为“过早收敛”而不是“已收敛”：平台期从第 ${e.plateauFromStep} 步开始，位于训练的前 ${pct(plateauFraction(e))}（阈值为前三分之一）${e.nearZero ? '，且 loss 接近 0' : ''}，又没有验证 loss 说明模型能泛化。`
        : `Converged early rather than converged: the plateau began at step ${e.plateauFromStep}, ${pct(plateauFraction(e))} into the run (within the first third)${e.nearZero ? ' with the loss near zero' : ''}, and no eval loss shows that the model generalises.`;
    case 'converged': {
      const still = tail ? -tail.change / T.TAIL_CHANGE : 0;
      const over = ev ? Math.max(ev.gap / T.GAP_LARGE, ev.rise / T.EVAL_RISE) : 0;
      const early = ev ? 0 : T.EARLY_FRACTION / plateauFraction(e);
      if (over >= still && over >= early && ev) {
        return zh
          ? `判为“已收敛”而不是“过拟合”：验证与训练 loss 相差 ${pct(ev.gap)}（阈值 ${pct(T.GAP_LARGE)}），验证 loss 只回升了 ${pct(ev.rise)}（阈值 ${pct(T.EVAL_RISE)}）。`
          : `Converged rather than overfitting: the eval loss is ${pct(ev.gap)} above the train loss (threshold ${pct(T.GAP_LARGE)}) and rose only ${pct(ev.rise)} from its low (threshold ${pct(T.EVAL_RISE)}).`;
      }
      if (early > still) {
        return zh
          ? `判为“已收敛”而不是“过早收敛”：平台期从第 ${e.plateauFromStep} 步开始，位于训练的 ${pct(plateauFraction(e))} 处，在前三分之一之后。`
          : `Converged rather than converged early: the plateau began at step ${e.plateauFromStep}, ${pct(plateauFraction(e))} into the run, after the first third.`;
      }
      if (e.afterPlateau) {
        return zh
          ? `判为“已收敛”而不是“仍在改善”：最后一段的下降（${pct(-tail!.change)}）发生在第 ${e.afterPlateau.fromStep} 步的平台期之前，之后只变化了 ${pct(e.afterPlateau.change)}（t = ${fmt(e.afterPlateau.t)}）。`
          : `Converged rather than still improving: the fall over the last part (${pct(-tail!.change)}) came before the plateau at step ${e.afterPlateau.fromStep}; after it the loss changed only ${pct(e.afterPlateau.change)} (t = ${fmt(e.afterPlateau.t)}).`;
      }
      return zh
        ? `判为“已收敛”而不是“仍在改善”：最后一段只变化了尺度的 ${pct(tail?.change)}（t = ${fmt(tail?.t)}；仍在改善需要下降至少 ${pct(T.TAIL_CHANGE)} 且 t ≤ −${T.TAIL_T}）。`
        : `Converged rather than still improving: the last part changed only ${pct(tail?.change)} of the scale (t = ${fmt(tail?.t)}; still improving needs a fall of at least ${pct(T.TAIL_CHANGE)} with t ≤ −${T.TAIL_T}).`;
    }
  }
}

/** The lines the panel and the CLI show under "evidence": why not the nearest other verdict, then the numbers. */
export function diagnosisLines(d: Diagnosis, locale: Locale = 'en'): string[] {
  return [d.whyNot, ...evidenceLines(d.evidence, locale)];
}

/** At most one epoch (as the log says): "fewer epochs" is no advice for it. */
function oneEpoch(e: Evidence): boolean {
  return e.epochs !== undefined && e.epochs <= 1.05;
}

/** The advice's last sentence with an eval set: where its minimum is, and the checkpoint there when known. */
function bestEvalText(zh: boolean, step: number, cp: Checkpoint | undefined): string {
  if (cp && cp.step === step) return zh ? `验证 loss 最低在第 ${step} 步：最好的检查点是 ${checkpointName(cp)}。` : `The lowest eval loss is at step ${step}: the best checkpoint is ${checkpointName(cp)}.`;
  if (cp) return zh ? `验证 loss 最低在第 ${step} 步：离它最近的已知检查点是 ${checkpointName(cp)}。` : `The lowest eval loss is at step ${step}: the nearest known checkpoint is ${checkpointName(cp)}.`;
  return zh ? `验证 loss 最低在第 ${step} 步：最好的检查点是在这一步（或离它最近）保存的那个。` : `The lowest eval loss is at step ${step}: the best checkpoint is the one saved there (or nearest to it).`;
}

/** A resumed run: which attempts the log held and from which step the latest replaced the earlier ones. */
function resumedText(zh: boolean, attempts: readonly { start: number; end: number }[]): string {
  const at = resumedAt(attempts);
  const steps = [...new Set(at)].join(zh ? '、' : ', '); // two resumes from the same checkpoint: its step once
  // The latest attempt has not reached as far as an earlier one (still running, or stopped early): those steps stay.
  const lastEnd = attempts[attempts.length - 1]!.end;
  const beyond = attempts.some((a) => a.end > lastEnd);
  if (zh) return `（这个日志包含 ${at.length + 1} 次尝试：较早的尝试从第 ${steps} 步起被后来的尝试取代，只判断最新的那次${beyond ? `；第 ${lastEnd} 步以后的点来自较早的尝试` : ''}。）`;
  return `(This log holds ${at.length + 1} attempts: ${at.length === 1 ? 'the earlier one was' : 'the earlier ones were'} superseded from step ${steps} on by a resumed run; only the latest is judged${beyond ? `, and the steps after ${lastEnd}, which it has not reached, come from an earlier attempt` : ''}.)`;
}

/** "attempt 1: steps 5–325; attempt 2 from step 210 (to 600)": each attempt of a resumed run and where it started. */
export function attemptsText(zh: boolean, attempts: readonly { start: number; end: number }[]): string {
  return attempts.map((a, i) => (i === 0
    ? (zh ? `第 1 次尝试：第 ${a.start}–${a.end} 步` : `attempt 1: steps ${a.start}–${a.end}`)
    : (zh ? `第 ${i + 1} 次尝试从第 ${a.start} 步起（到第 ${a.end} 步）` : `attempt ${i + 1} from step ${a.start} (to ${a.end})`))).join(zh ? '；' : '; ');
}

/** The evidence as lines a person reads (CLI, tooltips). */
export function evidenceLines(e: Evidence, locale: Locale = 'en'): string[] {
  const zh = locale === 'zh-cn';
  const lines: string[] = [];
  const range = (r: [number, number] | undefined) => (r ? `${r[0]}–${r[1]}` : '?');
  if (e.points === 0) lines.push(zh ? `训练 loss 点数：0${e.totalSteps ? `（计划 ${e.totalSteps} 步）` : ''}` : `train loss points: 0${e.totalSteps ? ` (of ${e.totalSteps} steps planned)` : ''}`);
  else lines.push(zh ? `训练 loss 点数：${e.points}（第 ${e.firstStep ?? '?'}–${e.lastStep ?? '?'} 步${e.totalSteps ? `，计划 ${e.totalSteps} 步` : ''}）` : `train loss points: ${e.points} (steps ${e.firstStep ?? '?'}–${e.lastStep ?? '?'}${e.totalSteps ? ` of ${e.totalSteps} planned` : ''})`);
  if (e.attempts) {
    const at = resumedAt(e.attempts);
    const from = [...new Set(at)];
    lines.push(zh ? `续训：${at.length + 1} 次尝试，较早的尝试从第 ${from.join('、')} 步起被取代` : `resumed: ${at.length + 1} attempts, ${at.length === 1 ? 'the earlier one' : 'the earlier ones'} superseded from step ${from.join(', ')}`);
    lines.push(attemptsText(zh, e.attempts));
  }
  if (e.nonFiniteStep !== undefined) lines.push(zh ? `非有限值：第 ${e.nonFiniteStep} 步（${e.nonFiniteIn === 'eval' ? '验证' : '训练'}）` : `non-finite loss: step ${e.nonFiniteStep} (${e.nonFiniteIn})`);
  if (e.reward) lines.push(zh ? `reward：${e.reward.points} 个点，开始 ${fmt(e.reward.start)}，结尾 ${fmt(e.reward.end)}` : `reward: ${e.reward.points} points, start ${fmt(e.reward.start)}, end ${fmt(e.reward.end)}`);
  if (e.startLoss !== undefined) lines.push(zh ? `开始 loss（第 ${range(e.startRange)} 步中位数）：${fmt(e.startLoss)}` : `start loss (median of steps ${range(e.startRange)}): ${fmt(e.startLoss)}`);
  if (e.endLoss !== undefined) lines.push(zh ? `结尾 loss（第 ${range(e.endRange)} 步中位数）：${fmt(e.endLoss)}` : `end loss (median of steps ${range(e.endRange)}): ${fmt(e.endLoss)}`);
  if (e.relativeDecrease !== undefined) lines.push(zh ? `相对下降：${pct(e.relativeDecrease)}` : `relative decrease: ${pct(e.relativeDecrease)}`);
  if (e.nearZero) lines.push(zh ? `loss 接近 0：变化按下降幅度 ${fmt(e.fall)} 衡量（尺度 ${fmt(e.scale)}），而不是按 loss 本身` : `near-zero loss: changes are measured against the fall of ${fmt(e.fall)} (scale ${fmt(e.scale)}), not the loss itself`);
  if (e.minSmoothedLoss !== undefined) lines.push(zh ? `平滑后最低 loss：${fmt(e.minSmoothedLoss)}（第 ${e.minSmoothedStep} 步，EMA span ${e.emaSpan}）` : `lowest smoothed loss: ${fmt(e.minSmoothedLoss)} at step ${e.minSmoothedStep} (EMA span ${e.emaSpan})`);
  if (e.tail) lines.push(zh ? `最后一段（第 ${e.tail.fromStep}–${e.tail.toStep} 步）变化：${pct(e.tail.change)}（t = ${fmt(e.tail.t)}）` : `change over the last part (steps ${e.tail.fromStep}–${e.tail.toStep}): ${pct(e.tail.change)} (t = ${fmt(e.tail.t)})`);
  if (e.plateauFromStep !== undefined) lines.push(zh ? `平台期起点：第 ${e.plateauFromStep} 步` : `plateau from step ${e.plateauFromStep}`);
  if (e.afterPlateau) lines.push(zh ? `第 ${e.afterPlateau.fromStep} 步到结尾的变化：${pct(e.afterPlateau.change)}（t = ${fmt(e.afterPlateau.t)}）` : `change from step ${e.afterPlateau.fromStep} to the end: ${pct(e.afterPlateau.change)} (t = ${fmt(e.afterPlateau.t)})`);
  if (e.eval && e.insufficient) {
    const v = e.eval;
    lines.push(zh ? `验证 loss：${v.points} 个点，最低 ${fmt(v.minLoss)}（第 ${v.minStep} 步），结尾 ${fmt(v.endLoss)}` : `eval loss: ${v.points} points, lowest ${fmt(v.minLoss)} at step ${v.minStep}, last ${fmt(v.endLoss)}`);
  } else if (e.eval) {
    const v = e.eval;
    lines.push(zh
      ? `验证 loss：${v.points} 个点，最低 ${fmt(v.minLoss)}（第 ${v.minStep} 步），结尾 ${fmt(v.endLoss)}，回升 ${pct(v.rise)}${v.risingFromStep !== undefined ? `（自第 ${v.risingFromStep} 步起）` : ''}，与训练差 ${pct(v.gap)}`
      : `eval loss: ${v.points} points, lowest ${fmt(v.minLoss)} at step ${v.minStep}, last ${fmt(v.endLoss)}, rise ${pct(v.rise)}${v.risingFromStep !== undefined ? ` (rising from step ${v.risingFromStep})` : ''}, train/eval gap ${pct(v.gap)}`);
  }
  if (e.bestCheckpoint) lines.push(zh ? `最佳检查点：${checkpointName(e.bestCheckpoint)}` : `best checkpoint: ${checkpointName(e.bestCheckpoint)}`);
  return lines;
}
