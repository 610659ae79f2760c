// Messages between the extension host (src/host/datasetWorkerClient.ts) and the dataset worker thread
// (src/workers/datasetWorker.ts).
import { z } from 'zod';
import type { LintResult } from '../../core/dataset/types';

export const DatasetWorkerRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('lint'),
    /** Identifies the document so the worker can reuse per-line results between edits. */
    uri: z.string(),
    text: z.string(),
    options: z.object({
      locale: z.enum(['en', 'zh-cn']),
      maxDiagnostics: z.number().int().positive(),
      /** The file's base name: selects its entry in a LLaMA-Factory dataset_info.json. */
      fileName: z.string(),
    }),
  }),
  z.object({ type: z.literal('forget'), uri: z.string() }),
]);
export type DatasetWorkerRequest = z.infer<typeof DatasetWorkerRequest>;

/**
 * The worker is our own code from the same build, so its replies are checked for shape only
 * (re-validating every diagnostic of a large file would cost more than the lint itself).
 */
export const LintReply = z.custom<LintResult>(
  (v) => typeof v === 'object' && v !== null && Array.isArray((v as LintResult).diagnostics),
);
