// Messages between the extension host (src/features/tokens/statsPanel.ts) and its webview
// (webview/tokenStats/main.ts). Both sides validate what they receive against these schemas.
import * as z from 'zod';

const count = z.number().int().nonnegative();

export const TokenReport = z.object({
  fileName: z.string(),
  model: z.string(),
  samples: count,
  /** Lines that could not be counted (not JSON, no countable fields). */
  skipped: count,
  tokens: z.object({ mean: z.number(), p50: count, p90: count, p95: count, p99: count, max: count }),
  over4k: z.number().min(0).max(1),
  over8k: z.number().min(0).max(1),
  totalTokens: count,
  trainTokens: count,
  epochs: z.number().int().positive(),
  trainTokensTimesEpochs: count,
  context: z.enum(['none', '4k', '8k', 'between']),
  /** The recommendation in the user's language, one paragraph each. */
  messages: z.array(z.string()),
  /** Equal-width bins of total tokens per sample: bin i covers [edges[i], edges[i+1]). */
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(count) }),
  /** The longest samples, longest first (1-based lines). */
  longest: z.array(z.object({ line: z.number().int().positive(), tokens: count, trainTokens: count })),
});
export type TokenReport = z.infer<typeof TokenReport>;

/** Host → webview. */
export const TokenStatsHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('report'), report: TokenReport }),
  z.object({ type: z.literal('progress'), message: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type TokenStatsHostMessage = z.infer<typeof TokenStatsHostMessage>;

/** Webview → host. */
export const TokenStatsWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('revealLine'), line: z.number().int().positive() }),
  z.object({ type: z.literal('recount') }),
]);
export type TokenStatsWebviewMessage = z.infer<typeof TokenStatsWebviewMessage>;

export const tokenStatsStringKeys = [
  'title', 'model', 'samples', 'skipped', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', 'over4k', 'over8k',
  'epochs', 'trainTokens', 'totalTokens', 'histogram', 'tokensAxis', 'samplesAxis', 'longest', 'line', 'tokens',
  'trained', 'recommendation', 'recount',
] as const;
