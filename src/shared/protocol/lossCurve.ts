// Messages between the extension host (src/panels/lossCurvePanel.ts) and its webview
// (webview/lossCurve/main.ts). Both sides validate what they receive against these schemas.
import * as z from 'zod';

/** A loss is null where the log says NaN or ±Infinity (JSON and zod have no NaN); the chart leaves a gap. */
const loss = z.number().nullable();
const step = z.number();

export const CurvePoint = z.object({ step, epoch: z.number().optional(), loss });
export type CurvePoint = z.infer<typeof CurvePoint>;

export const LossRun = z.object({
  /** The log's path relative to the workspace (or absolute outside it). */
  fileName: z.string(),
  source: z.enum(['hf-trainer-state', 'llamafactory-log', 'events']),
  train: z.array(CurvePoint),
  eval: z.array(CurvePoint),
  learningRate: z.array(z.object({ step, value: z.number() })),
  checkpoints: z.array(z.object({ step, path: z.string().optional() })),
  totalSteps: z.number().optional(),
  verdict: z.enum(['converged', 'converged_early', 'overfitting', 'not_converged', 'still_improving', 'diverged']),
  reason: z.string(),
  advice: z.string(),
  bestStep: z.number().optional(),
  /** The evidence in the user's language, one line each. */
  evidence: z.array(z.string()),
  /** Lines of a JSONL log that could not be read. */
  skippedLines: z.number().int().nonnegative(),
});
export type LossRun = z.infer<typeof LossRun>;

/** Host → webview. */
export const LossCurveHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('run'), run: LossRun }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type LossCurveHostMessage = z.infer<typeof LossCurveHostMessage>;

/** Webview → host. */
export const LossCurveWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('exportCsv') }),
]);
export type LossCurveWebviewMessage = z.infer<typeof LossCurveWebviewMessage>;

export const lossCurveStringKeys = [
  'title', 'verdict', 'reason', 'advice', 'bestStep', 'evidence', 'skipped', 'exportCsv', 'smoothing',
  'xByStep', 'xByEpoch', 'step', 'epoch', 'loss', 'learningRate', 'trainRaw', 'trainSmoothed', 'evalLoss',
  'checkpoints', 'points',
  'converged', 'converged_early', 'overfitting', 'not_converged', 'still_improving', 'diverged',
] as const;
