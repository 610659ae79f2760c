// Per-sample token counts: the whole sequence a trainer sees, and the tokens it learns from.
//
// Chat samples (OpenAI `messages`, optional `tools`) are rendered with the model's chat template exactly as
// transformers' `apply_chat_template(messages, tools=tools, tokenize=False)` does (add_generation_prompt false) and
// encoded without adding special tokens, as `apply_chat_template(tokenize=True)` does. `tokens` is that count.
//
// Trained tokens are found by rendering prefixes, the technique TRL uses for prompt/completion data, and
// counting the full rendering R's tokens between two character positions: count(R[:end]) - count(R[:start]).
// For each assistant turn i that is trained (any `weight` but 0):
//   start = length of render(messages[:i], add_generation_prompt=True) — R up to and including "assistant\n" —
//           when that rendering is a prefix of R;
//   end   = R's length for the last message. Otherwise it is measured back from the next anchor A, the next
//           assistant turn's prompt render(messages[:j], True) (or R when no assistant follows):
//           end = len(A) - len(gap), where gap is what the messages between render to on their own,
//           render(messages[:i] + messages[i+1:j], True) - render(messages[:i]), checked to be A's tail.
//           Failing that, end = len(render(messages[:i+1])) when that is a prefix of R.
// So a turn's trained tokens are everything the template emits for it after the generation prompt: content, tool
// calls, the end-of-turn token (Qwen's `<|im_end|>` and the newline after it, Llama 3's `<|eot_id|>`), and what the
// template adds inside the turn (Qwen3's empty `<think>\n\n</think>\n\n` on turns after the last user message).
// Cost: two renderings per assistant turn besides R (its prompt, and the one without it), memoised per sample, each
// as long as the conversation so far: quadratic in the turns (2,000 messages took 46 s). So conversations of
// SINGLE_RENDER_FROM messages or more are counted from one marked rendering instead (singleRender.ts: where each
// message's turn starts in R), linear, with the same spans wherever the template renders a turn the same whatever
// follows. Whether the template does is checked once per model on conversations of the usual shapes
// (singleRenderProbes.ts); a template that disagrees there, and any sample whose marked rendering cannot be read
// back, keep the prefix renderings. Shorter conversations keep them too: cheap there, and exactly as before.
// Where the two differ on a long conversation that passed, the prefix method had only estimated a turn (the
// sample was `approximate`): with Qwen3, two assistant turns in a row, or a turn after a tool result when an earlier
// turn of that tool chain has reasoning; one rendering counts those turns' actual spans in R instead.
//
// Edge cases:
// - Templates that render a turn differently once later messages follow are not prefix-preserving: Qwen3 keeps
//   `<think>` blocks only on turns after the last user query, so render(messages[:i+1]) shows turn i with a think
//   block R does not have. Measuring back from the anchor uses only renderings in which turn i is absent or
//   rendered as in R, so it stays exact there.
// - The original Llama 3 template always appends the assistant header; it lands in the last trained turn (TRL's
//   prompt/completion split would train on it too), and earlier turns are estimated (below).
// - When a turn cannot be located (a prefix the template refuses, e.g. one not starting with a user turn; roles
//   that must alternate), it is counted as count(render(messages[:i+1])) - count(render(messages[:i], True)),
//   encoded apart, and the sample is marked `approximate`.
// - Where a turn boundary falls inside a merged token (content starting with newlines right after "assistant\n"),
//   the difference of prefix counts puts that token in the turn, as TRL's prompt/completion split does.
//
// `prompt`/`completion` and `text` samples follow TRL's SFTTrainer: the EOS token is appended to the completion or
// text unless already there, the text is encoded with the tokenizer's default special tokens (Llama 3 adds BOS),
// and the trained tokens are the completion's (count(prompt + completion) - count(prompt)) or all of a text.
// Conversational prompt/completion (lists of messages) renders prompt + completion and trains what follows the
// prompt's generation prompt. A message's content parts count as their text, joined (images and other media add
// nothing: the trainer trains on text only and passes templates that string). ShareGPT and Alpaca samples are converted to OpenAI messages with the dataset
// converter (src/core/dataset/formats/convert.ts, as "convert to OpenAI messages" writes them) and counted as such.
import { convertToOpenAI } from '../dataset/formats/convert';
import { UnknownPartError, withTextContent } from '../dataset/formats/contentParts';
import { deeperThan, MAX_DEPTH } from '../dataset/checks/lineLinter';
import type { PrefixCounts } from './prefixCounts';
import { PROBES } from './singleRenderProbes';
import type { RenderOptions } from './chatTemplate';
import { message, type MessageKey } from './messages';
import { TemplateLimitError, type MarkedText } from './templateRun';
import { singleRenderSpans } from './singleRender';

/** A loaded tokenizer + chat template, as counting needs it (tests can fake it). */
export interface TokenCountModel {
  /** `apply_chat_template(messages, tools=..., add_generation_prompt=..., tokenize=False)`. Throws if the template raises. */
  renderChat(messages: readonly unknown[], options: RenderOptions): string;
  /** The same rendering with where each message's turn starts (templateRun.ts); absent or undefined where it cannot tell. */
  renderChatMarked?(messages: readonly unknown[], options: RenderOptions): MarkedText | undefined;
  /** Counts of a rendered chat and of its prefixes, encoded without adding special tokens. */
  chatCounts(text: string): PrefixCounts;
  /** Tokens of plain text encoded with the tokenizer's default special tokens (`tokenizer(text)`). */
  countPlain(text: string): number;
  readonly eosToken: string | undefined;
}

export interface SampleCount {
  tokens: number;
  trainTokens: number;
  /** Set when a trained span could not be located in the full rendering and was estimated (see the header). */
  approximate?: true;
}

export type SampleErrorCode = 'parse' | 'format' | 'template' | 'size';

/** Lines longer than this (characters) are not counted: far past any context length, and slow to tokenize. */
export const MAX_LINE_CHARS = 4_000_000;

export class SampleError extends Error {
  /** `localized`: the catalogue message, for errors that must reach the user in their language (template limits). */
  constructor(readonly code: SampleErrorCode, message: string, readonly localized?: { key: MessageKey; params: Record<string, string> }) {
    super(message);
    this.name = 'SampleError';
  }
}

/** A SampleError with its English text and its catalogue key, so each reader sees it in their language. */
function sampleError(code: SampleErrorCode, key: MessageKey, params: Record<string, string>): SampleError {
  return new SampleError(code, message('en', key, params), { key, params });
}

/** Counts one JSONL line (a BOM before the first line is allowed). Throws SampleError. */
export function countLine(model: TokenCountModel, text: string, options: CountOptions = {}): SampleCount {
  if (text.length > MAX_LINE_CHARS) {
    throw sampleError('size', 'sample.tooLong', { chars: text.length.toLocaleString('en-US'), limit: MAX_LINE_CHARS.toLocaleString('en-US') });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new SampleError('parse', err instanceof Error ? err.message : String(err));
  }
  return countSample(model, value, options);
}

/** Counts one already-parsed sample. Throws SampleError. */
export function countSample(model: TokenCountModel, sample: unknown, options: CountOptions = {}): SampleCount {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    throw sampleError('format', 'sample.notObject', {});
  }
  // The linter and the trainer refuse such a sample (FT009); walking it here would overflow the stack.
  if (deeperThan(sample, MAX_DEPTH)) throw sampleError('format', 'sample.tooDeep', { depth: String(MAX_DEPTH) });
  const s = sample as Record<string, unknown>;
  const tools = Array.isArray(s['tools']) ? (s['tools'] as unknown[]) : null;
  if (Array.isArray(s['messages'])) return countChat(model, textContent(s['messages']), tools, options);
  if ('prompt' in s || 'completion' in s) {
    const { prompt, completion } = s;
    if (typeof prompt === 'string' && typeof completion === 'string') return countPromptCompletion(model, prompt, completion);
    if (Array.isArray(prompt) && Array.isArray(completion)) return countChatCompletion(model, textContent(prompt), textContent(completion), tools);
    throw sampleError('format', 'sample.promptCompletion', {});
  }
  if (typeof s['text'] === 'string') {
    const tokens = model.countPlain(withEos(model, s['text']));
    return { tokens, trainTokens: tokens };
  }
  // ShareGPT / Alpaca: counted as the OpenAI messages that "convert to OpenAI messages" writes for them.
  if (CONVERTIBLE_KEYS.some((key) => key in s)) {
    const converted = convertToOpenAI(JSON.stringify(s));
    if (converted.converted === 1) {
      const openai = JSON.parse(converted.text) as { messages: unknown[]; tools?: unknown };
      return countChat(model, openai.messages, Array.isArray(openai.tools) ? openai.tools : null, options);
    }
    throw sampleError('format', 'sample.noConvert', { reason: converted.skipped[0]?.reason ?? '?' });
  }
  throw sampleError('format', 'sample.unknownFormat', {});
}

/**
 * Content parts (`[{type: "text", text}, {type: "image_url", ...}]`) as the trainer passes them to the chat template:
 * the text parts' text joined, media left out (the trainer trains on text only). An unknown part shape is refused,
 * as the linter refuses it (FT010).
 */
function textContent(messages: readonly unknown[]): unknown[] {
  try {
    return withTextContent(messages) as unknown[];
  } catch (err) {
    if (err instanceof UnknownPartError) throw sampleError('format', 'sample.unknownPart', { message: String(err.part.message + 1), part: String(err.part.part + 1), shape: err.part.shape });
    throw err;
  }
}

/** The keys by which the dataset converter recognises ShareGPT and Alpaca samples. */
const CONVERTIBLE_KEYS = ['conversations', 'instruction', 'input', 'output'];

/** Conversations of at least this many messages are counted from one rendering (singleRender.ts) where it agrees. */
export const SINGLE_RENDER_FROM = 16;

export interface CountOptions {
  /** 'auto' (default): one rendering for long conversations when the template passed the probe; 'never': the prefix
   * renderings only; 'always': one rendering whenever it can (tests and benches compare both). */
  singleRender?: 'auto' | 'never' | 'always';
}

function countChat(model: TokenCountModel, messages: readonly unknown[], tools: unknown[] | null, options: CountOptions = {}): SampleCount {
  const mode = options.singleRender ?? 'auto';
  const render = renderer(model, tools);
  const once = mode === 'always' || (mode === 'auto' && messages.length >= SINGLE_RENDER_FROM && singleRenderAgrees(model));
  return once ? countChatOnce(model, render, messages, tools) : countChatByPrefixes(model, render, messages, render(messages, false));
}

/**
 * From one marked rendering (plus a plain one where the template may read its loops' output back, to compare);
 * by prefixes where the marks cannot be read or do not give every trained span.
 */
function countChatOnce(model: TokenCountModel, render: Render, messages: readonly unknown[], tools: unknown[] | null): SampleCount {
  const marked = markedRender(model, messages, tools);
  const full = marked?.plain ? marked.text : render(messages, false);
  const gp = generationPrompt(model);
  const spans = marked && gp !== undefined && marked.text === full ? singleRenderSpans(messages, marked.starts, full, gp, isTrainedAssistant) : undefined;
  if (!spans) return countChatByPrefixes(model, render, messages, full);
  const counts = model.chatCounts(full);
  return { tokens: counts.total, trainTokens: spans.reduce((n, span) => n + counts.upTo(span.end) - counts.upTo(span.start), 0) };
}

function markedRender(model: TokenCountModel, messages: readonly unknown[], tools: unknown[] | null): MarkedText | undefined {
  if (!model.renderChatMarked) return undefined;
  try {
    return model.renderChatMarked(messages, { tools, addGenerationPrompt: false });
  } catch (err) {
    if (err instanceof TemplateLimitError) throw limitError(err);
    return undefined; // the template's own error: the plain rendering reports it
  }
}

/**
 * Whether the one-rendering method gives this template the same counts as the prefix renderings, tried once per
 * model on conversations of the usual shapes. Templates that fail it (the original Llama 3 template, which always
 * appends an assistant header, so earlier turns can only be estimated by prefixes) keep the prefix renderings for
 * every sample: exact as before, and quadratic in the turns.
 */
const agreement = new WeakMap<TokenCountModel, boolean>();
function singleRenderAgrees(model: TokenCountModel): boolean {
  let agrees = agreement.get(model);
  if (agrees === undefined) {
    agrees = PROBES.every(({ messages, tools }) => {
      try {
        const prefixes = countChat(model, messages, tools, { singleRender: 'never' });
        const once = countChat(model, messages, tools, { singleRender: 'always' });
        return once.tokens === prefixes.tokens && once.trainTokens === prefixes.trainTokens && once.approximate === prefixes.approximate;
      } catch {
        return true; // a shape the template refuses says nothing
      }
    });
    agreement.set(model, agrees);
  }
  return agrees;
}

function countChatByPrefixes(model: TokenCountModel, render: Render, messages: readonly unknown[], full: string): SampleCount {
  const counts = model.chatCounts(full);
  const gp = generationPrompt(model);
  const prefix = prefixRenderer(render, messages, full);
  let trainTokens = 0;
  let approximate = false;
  for (let i = 0; i < messages.length; i++) {
    if (!isTrainedAssistant(messages[i])) continue;
    const span = turnSpan(render, prefix, messages, i, full, gp);
    if (span) {
      trainTokens += counts.upTo(span.end) - counts.upTo(span.start);
    } else {
      trainTokens += estimateTurn(model, prefix, i);
      approximate = true;
    }
  }
  return approximate ? { tokens: counts.total, trainTokens, approximate } : { tokens: counts.total, trainTokens };
}

function countChatCompletion(model: TokenCountModel, prompt: unknown[], completion: unknown[], tools: unknown[] | null): SampleCount {
  const render = renderer(model, tools);
  const full = render([...prompt, ...completion], false);
  const counts = model.chatCounts(full);
  const head = render(prompt, true);
  if (full.startsWith(head)) return { tokens: counts.total, trainTokens: counts.total - counts.upTo(head.length) };
  const trainTokens = Math.max(0, counts.total - model.chatCounts(head).total);
  return { tokens: counts.total, trainTokens, approximate: true };
}

function countPromptCompletion(model: TokenCountModel, prompt: string, completion: string): SampleCount {
  const tokens = model.countPlain(prompt + withEos(model, completion));
  return { tokens, trainTokens: Math.max(0, tokens - model.countPlain(prompt)) };
}

type Render = (messages: readonly unknown[], addGenerationPrompt: boolean) => string;

/** Renders, turning template errors (`raise_exception`, a missing field) into SampleError. */
function renderer(model: TokenCountModel, tools: unknown[] | null): Render {
  return (messages, addGenerationPrompt) => {
    try {
      return model.renderChat(messages, { tools, addGenerationPrompt });
    } catch (err) {
      if (err instanceof TemplateLimitError) throw limitError(err);
      throw sampleError('template', 'sample.templateFailed', { detail: err instanceof Error ? err.message : String(err) });
    }
  };
}

/** Renders `messages[:k]`, each (k, flag) once per sample; undefined where the template refuses that prefix. */
type PrefixRender = (k: number, addGenerationPrompt: boolean) => string | undefined;

function prefixRenderer(render: Render, messages: readonly unknown[], full: string): PrefixRender {
  const memo = new Map<number, string | undefined>();
  return (k, gen) => {
    const key = k * 2 + (gen ? 1 : 0);
    if (!memo.has(key)) memo.set(key, k === messages.length && !gen ? full : tryRender(render, messages.slice(0, k), gen));
    return memo.get(key);
  };
}

/** A runaway template is not a refused prefix: it stops the sample. */
function tryRender(render: Render, messages: readonly unknown[], addGenerationPrompt: boolean): string | undefined {
  try {
    return render(messages, addGenerationPrompt);
  } catch (err) {
    if (err instanceof SampleError && err.localized) throw err;
    return undefined;
  }
}

function limitError(err: TemplateLimitError): SampleError {
  return new SampleError('template', err.message, { key: err.key, params: err.params });
}

/**
 * The text add_generation_prompt appends after a user turn (Qwen: "<|im_start|>assistant\n"), found once per model
 * from a one-message conversation; undefined when the template does not append a fixed text.
 */
const generationPrompts = new WeakMap<TokenCountModel, string | undefined>();
function generationPrompt(model: TokenCountModel): string | undefined {
  if (generationPrompts.has(model)) return generationPrompts.get(model);
  const render = renderer(model, null);
  let found: string | undefined;
  for (const probe of [[{ role: 'user', content: 'x' }], [{ role: 'system', content: 'x' }, { role: 'user', content: 'x' }]]) {
    const without = tryRender(render, probe, false);
    const withPrompt = tryRender(render, probe, true);
    if (without !== undefined && withPrompt !== undefined && withPrompt.startsWith(without) && withPrompt.length > without.length) {
      found = withPrompt.slice(without.length);
      break;
    }
  }
  generationPrompts.set(model, found);
  return found;
}

/** Character span of assistant turn i inside the full rendering, or undefined when it cannot be located exactly. */
function turnSpan(render: Render, prefix: PrefixRender, messages: readonly unknown[], i: number, full: string, gp: string | undefined): { start: number; end: number } | undefined {
  const prompt = prefix(i, true);
  if (prompt === undefined || !full.startsWith(prompt)) return undefined;
  const start = prompt.length;
  if (i === messages.length - 1) return { start, end: full.length };
  return anchoredEnd(render, prefix, messages, i, full, prompt, gp, start) ?? throughEnd(prefix, i, full, start);
}

/**
 * The end of turn i measured back from the next anchor: the next assistant turn's prompt render(messages[:j], True)
 * (or the full rendering when no assistant follows), minus what the messages between render to on their own:
 * render(messages[:i] + messages[i+1:j], True) - render(messages[:i]). Exact for templates that re-render a turn
 * once later messages follow (Qwen3), and for prefix-preserving ones alike.
 */
function anchoredEnd(render: Render, prefix: PrefixRender, messages: readonly unknown[], i: number, full: string, prompt: string, gp: string | undefined, start: number): { start: number; end: number } | undefined {
  let j = i + 1;
  while (j < messages.length && roleOf(messages[j]) !== 'assistant') j++;
  const last = j === messages.length;
  const anchor = last ? full : prefix(j, true);
  if (anchor === undefined || (!last && !full.startsWith(anchor))) return undefined;
  const base = gp !== undefined && prompt.endsWith(gp) ? prompt.slice(0, prompt.length - gp.length) : prefix(i, false);
  if (base === undefined) return undefined;
  const without = tryRender(render, [...messages.slice(0, i), ...messages.slice(i + 1, j)], !last);
  if (without === undefined || !without.startsWith(base)) return undefined;
  const gap = without.slice(base.length);
  const end = anchor.length - gap.length;
  return end >= start && anchor.endsWith(gap) ? { start, end } : undefined;
}

/** The end of turn i where render(messages[:i+1]) is itself a prefix of the full rendering. */
function throughEnd(prefix: PrefixRender, i: number, full: string, start: number): { start: number; end: number } | undefined {
  const through = prefix(i + 1, false);
  return through !== undefined && full.startsWith(through) && through.length >= start ? { start, end: through.length } : undefined;
}

/** TRL's prompt/completion difference for one turn, encoded apart; 0 if even that cannot be rendered. */
function estimateTurn(model: TokenCountModel, prefix: PrefixRender, i: number): number {
  const prompt = prefix(i, true);
  const through = prefix(i + 1, false);
  if (through === undefined) return 0;
  return Math.max(0, model.chatCounts(through).total - (prompt === undefined ? 0 : model.chatCounts(prompt).total));
}

function isTrainedAssistant(message: unknown): boolean {
  return roleOf(message) === 'assistant' && (message as { weight?: unknown }).weight !== 0;
}

function roleOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { role?: unknown }).role : undefined;
}

function withEos(model: TokenCountModel, text: string): string {
  const eos = model.eosToken;
  return eos && !text.endsWith(eos) ? text + eos : text;
}
