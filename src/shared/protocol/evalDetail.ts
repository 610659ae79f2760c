// Messages between the extension host (src/features/eval/detailPanel.ts) and its webview (webview/evalDetail/main.ts).
// Both sides validate what they receive against these schemas. Scores travel as 4-tuples to keep 10,000-row
// messages small.
import * as z from 'zod';
import { Segmentation } from './metricsWorker';

/** BLEU-4, ROUGE-1, ROUGE-2, ROUGE-L (F), ×100. The order of `Scores4`. */
export const SCORE_NAMES = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'] as const;
export const Scores4 = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Scores4 = z.infer<typeof Scores4>;

export const DetailModel = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['base', 'finetuned', 'endpoint', 'imported']),
  isBase: z.boolean(),
  /** Mean scores; null when the model has none (not scored, or no answers). */
  mean: Scores4.nullable(),
});
export type DetailModel = z.infer<typeof DetailModel>;

export const DetailAnswer = z.object({ text: z.string(), scores: Scores4.nullable() });

export const DetailRow = z.object({
  /** The sample's position in the test set (0-based). */
  index: z.number().int().nonnegative(),
  /** Its 0-based line in the test set file, when the run knows the file. */
  line: z.number().int().nonnegative().optional(),
  prompt: z.string(),
  label: z.string(),
  /** One per model, in `models` order; null where that model has no answer for the sample. */
  answers: z.array(DetailAnswer.nullable()),
});
export type DetailRow = z.infer<typeof DetailRow>;

export const EvalDetail = z.object({
  runId: z.string(),
  title: z.string(),
  /** How ROUGE split the texts into words when the run was scored. */
  segmentation: Segmentation,
  testSet: z.string().optional(),
  /** The beginning every prompt shares (a system prompt), shown once; the rows' prompts hold what follows it. */
  sharedPrompt: z.string().optional(),
  models: z.array(DetailModel),
  rows: z.array(DetailRow),
});
export type EvalDetail = z.infer<typeof EvalDetail>;

/** Host → webview. */
export const EvalDetailHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('detail'), detail: EvalDetail }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type EvalDetailHostMessage = z.infer<typeof EvalDetailHostMessage>;

/** Webview → host. */
export const EvalDetailWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Show sample `index` of the test set in the editor. */
  z.object({ type: z.literal('reveal'), index: z.number().int().nonnegative() }),
  z.object({ type: z.literal('compare') }),
  /** Score the run again with another ROUGE segmentation (jieba for Chinese; whitespace or characters for others). */
  z.object({ type: z.literal('rescore'), segmentation: Segmentation }),
  /** Add another model's predictions file to this run (the browser's file dialog picks one file at a time). */
  z.object({ type: z.literal('addModel') }),
]);
export type EvalDetailWebviewMessage = z.infer<typeof EvalDetailWebviewMessage>;

export const evalDetailStringKeys = [
  'title', 'prompt', 'reference', 'search', 'sortBy', 'sortIndex', 'sortDrop', 'sortScore', 'model',
  'diffWords', 'diffCharacters', 'noAnswer', 'shown', 'openSample', 'compare', 'ascending', 'descending', 'base',
  'testSet', 'segmentation', 'segJieba', 'segWhitespace', 'segCharacter', 'addModel', 'sharedPrompt',
] as const;
