// Messages between the extension host (src/features/dataset/overviewPanel.ts) and its webview
// (webview/datasetOverview/main.ts). Both sides validate what they receive against these schemas.
import * as z from 'zod';

const Severity = z.enum(['error', 'warning', 'information', 'hint']);

/** What the overview shows: counted on the host from the linter's result. Text from the file is data, never markup. */
export const DatasetOverview = z.object({
  fileName: z.string(),
  format: z.string(),
  samples: z.number().int().nonnegative(),
  counts: z.object({ error: z.number(), warning: z.number(), information: z.number(), hint: z.number() }),
  omitted: z.number().int().nonnegative(),
  byCode: z.array(z.object({ code: z.string(), severity: Severity, count: z.number().int(), example: z.string() })),
  problems: z.array(z.object({ line: z.number().int().nonnegative(), severity: Severity, code: z.string(), message: z.string() })),
});
export type DatasetOverview = z.infer<typeof DatasetOverview>;

/** Host → webview. */
export const OverviewHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('overview'), overview: DatasetOverview }),
  z.object({ type: z.literal('empty'), reason: z.string() }),
]);
export type OverviewHostMessage = z.infer<typeof OverviewHostMessage>;

/** Webview → host. */
export const OverviewWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('revealLine'), line: z.number().int().nonnegative() }),
  z.object({ type: z.literal('recheck') }),
]);
export type OverviewWebviewMessage = z.infer<typeof OverviewWebviewMessage>;

/** Keys of the strings the host sends once, translated; the webview has no l10n bundle of its own. */
export const overviewStringKeys = [
  'title', 'format', 'samples', 'errors', 'warnings', 'infos', 'byCode', 'problems', 'line', 'code',
  'message', 'count', 'noProblems', 'recheck', 'omitted',
  'format.openai', 'format.sharegpt', 'format.alpaca', 'format.prompt_completion', 'format.text', 'format.mixed', 'format.unknown',
] as const;
