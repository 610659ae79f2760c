// Requests to a model server, bounded two ways: a body is read as a stream and refused past a size limit (a huge
// answer must not fill memory, nor be fetched again by a retry), and redirects are followed only within the origin
// asked (the test set is never re-sent to another host, nor another host's answer scored).
import type { Locale } from '../core/dataset/types';
import { byteSize, endpointMessage } from './messages';

/** The most an answer (or a model list) may take: a chat completion is far smaller; 16 MiB allows long ones. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Same-origin redirects followed before giving up (fetch's own limit is 20; a model server needs one or two). */
export const MAX_REDIRECTS = 5;

/** A request the server answered with an error that retrying will not fix (or retries ran out). */
export class EndpointError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'EndpointError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface BoundedRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * fetch with `redirect: 'manual'`, following redirects itself within the origin of `url` only, with the methods
 * the Fetch standard's HTTP-redirect fetch gives (301/302 turn a POST into a body-less GET, 303 anything but
 * GET/HEAD; 307/308 repeat the method and body). A redirect elsewhere is an EndpointError naming both origins. A
 * 3xx without a usable Location comes back as it is (an error status to the caller).
 */
export async function fetchSameOrigin(doFetch: typeof fetch, url: string, request: BoundedRequest, locale: Locale): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  let { method, headers, body } = request;
  for (let hop = 0; ; hop++) {
    const response = await doFetch(current, { method, headers, ...(body !== undefined ? { body } : {}), ...(request.signal ? { signal: request.signal } : {}), redirect: 'manual' });
    if (!REDIRECTS.has(response.status)) return response;
    const location = response.headers.get('location');
    if (!location) return response;
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    if (target.origin !== origin) {
      throw new EndpointError(endpointMessage(locale, 'crossOrigin', { url: current, status: response.status, target: target.href, to: target.origin, from: origin }), response.status);
    }
    if (hop >= MAX_REDIRECTS) throw new EndpointError(endpointMessage(locale, 'redirects', { url, max: MAX_REDIRECTS }), response.status);
    if (((response.status === 301 || response.status === 302) && method === 'POST') || (response.status === 303 && method !== 'GET')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
    }
    current = target.href;
  }
}

/**
 * The body as text, read as a stream and never more than `limit` bytes (decoded, after any Content-Encoding).
 * Past the limit: `truncate` keeps the first `limit` bytes (for error details); otherwise an EndpointError says
 * the answer from `url` is too large, and the rest is not read.
 */
export async function readBounded(response: Response, limit: number, url: string, locale: Locale, truncate = false): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (!truncate && !response.headers.get('content-encoding') && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new EndpointError(endpointMessage(locale, 'tooLarge', { url, size: byteSize(declared), limit: byteSize(limit) }), response.status);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > limit) {
      await reader.cancel().catch(() => undefined);
      if (!truncate) throw new EndpointError(endpointMessage(locale, 'tooLargeRead', { url, limit: byteSize(limit) }), response.status);
      chunks.push(value.subarray(0, limit - total));
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
