// Messages between the extension host (src/features/dataset/workerClient.ts) and the dataset worker thread
// (src/workers/datasetWorker.ts). The worker keeps each open document's lines: after the first full text,
// the host sends only the lines an edit replaced, so a one-line edit in a large file costs one line.
import * as z from 'zod';
import type { LintResult } from '../../core/dataset/types';
import type { ConvertResult } from '../../core/dataset/formats/convert';

export const LintRequestOptions = z.object({
  locale: z.enum(['en', 'zh-cn']),
  maxDiagnostics: z.number().int().positive(),
  /** The file's base name: selects its entry in a LLaMA-Factory dataset_info.json. */
  fileName: z.string(),
  /** The dataset_info.json beside the file, parsed, when there is one. */
  datasetInfo: z.unknown().optional(),
  /** The configured eval file (absolute path, and its modification time so a change re-checks). */
  evalFile: z.object({ path: z.string(), mtime: z.number() }).optional(),
});
export type LintRequestOptions = z.infer<typeof LintRequestOptions>;

export const DatasetWorkerRequest = z.discriminatedUnion('type', [
  /** The whole text of a document version: (re)starts the worker's copy. */
  z.object({ type: z.literal('lint'), uri: z.string(), version: z.number().int(), text: z.string(), options: LintRequestOptions }),
  /**
   * Lines `start` .. `start + deleteCount` of version `baseVersion` replaced by `lines` (VS Code's lines:
   * a final line break leaves an empty last line). Answered with `{ stale: true }` when the worker's copy
   * is not `baseVersion`; then the host sends the full text.
   */
  z.object({
    type: z.literal('edit'),
    uri: z.string(),
    baseVersion: z.number().int(),
    version: z.number().int(),
    start: z.number().int().nonnegative(),
    deleteCount: z.number().int().nonnegative(),
    lines: z.array(z.string()),
    options: LintRequestOptions,
  }),
  z.object({ type: z.literal('forget'), uri: z.string() }),
  /** ShareGPT / Alpaca → OpenAI messages, for a new file. */
  z.object({ type: z.literal('convert'), text: z.string(), locale: z.enum(['en', 'zh-cn']), fileName: z.string() }),
]);
export type DatasetWorkerRequest = z.infer<typeof DatasetWorkerRequest>;

/**
 * The worker is our own code from the same build, so its replies are checked for shape only
 * (re-validating every diagnostic of a large file would cost more than the lint itself).
 */
export const LintReply = z.custom<LintResult | { stale: true }>(
  (v) => typeof v === 'object' && v !== null && (Array.isArray((v as LintResult).diagnostics) || (v as { stale?: unknown }).stale === true),
);

export const ConvertReply = z.custom<ConvertResult>((v) => typeof v === 'object' && v !== null && typeof (v as ConvertResult).text === 'string');
