// Deterministic synthetic loss curves for the diagnosis tests: a shape f(i) on n steps with multiplicative noise
// from a seeded LCG (the same seed gives the same curve on every machine).
import type { LossPoint, RunCurves } from '../../../src/core/curves/types';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n train points at steps 1..n (times stepEvery): f(i) × (1 + uniform noise in ±noise). */
export function points(n: number, f: (i: number) => number, noise = 0, seed = 1, stepEvery = 1): LossPoint[] {
  const rnd = lcg(seed);
  const out: LossPoint[] = [];
  for (let i = 0; i < n; i++) out.push({ step: (i + 1) * stepEvery, loss: f(i) * (1 + (rnd() * 2 - 1) * noise) });
  return out;
}

/** Eval points every `every` steps (noise-free: eval runs on a fixed set). */
export function evalPoints(n: number, every: number, f: (i: number) => number): LossPoint[] {
  const out: LossPoint[] = [];
  for (let i = every - 1; i < n; i += every) out.push({ step: i + 1, loss: f(i) });
  return out;
}

export function run(train: LossPoint[], evals: LossPoint[] = [], checkpoints: { step: number; path?: string }[] = []): RunCurves {
  return { source: 'events', train, eval: evals, learningRate: [], checkpoints };
}
