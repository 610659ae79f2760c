// The OpenAI chat-completions wire format as both sides of this project speak it: the client (openaiClient.ts,
// chatStream.ts) writes these requests, the local server (server/) validates them with the same schemas and answers
// with the shapes below. One definition, so the two sides cannot drift apart.
import * as z from 'zod';

export const ChatRole = z.enum(['system', 'user', 'assistant']);

export const ChatMessageSchema = z.object({
  role: ChatRole,
  content: z.string(),
});

export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The most stop strings a request may give (OpenAI's limit). */
export const MAX_STOP_STRINGS = 4;

/**
 * POST /chat/completions: the fields this project sends and serves. Fields it does not know are ignored (OpenAI
 * clients send many), but each known one must have the right type and range.
 */
export const ChatCompletionRequest = z.object({
  model: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).optional(),
  max_completion_tokens: z.number().int().min(1).optional(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(MAX_STOP_STRINGS)]).nullish(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only one answer per request. */
  n: z.literal(1).optional(),
});

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export type WireFinishReason = 'stop' | 'length';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One event of a streamed answer (`object: "chat.completion.chunk"`). */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: 0; delta: { role?: 'assistant'; content?: string }; finish_reason: WireFinishReason | null }[];
  usage?: Usage | null;
}

/** A whole answer (`stream: false`). */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string }; finish_reason: WireFinishReason }[];
  usage: Usage;
}

/** GET /models. */
export interface ModelList {
  object: 'list';
  data: { id: string; object: 'model'; created: number; owned_by: string }[];
}

/** What an OpenAI-compatible server answers when it refuses a request. */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
