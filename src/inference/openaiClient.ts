// A client for OpenAI-compatible chat servers (vLLM, Ollama, llama.cpp server, SGLang, cloud APIs):
// POST {baseUrl}/chat/completions with Node's fetch, retries with backoff on 429 / 5xx / network errors
// (honouring Retry-After), a concurrency limit, and cancel through an AbortSignal. Answers are capped in size and
// redirects followed within the server's origin only (boundedFetch.ts). Answers are never streamed (stream: false).
import type { Locale } from '../core/dataset/types';
import { EndpointError, fetchSameOrigin, MAX_RESPONSE_BYTES, readBounded } from './boundedFetch';
import { endpointMessage } from './messages';
import { backoffMs, isAbort, isRetryableStatus, retryAfterMs, sleep, abortError } from './retry';
import type { ChatCompletionRequest, ChatMessage } from './openaiProtocol';

export { EndpointError, MAX_RESPONSE_BYTES };
export type { ChatMessage };

export interface EndpointOptions {
  /** Up to and including /v1, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  /** Sent as a Bearer token; kept by the caller in SecretStorage. */
  apiKey?: string;
  /** 0 by default: evaluation wants the model's most likely answer. */
  temperature?: number;
  maxTokens?: number;
  /** Retries after the first attempt (default 5). */
  retries?: number;
  /** First backoff (default 1 s), doubled each retry up to maxBackoffMs (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** One request's time limit (default 10 min: long answers from slow servers). */
  timeoutMs?: number;
  /** The most bytes an answer may take (default MAX_RESPONSE_BYTES); a larger one fails at once, unretried. */
  maxResponseBytes?: number;
  /** Language of the errors (default en). */
  locale?: Locale;
  fetch?: typeof fetch;
}

/** Bytes of an error answer kept for its message (only its start is shown). */
const ERROR_DETAIL_BYTES = 4096;

export function completionsUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '') + '/chat/completions';
}

/** The answer's text from a chat.completions response. */
export function answerText(body: unknown, locale: Locale = 'en'): string {
  const content = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
  if (typeof content === 'string') return content;
  if (content === null) return '';
  throw new EndpointError(endpointMessage(locale, 'noContent', { detail: JSON.stringify(body).slice(0, 200) }));
}

/** One chat completion, retried on 429 / 5xx / network errors. Rejects with an AbortError when `signal` aborts. */
export async function chatCompletion(messages: readonly ChatMessage[], options: EndpointOptions, signal?: AbortSignal): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const locale = options.locale ?? 'en';
  const url = completionsUrl(options.baseUrl);
  const retries = options.retries ?? 5;
  const base = options.backoffMs ?? 1_000;
  const max = options.maxBackoffMs ?? 30_000;
  const request: ChatCompletionRequest = {
    model: options.model,
    messages: [...messages],
    temperature: options.temperature ?? 0,
    ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}),
    stream: false,
  };
  const body = JSON.stringify(request);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 600_000);
    let wait: number | undefined;
    let failure: EndpointError;
    try {
      const response = await fetchSameOrigin(doFetch, url, {
        method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      }, locale);
      if (response.ok) {
        const text = await readBounded(response, options.maxResponseBytes ?? MAX_RESPONSE_BYTES, url, locale);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new EndpointError(endpointMessage(locale, 'notJson', { url, detail: text.slice(0, 200) }));
        }
        return answerText(json, locale);
      }
      const detail = await readBounded(response, ERROR_DETAIL_BYTES, url, locale, true).catch(() => '');
      failure = new EndpointError(endpointMessage(locale, 'http', { status: response.status, url, detail: detail.slice(0, 300) }), response.status);
      if (!isRetryableStatus(response.status)) throw failure;
      wait = retryAfterMs(response.headers.get('retry-after'), max);
    } catch (err) {
      if (isAbort(err, signal) && signal?.aborted) throw abortError(signal);
      if (err instanceof EndpointError) throw err;
      // Network errors (refused, reset, DNS) and our own timeout: retry.
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      failure = new EndpointError(endpointMessage(locale, 'unreachable', { url, cause }));
    }
    if (attempt >= retries) throw new EndpointError(endpointMessage(locale, 'attempts', { message: failure.message, attempts: retries + 1 }), failure.status);
    await sleep(wait ?? backoffMs(attempt, base, max), signal);
  }
}

/**
 * The model ids the server lists at GET {baseUrl}/models (vLLM, Ollama, llama.cpp server and cloud APIs answer it),
 * or undefined when it does not answer in time or not in that shape: then the user types the name.
 */
export async function listModels(options: Pick<EndpointOptions, 'baseUrl' | 'apiKey' | 'fetch' | 'maxResponseBytes'>, timeoutMs = 5_000): Promise<string[] | undefined> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  const url = options.baseUrl.replace(/\/+$/, '') + '/models';
  try {
    const response = await fetchSameOrigin(options.fetch ?? fetch, url, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) }, 'en');
    if (!response.ok) return undefined;
    const data = (JSON.parse(await readBounded(response, options.maxResponseBytes ?? MAX_RESPONSE_BYTES, url, 'en')) as { data?: unknown }).data;
    if (!Array.isArray(data)) return undefined;
    return data.map((m) => (m as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
  } catch {
    return undefined;
  }
}

/**
 * Runs `task` for every item with at most `concurrency` at a time. Stops starting new ones once `signal`
 * aborts; rejects with the first error (after letting the running ones finish).
 */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < items.length && firstError === undefined && !signal?.aborted) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (err) {
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (firstError !== undefined) throw firstError;
  if (signal?.aborted) throw abortError(signal);
}
