// Streaming chat completions from an OpenAI-compatible server (the trial chat): POST {baseUrl}/chat/completions with
// `stream: true`, read as server-sent events (`data: {...}` lines, `data: [DONE]` at the end) and handed on piece by
// piece. Bounded like the rest of the client (boundedFetch.ts): the whole stream is capped in size and redirects are
// followed within the server's origin only. A server that answers with one plain JSON body instead is accepted as
// one piece. A 404, a web page, or silence (past `firstTokenTimeoutMs` before the answer begins, `idleTimeoutMs`
// once it has) ends with a clear EndpointError, never a hang; aborting `signal` ends it at once with finishReason
// 'cancelled' and the text so far.
import type { Locale } from '../core/dataset/types';
import { EndpointError, fetchSameOrigin, MAX_RESPONSE_BYTES, readBounded } from './boundedFetch';
import { endpointMessage, byteSize } from './messages';
import { answerText, completionsUrl } from './openaiClient';
import type { ChatCompletionRequest, ChatMessage } from './openaiProtocol';
import { backoffMs, isRetryableStatus, retryAfterMs, sleep } from './retry';

export interface StreamOptions {
  /** Up to and including /v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: readonly string[];
  seed?: number;
  /** Longest silence (no byte at all) once the answer has begun before it is given up; default 60 s. */
  idleTimeoutMs?: number;
  /**
   * Longest wait for the first piece of the answer (headers included); default 5 min: a server may load the model
   * on the first request (Ollama does) or queue it behind others.
   */
  firstTokenTimeoutMs?: number;
  /** The most bytes the whole stream may take (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Retries of a request the server refused with 429 / 5xx or could not be reached, before any text (default 2). */
  retries?: number;
  backoffMs?: number;
  locale?: Locale;
  fetch?: typeof fetch;
}

export interface StreamResult {
  text: string;
  finishReason: 'stop' | 'length' | 'cancelled';
  /** Token counts when the server reported them (`stream_options.include_usage`, or a plain JSON answer's usage). */
  usage?: { promptTokens?: number; completionTokens?: number };
  /** Text pieces received (an estimate of the tokens when the server reports no usage). */
  pieces: number;
}

const ERROR_DETAIL_BYTES = 4096;
const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_FIRST_TOKEN_MS = 300_000;

/** The request body: OpenAI's names for the parameters; usage asked for in the stream's last event. */
export function streamRequestBody(messages: readonly ChatMessage[], o: StreamOptions, includeUsage = true): string {
  const request: ChatCompletionRequest = {
    model: o.model,
    messages: [...messages],
    stream: true,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
    ...(o.topP !== undefined ? { top_p: o.topP } : {}),
    ...(o.maxTokens ? { max_tokens: o.maxTokens } : {}),
    ...(o.stop && o.stop.length > 0 ? { stop: [...o.stop] } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
  return JSON.stringify(request);
}

/**
 * Streams one chat completion: `onText` gets each piece of the answer as it arrives. Resolves with the whole text
 * when the stream ends (or with 'cancelled' when `signal` aborts); rejects with an EndpointError that says what the
 * server did wrong.
 */
export async function chatCompletionStream(messages: readonly ChatMessage[], options: StreamOptions, onText: (piece: string) => void, signal?: AbortSignal): Promise<StreamResult> {
  const locale = options.locale ?? 'en';
  const url = completionsUrl(options.baseUrl);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  const firstMs = Math.max(idleMs, options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_MS);
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const retries = options.retries ?? 2;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream, application/json' };
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  const state: StreamResult = { text: '', finishReason: 'stop', pieces: 0 };
  const cancelled = (): StreamResult => ({ ...state, finishReason: 'cancelled' });
  let includeUsage = true;

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return cancelled();
    // One controller ends the request: the user's cancel, or silence longer than idleMs.
    const controller = new AbortController();
    // Silence is allowed longer until the first piece arrives, then idleMs between bytes.
    const idle = new IdleTimer(() => (state.pieces > 0 ? idleMs : firstMs), () => controller.abort());
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let wait: number | undefined;
    let failure: EndpointError;
    try {
      const response = await fetchSameOrigin(options.fetch ?? fetch, url, { method: 'POST', headers, body: streamRequestBody(messages, options, includeUsage), signal: controller.signal }, locale);
      idle.touch();
      if (response.ok) {
        await readAnswer(response, { url, locale, limit, idle, onText, state });
        return state;
      }
      const detail = (await readBounded(response, ERROR_DETAIL_BYTES, url, locale, true).catch(() => '')).slice(0, 300);
      // Some servers refuse the stream_options field they do not know: ask once more without it.
      if ((response.status === 400 || response.status === 422) && includeUsage && /stream_options/i.test(detail)) {
        includeUsage = false;
        attempt--;
        continue;
      }
      failure = httpError(response, url, detail, locale);
      if (!isRetryableStatus(response.status)) throw failure;
      wait = retryAfterMs(response.headers.get('retry-after'), 30_000);
    } catch (err) {
      if (signal?.aborted) return cancelled();
      if (idle.fired !== undefined) throw new EndpointError(endpointMessage(locale, 'stalled', { url, seconds: +(idle.fired / 1000).toFixed(2) }));
      if (err instanceof EndpointError) throw err;
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      failure = new EndpointError(endpointMessage(locale, 'unreachable', { url, cause }));
      // A connection lost mid-answer is not retried: the text so far was already shown.
      if (state.pieces > 0) throw failure;
    } finally {
      idle.stop();
      signal?.removeEventListener('abort', onAbort);
    }
    if (attempt >= retries) throw new EndpointError(endpointMessage(locale, 'attempts', { message: failure.message, attempts: retries + 1 }), failure.status);
    try {
      await sleep(wait ?? backoffMs(attempt, options.backoffMs ?? 1_000, 30_000), signal);
    } catch {
      return cancelled();
    }
  }
}

function httpError(response: Response, url: string, detail: string, locale: Locale): EndpointError {
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 404) return new EndpointError(endpointMessage(locale, 'notFound', { url, detail: detail.slice(0, 200) }), 404);
  if (/text\/html/i.test(type)) return new EndpointError(endpointMessage(locale, 'html', { url, detail: `HTTP ${response.status}` }), response.status);
  return new EndpointError(endpointMessage(locale, 'http', { status: response.status, url, detail }), response.status);
}

interface ReadContext {
  url: string;
  locale: Locale;
  limit: number;
  idle: IdleTimer;
  onText: (piece: string) => void;
  state: StreamResult;
}

/** Reads a 200 answer: an event stream piece by piece, or one JSON body (a server that does not stream). */
async function readAnswer(response: Response, c: ReadContext): Promise<void> {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('text/html')) {
    const start = await readBounded(response, ERROR_DETAIL_BYTES, c.url, c.locale, true).catch(() => '');
    throw new EndpointError(endpointMessage(c.locale, 'html', { url: c.url, detail: start.slice(0, 120) }), response.status);
  }
  const reader = response.body?.getReader();
  if (!reader) return;
  const decoder = new TextDecoder();
  const sse = new SseParser();
  let mode: 'sse' | 'json' | undefined = type.includes('text/event-stream') ? 'sse' : type.includes('json') ? 'json' : undefined;
  let body = '';
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      c.idle.touch();
      total += value.byteLength;
      if (total > c.limit) throw new EndpointError(endpointMessage(c.locale, 'tooLargeRead', { url: c.url, limit: byteSize(c.limit) }), response.status);
      const text = decoder.decode(value, { stream: true });
      // No usable content type: the first bytes tell ("data:" or ":" starts an event stream).
      mode ??= /^\s*(data|:|event)/.test(text) ? 'sse' : /^\s*[{[]/.test(text) ? 'json' : undefined;
      if (mode === undefined) throw new EndpointError(endpointMessage(c.locale, 'notStream', { url: c.url, type: type || '?', detail: text.slice(0, 120) }), response.status);
      if (mode === 'json') {
        body += text;
        continue;
      }
      for (const data of sse.push(text)) if (handleEvent(data, c) === 'done') return;
      // Again now that the pieces are counted: once the answer has begun, the shorter idle time applies.
      c.idle.touch();
    }
    if (mode === 'json') return acceptJson(body + decoder.decode(), c);
    for (const data of sse.end()) if (handleEvent(data, c) === 'done') return;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** A whole JSON answer: a chat completion given in one piece. */
function acceptJson(body: string, c: ReadContext): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new EndpointError(endpointMessage(c.locale, 'notJson', { url: c.url, detail: body.slice(0, 200) }));
  }
  const error = (json as { error?: unknown } | null)?.error;
  if (error) throw new EndpointError(endpointMessage(c.locale, 'streamError', { url: c.url, detail: errorDetail(error) }));
  const text = answerText(json, c.locale);
  if (text) {
    c.state.text += text;
    c.state.pieces++;
    c.onText(text);
  }
  const choice = (json as { choices?: { finish_reason?: unknown }[] }).choices?.[0];
  if (choice?.finish_reason === 'length') c.state.finishReason = 'length';
  takeUsage(json, c.state);
}

/** One event's data: a chunk with choices[0].delta.content, a usage report, an error, or [DONE]. */
function handleEvent(data: string, c: ReadContext): 'done' | undefined {
  if (data.trim() === '[DONE]') return 'done';
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new EndpointError(endpointMessage(c.locale, 'badEvent', { url: c.url, detail: data.slice(0, 200) }));
  }
  const error = (json as { error?: unknown } | null)?.error;
  if (error) throw new EndpointError(endpointMessage(c.locale, 'streamError', { url: c.url, detail: errorDetail(error) }));
  const choice = (json as { choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[] } | null)?.choices?.[0];
  const piece = choice?.delta?.content;
  if (typeof piece === 'string' && piece.length > 0) {
    c.state.text += piece;
    c.state.pieces++;
    c.onText(piece);
  }
  if (choice?.finish_reason === 'length') c.state.finishReason = 'length';
  takeUsage(json, c.state);
  return undefined;
}

function takeUsage(json: unknown, state: StreamResult): void {
  const usage = (json as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null } | null)?.usage;
  if (!usage) return;
  state.usage = {
    ...(typeof usage.prompt_tokens === 'number' ? { promptTokens: usage.prompt_tokens } : {}),
    ...(typeof usage.completion_tokens === 'number' ? { completionTokens: usage.completion_tokens } : {}),
  };
}

function errorDetail(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
  return (typeof message === 'string' ? message : JSON.stringify(error)).slice(0, 300);
}

/**
 * Server-sent events as the HTML standard parses them, reduced to what chat servers send: `data:` lines joined
 * by newlines until a blank line ends the event; comments (`:` keep-alives) and other fields are skipped.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feeds decoded text; returns the data of each event it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone \r at the very end may be half of \r\n: wait for the next piece.
      if (this.buffer[newline] === '\r' && newline === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      this.line(line, events);
    }
    return events;
  }

  /** The stream ended: an event not closed by a blank line still counts. */
  end(): string[] {
    const events: string[] = [];
    if (this.buffer) this.line(this.buffer, events);
    this.buffer = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith('data:')) this.data.push(line.slice(line[5] === ' ' ? 6 : 5));
  }
}

/** Calls `onIdle` once when `touch` has not been called for `period()` ms; `fired` is the period that ran out. */
class IdleTimer {
  fired: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly period: () => number, private readonly onIdle: () => void) {
    this.touch();
  }
  touch(): void {
    clearTimeout(this.timer);
    const ms = this.period();
    this.timer = setTimeout(() => {
      this.fired = ms;
      this.onIdle();
    }, ms);
  }
  stop(): void {
    clearTimeout(this.timer);
  }
}
