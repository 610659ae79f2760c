// Messages between the token-count pool (src/core/tokens/pool.ts) and its worker threads
// (src/workers/tokenWorker.ts). One worker loads one model folder, then counts batches of JSONL lines.
import * as z from 'zod';

/** One dataset line to count: its 1-based line number and either its raw text or its already-parsed value. */
export const TokenItem = z.union([
  z.object({ line: z.number().int().positive(), text: z.string() }),
  z.object({ line: z.number().int().positive(), value: z.unknown() }),
]);
export type TokenItem = z.infer<typeof TokenItem>;

export const TokenWorkerRequest = z.discriminatedUnion('type', [
  /** Load the tokenizer and chat template of a local model folder (resolved against `cwd`). */
  z.object({ type: z.literal('load'), tokenizer: z.string(), cwd: z.string(), requireChatTemplate: z.boolean() }),
  z.object({ type: z.literal('count'), items: z.array(TokenItem) }),
]);
export type TokenWorkerRequest = z.infer<typeof TokenWorkerRequest>;

/** The loaded folder, or why it cannot be used: a TokenizerFolderError's message key and parameters, so the
 * other side can say it in the user's language. */
export const LoadReply = z.union([
  z.object({ name: z.string(), dir: z.string() }),
  z.object({ folderError: z.object({ key: z.string(), params: z.record(z.string(), z.string()) }) }),
]);
export type LoadReply = z.infer<typeof LoadReply>;

/**
 * A counted line, or why it could not be counted (`parse`: not JSON; `format`: no countable fields; `template`: the
 * chat template failed or ran away; `size`: a line too long to count).
 */
export const TokenResult = z.union([
  z.object({
    line: z.number().int(),
    tokens: z.number().int().nonnegative(),
    trainTokens: z.number().int().nonnegative(),
    approximate: z.literal(true).optional(),
  }),
  z.object({
    line: z.number().int(),
    error: z.enum(['parse', 'format', 'template', 'size']),
    /** English. */
    message: z.string(),
    /** A message catalogue key (src/core/tokens/messages.ts) and its parameters, to say it in the user's language. */
    localized: z.object({ key: z.string(), params: z.record(z.string(), z.string()) }).optional(),
  }),
]);
export type TokenResult = z.infer<typeof TokenResult>;

export const CountReply = z.object({ results: z.array(TokenResult) });
export type CountReply = z.infer<typeof CountReply>;
