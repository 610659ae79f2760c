// The files of an eval run, `.finetune/evals/<eval-id>/`: eval.json (what was evaluated), one
// `<model>.predictions.jsonl` per model (LLaMA-Factory's generated_predictions.jsonl format) and scores.json.
import * as z from 'zod';
import { SampleScores, Segmentation } from '../../shared/protocol/metricsWorker';

export { SampleScores, Segmentation };

export const ModelKind = z.enum(['base', 'finetuned', 'endpoint', 'imported']);
export type ModelKind = z.infer<typeof ModelKind>;

export const ModelStatus = z.enum(['pending', 'running', 'done', 'cancelled', 'failed']);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** A file-name-safe model id: it names `<id>.predictions.jsonl`. */
export const ModelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/);

export const EvalModel = z.object({
  id: ModelId,
  /** The name the user gave it (any text). */
  name: z.string().min(1),
  kind: ModelKind,
  /** Where the answers came from: the imported file, the endpoint's base URL and model, a checkpoint path. */
  source: z.string(),
  status: ModelStatus,
  /** The model the others are compared against (at most one per run). */
  isBase: z.boolean().default(false),
  /** Why it failed or stopped, when it did. */
  message: z.string().optional(),
});
export type EvalModel = z.infer<typeof EvalModel>;


export const EvalRunMeta = z.object({
  version: z.literal(1),
  id: z.string(),
  /** ISO 8601. */
  created: z.string(),
  /** The test set (relative to the workspace folder, or absolute), when known: rows can then jump to its lines. */
  testSet: z.string().optional(),
  /** The 0-based line of each sample of the test set, by sample index (blank and unreadable lines are not samples). */
  sampleLines: z.array(z.number().int().nonnegative()).optional(),
  segmentation: Segmentation.default('jieba'),
  models: z.array(EvalModel),
});
export type EvalRunMeta = z.infer<typeof EvalRunMeta>;

export const ModelScores = z.object({
  /** Per sample, in the order of the model's predictions file. */
  samples: z.array(SampleScores),
  mean: SampleScores,
});
export type ModelScores = z.infer<typeof ModelScores>;

/** scores.json: by model id. */
export const ScoresFile = z.object({
  version: z.literal(1),
  segmentation: Segmentation,
  models: z.record(z.string(), ModelScores),
});
export type ScoresFile = z.infer<typeof ScoresFile>;

export const METRICS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'] as const;
export type Metric = (typeof METRICS)[number];
