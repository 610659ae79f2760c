// Messages between the extension host (src/features/eval/comparePanel.ts) and its webview (webview/evalCompare/main.ts).
// Both sides validate what they receive against these schemas.
import * as z from 'zod';

const Values = z.object({ 'bleu-4': z.number(), 'rouge-1': z.number(), 'rouge-2': z.number(), 'rouge-l': z.number() });

export const CompareModel = z.object({
  modelId: z.string(),
  name: z.string(),
  kind: z.enum(['base', 'finetuned', 'endpoint', 'imported']),
  isBase: z.boolean(),
  samples: z.number().int().nonnegative(),
  mean: Values,
  /** Against the run's base model; absent for the base itself and in runs without one. */
  delta: Values.optional(),
});
export type CompareModel = z.infer<typeof CompareModel>;

export const CompareRun = z.object({
  runId: z.string(),
  /** Where the run lives (sent back to open it). */
  dir: z.string(),
  created: z.string(),
  testSet: z.string().optional(),
  models: z.array(CompareModel),
});
export type CompareRun = z.infer<typeof CompareRun>;

/** Host → webview. */
export const EvalCompareHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('runs'), runs: z.array(CompareRun), problems: z.array(z.string()) }),
]);
export type EvalCompareHostMessage = z.infer<typeof EvalCompareHostMessage>;

/** Webview → host. */
export const EvalCompareWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Ask which runs to compare again. */
  z.object({ type: z.literal('pickRuns') }),
  /** Open one run's samples. */
  z.object({ type: z.literal('openRun'), dir: z.string() }),
]);
export type EvalCompareWebviewMessage = z.infer<typeof EvalCompareWebviewMessage>;

export const evalCompareStringKeys = [
  'title', 'run', 'model', 'kind', 'samples', 'delta', 'base', 'pickRuns', 'openRun', 'bars', 'radar', 'table', 'noScores',
  'kind.base', 'kind.finetuned', 'kind.endpoint', 'kind.imported',
] as const;
