// Messages between the extension host (or the CLI) and the metrics worker (src/workers/metricsWorker.ts), which scores
// prediction/label pairs as LLaMA-Factory does (src/core/metrics). Both sides validate what they receive.
import * as z from 'zod';

export const Segmentation = z.enum(['jieba', 'whitespace', 'character']);

export const MetricsWorkerRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('score'),
    pairs: z.array(z.object({ predict: z.string(), label: z.string() })),
    segmentation: Segmentation,
    /** Names the request for a `cancel` (the host's own number). */
    scoring: z.number().int().optional(),
  }),
  /** Sent as an event: stops that scoring between two samples (its request then fails); others go on. */
  z.object({ type: z.literal('cancel'), scoring: z.number().int() }),
]);
export type MetricsWorkerRequest = z.infer<typeof MetricsWorkerRequest>;

const RougeScore = z.object({ f: z.number(), p: z.number(), r: z.number() });

/** Scores ×100, per sample rounded to 4 decimals as LLaMA-Factory rounds them. */
export const SampleScores = z.object({
  'bleu-4': z.number(),
  'rouge-1': z.number(),
  'rouge-2': z.number(),
  'rouge-l': z.number(),
  rouge: z.object({ 'rouge-1': RougeScore, 'rouge-2': RougeScore, 'rouge-l': RougeScore }),
  /** Present when ROUGE-L compared only the first `limit` words of each side (src/core/metrics/rouge.ts). */
  rougeLCut: z.object({ limit: z.number(), predictWords: z.number(), labelWords: z.number() }).optional(),
});

/** `mean` is null when there was no pair. */
export const ScoreReply = z.object({ samples: z.array(SampleScores), mean: SampleScores.nullable() });
export type ScoreReply = z.infer<typeof ScoreReply>;
