// Messages between the extension host (src/features/chat/chatPanel.ts) and the trial chat's webview
// (webview/chat/main.ts). Both sides validate what they receive against these schemas. The host owns the
// conversation: the page sends what the user did and shows the state it gets back, and the pieces of the answers
// as they stream.
import * as z from 'zod';

/** The most models answering side by side. */
export const MAX_CHAT_MODELS = 4;

export const ChatParams = z.object({
  /** 0 is greedy. */
  temperature: z.number().min(0).max(2),
  topP: z.number().gt(0).max(1),
  maxTokens: z.number().int().min(1).max(32_768),
  /** Generation stops before any of these (at most 4, as OpenAI allows). */
  stop: z.array(z.string().min(1)).max(4),
});
export type ChatParams = z.infer<typeof ChatParams>;

export const DEFAULT_CHAT_PARAMS: ChatParams = { temperature: 0.7, topP: 1, maxTokens: 512, stop: [] };

export const ChatModelInfo = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['endpoint', 'local', 'job']),
  /** The engine can show the exact prompt it receives ("What the model sees"). */
  canRender: z.boolean(),
  /** Set when the host found the model renders with another chat template than its job trained with. */
  templateWarning: z.string().optional(),
});
export type ChatModelInfo = z.infer<typeof ChatModelInfo>;

export const AnswerStatus = z.enum(['streaming', 'done', 'length', 'cancelled', 'failed']);
export type AnswerStatus = z.infer<typeof AnswerStatus>;

export const ChatAnswer = z.object({
  text: z.string(),
  status: AnswerStatus,
  error: z.string().optional(),
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  tokensPerSecond: z.number().nonnegative().optional(),
});
export type ChatAnswer = z.infer<typeof ChatAnswer>;

/** One user message and each model's answer to it (by model id). */
export const ChatTurn = z.object({
  user: z.string(),
  answers: z.record(z.string(), ChatAnswer),
});
export type ChatTurn = z.infer<typeof ChatTurn>;

export const ChatState = z.object({
  conversationId: z.string(),
  system: z.string(),
  params: ChatParams,
  models: z.array(ChatModelInfo).max(MAX_CHAT_MODELS),
  turns: z.array(ChatTurn),
  /** Some answer is still streaming: Stop is offered, sending is not. */
  busy: z.boolean(),
  /** Where the conversation is kept, relative to the workspace (shown so the user can find it). */
  file: z.string().optional(),
});
export type ChatState = z.infer<typeof ChatState>;

/** Host → webview. */
export const ChatHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('state'), state: ChatState }),
  /** A piece of model `model`'s answer to turn `turn`, to add to what the page shows. */
  z.object({ type: z.literal('piece'), turn: z.number().int().nonnegative(), model: z.string(), text: z.string() }),
  /** "What the model sees": the prompt exactly as rendered, or why it cannot be shown. */
  z.object({ type: z.literal('prompt'), model: z.string(), label: z.string(), text: z.string().optional(), tokens: z.number().int().nonnegative().optional(), error: z.string().optional() }),
  z.object({ type: z.literal('error'), message: z.string() }),
  /** A request: the page replies with a ChatProbe of what its answer cells hold (the integration tests ask). */
  z.object({ type: z.literal('probe') }),
]);
export type ChatHostMessage = z.infer<typeof ChatHostMessage>;

/** What the page shows in each answer: its text, and how many elements lie inside it (0: text only). */
export const ChatProbe = z.object({
  answers: z.array(z.object({ turn: z.number().int().nonnegative(), model: z.string(), text: z.string(), elements: z.number().int().nonnegative() })),
});
export type ChatProbe = z.infer<typeof ChatProbe>;

/** Webview → host. */
export const ChatWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A new user message: every model answers it. */
  z.object({ type: z.literal('send'), text: z.string().min(1).max(1_000_000) }),
  z.object({ type: z.literal('stop') }),
  /** Every model answers the last user message again. */
  z.object({ type: z.literal('regenerate') }),
  /** Replace user message `turn`, drop what followed, and answer it anew. */
  z.object({ type: z.literal('editTurn'), turn: z.number().int().nonnegative(), text: z.string().min(1).max(1_000_000) }),
  /** A new, empty conversation (the old one stays in its file). */
  z.object({ type: z.literal('clear') }),
  z.object({ type: z.literal('setSystem'), text: z.string().max(1_000_000) }),
  z.object({ type: z.literal('setParams'), params: ChatParams }),
  z.object({ type: z.literal('showPrompt'), model: z.string() }),
  /** Append the conversation as `model` answered it to a dataset file the user picks. */
  z.object({ type: z.literal('saveSample'), model: z.string() }),
  z.object({ type: z.literal('addModel') }),
  z.object({ type: z.literal('removeModel'), model: z.string() }),
]);
export type ChatWebviewMessage = z.infer<typeof ChatWebviewMessage>;

export const chatStringKeys = [
  'title', 'system', 'systemPlaceholder', 'parameters', 'temperature', 'topP', 'maxTokens', 'stop', 'stopPlaceholder',
  'send', 'stopAnswer', 'regenerate', 'clear', 'edit', 'save', 'cancel', 'messagePlaceholder', 'whatModelSees',
  'saveSample', 'addModel', 'removeModel', 'noModels', 'ttft', 'tps', 'tokens', 'statusCancelled', 'statusLength',
  'statusFailed', 'you', 'close', 'keptIn', 'noPromptView', 'templateWarning', 'kind.endpoint', 'kind.local', 'kind.job',
] as const;
