// Messages between the extension host (src/features/curves/workerClient.ts) and the curves worker thread
// (src/workers/curvesWorker.ts), which reads training logs into loss curves and a convergence verdict.
import * as z from 'zod';
import type { LossRun, RunDetail } from './lossCurve';

export const CurvesWorkerRequest = z.discriminatedUnion('type', [
  /** A training log (read by the worker) → the loss-curve panel's run, or its curves as CSV. */
  z.object({ type: z.literal('lossRun'), path: z.string(), displayName: z.string(), locale: z.enum(['en', 'zh-cn']) }),
  z.object({ type: z.literal('lossCsv'), path: z.string() }),
  /** A zoomed x range of a log (steps, or epochs) at full resolution: a RunDetail. */
  z.object({ type: z.literal('lossDetail'), path: z.string(), min: z.number(), max: z.number(), byEpoch: z.boolean() }),
]);
export type CurvesWorkerRequest = z.infer<typeof CurvesWorkerRequest>;

/** The worker is our own code from the same build: its replies are checked for shape only. */
export const LossRunReply = z.custom<LossRun>((v) => typeof v === 'object' && v !== null && typeof (v as LossRun).verdict === 'string');

export const RunDetailReply = z.custom<RunDetail>((v) => typeof v === 'object' && v !== null && Array.isArray((v as RunDetail).train));
