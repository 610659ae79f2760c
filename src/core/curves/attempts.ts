// The attempts of a JSONL training log that was resumed (steps go back: a resume from a checkpoint, a Slurm requeue,
// both appending to the same file). Each attempt keeps its own points in file order; the run's curves are the
// latest attempt over the steps it covers (its first to its last step), each earlier attempt only over the steps no
// later attempt covers. What a later attempt covers of an earlier one is "superseded": the chart draws it faint.
import type { Checkpoint, LearningRatePoint, LossPoint, RunCurves } from './types';

/** One attempt's points, in file order (so by step: a step that goes back starts the next attempt). */
export interface AttemptPoints {
  start: number;
  end: number;
  train: LossPoint[];
  eval: LossPoint[];
  learningRate: LearningRatePoint[];
  checkpoints: Checkpoint[];
  reward: LearningRatePoint[];
}

/** An attempt as the run reports it: its first and last step. */
export interface AttemptSpan {
  start: number;
  end: number;
}

export function newAttempt(step: number): AttemptPoints {
  return { start: step, end: step, train: [], eval: [], learningRate: [], checkpoints: [], reward: [] };
}

type Lists = Pick<AttemptPoints, 'train' | 'eval' | 'learningRate' | 'checkpoints' | 'reward'>;
const LISTS = ['train', 'eval', 'learningRate', 'checkpoints', 'reward'] as const;

/**
 * The run's curves from its attempts (at least one). One attempt: its own lists, not copied (a followed log that
 * grows by appends stays cheap). Several: merged by step, with `attempts` and `superseded` set.
 */
export function mergeAttempts(base: Omit<RunCurves, keyof Lists>, all: readonly AttemptPoints[]): RunCurves {
  const last = all[all.length - 1]!;
  if (all.length === 1) {
    return { ...base, train: last.train, eval: last.eval, learningRate: last.learningRate, checkpoints: last.checkpoints, ...(last.reward.length ? { reward: last.reward } : {}) };
  }
  const merged: Lists = { train: [], eval: [], learningRate: [], checkpoints: [], reward: [] };
  const superseded: LossPoint[][] = [];
  // Walking back from the latest: `covered` is the union of the later attempts' spans.
  const covered: AttemptSpan[] = [];
  const isCovered = (step: number) => covered.some((c) => step >= c.start && step <= c.end);
  for (let i = all.length - 1; i >= 0; i--) {
    const a = all[i]!;
    for (const key of LISTS) {
      const into = merged[key] as { step: number }[];
      for (const p of a[key] as { step: number }[]) if (!isCovered(p.step)) into.push(p);
    }
    if (i < all.length - 1) superseded.unshift(a.train.filter((p) => isCovered(p.step)));
    covered.push({ start: a.start, end: a.end });
  }
  for (const key of LISTS) (merged[key] as { step: number }[]).sort((x, y) => x.step - y.step);
  const { reward, ...lists } = merged;
  return {
    ...base,
    ...lists,
    ...(reward.length ? { reward } : {}),
    attempts: all.map((a) => ({ start: a.start, end: a.end })),
    superseded,
  };
}

/** The steps the later attempts started at (a resumed run's resume points), from a run's `attempts`; empty for one attempt. */
export function resumedAt(attempts: readonly AttemptSpan[] | undefined): number[] {
  return (attempts ?? []).slice(1).map((a) => a.start);
}
