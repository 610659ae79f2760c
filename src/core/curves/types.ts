// A training run's curves, whatever tool wrote the log: what the importers produce and the diagnosis reads.

/** Which log a run's curves came from. */
export type CurveSource = 'hf-trainer-state' | 'llamafactory-log' | 'events';

export interface LossPoint {
  step: number;
  epoch?: number;
  /** May be NaN or ±Infinity when the log says so (a diverged run): the diagnosis treats that as divergence. */
  loss: number;
}

export interface LearningRatePoint {
  step: number;
  value: number;
}

export interface Checkpoint {
  step: number;
  path?: string;
}

export interface RunCurves {
  source: CurveSource;
  train: LossPoint[];
  eval: LossPoint[];
  learningRate: LearningRatePoint[];
  checkpoints: Checkpoint[];
  /** The planned number of steps, when the log says it (max_steps, total_steps). */
  totalSteps?: number;
  /**
   * The mean reward of a reinforcement-learning run (GRPO, PPO: entries with a numeric `reward`). Its "loss" is a
   * policy objective, not a supervised loss, and says nothing about convergence.
   */
  reward?: LearningRatePoint[];
  /**
   * Every attempt's first and last step, in file order, when the log holds several (steps go back: a resumed run;
   * see attempts.ts, whose resumedAt gives the steps the later attempts started at).
   */
  attempts?: { start: number; end: number }[];
  /** Per earlier attempt (in order), its train points that a later attempt replaced: drawn faint, never judged. */
  superseded?: LossPoint[][];
}
