// A local OpenAI-compatible server over ONE ChatEngine (the model it serves): POST /v1/chat/completions (streamed as
// server-sent events or one JSON body) and GET /v1/models, on 127.0.0.1 only, every request behind a bearer token.
// The engine answers one request at a time: the others wait their turn in a capped FIFO line (429 when it is full).
// A client that goes away cancels its answer (or leaves the line); stop() ends every answer and connection.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Locale } from '../../core/dataset/types';
import type { ChatEngine, GenerateParams, GenerateResult } from '../engine';
import { ChatCompletionRequest, type ChatCompletion, type ChatCompletionChunk, type ModelList, type Usage } from '../openaiProtocol';
import { byteSize } from '../messages';
import { OnnxModelError } from '../onnx/messages';
import { FairQueue, QueueFullError } from './fairQueue';
import { BodyTooLarge, errorBody, hasBearer, readBody, sendJson } from './httpParts';
import { serverMessage, type ServerMessageKey } from './messages';

export interface ChatServerOptions {
  engine: ChatEngine;
  /** The bearer token every request must carry. */
  token: string;
  /** 0 (default) takes any free port. */
  port?: number;
  /** The id /v1/models lists and answers carry (default: the engine's label). */
  modelId?: string;
  /** Requests that may wait while one is answered (default 32); more are refused with 429. */
  maxQueue?: number;
  /** The largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Parameters of a request that does not give them (max_tokens, temperature...). */
  defaults?: Partial<GenerateParams>;
  /** Language of the error messages (default en). */
  locale?: Locale;
}

export interface ChatServer {
  /** http://127.0.0.1:<port>/v1 */
  readonly url: string;
  readonly port: number;
  /** Requests waiting for their turn now (not counting the one being answered). */
  readonly waiting: number;
  /** Ends every answer, refuses those waiting, closes every connection and the listening socket. */
  stop(): Promise<void>;
}

export const HOST = '127.0.0.1';
const DEFAULT_MAX_TOKENS = 512;
/** How long stop() lets cancelled answers end their responses before it closes their connections. */
const STOP_GRACE_MS = 1000;

/** Starts listening; rejects (EADDRINUSE and the like) when the port cannot be had. */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const o = { port: 0, modelId: options.engine.label, maxQueue: 32, maxBodyBytes: 1 << 20, defaults: {}, locale: 'en' as Locale, ...options };
  const queue = new FairQueue(o.maxQueue);
  const running = new Set<AbortController>();
  const sockets = new Set<Socket>();
  let stopping = false;
  const say = (key: ServerMessageKey, params: Record<string, string | number> = {}) => serverMessage(o.locale, key, params);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (stopping) return sendJson(res, 503, errorBody(say('http.stopping'), 'server_error'));
    if (!hasBearer(req, o.token)) {
      return sendJson(res, 401, errorBody(say('http.unauthorized'), 'authentication_error'), { 'www-authenticate': 'Bearer' });
    }
    const routes: Record<string, { method: string; run: () => Promise<void> | void }> = {
      '/v1/models': { method: 'GET', run: () => sendJson(res, 200, modelList(o.modelId)) },
      '/v1/chat/completions': { method: 'POST', run: () => completions(req, res) },
    };
    const route = routes[path];
    if (!route) return sendJson(res, 404, errorBody(say('http.notFound', { path }), 'not_found_error'));
    if (req.method !== route.method) {
      return sendJson(res, 405, errorBody(say('http.method', { path, allowed: route.method, method: req.method ?? '?' }), 'invalid_request_error'), { allow: route.method });
    }
    await route.run();
  };

  const completions = async (req: IncomingMessage, res: ServerResponse) => {
    let text: string;
    try {
      text = await readBody(req, o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendJson(res, 413, errorBody(say('http.tooLarge', { limit: byteSize(o.maxBodyBytes) }), 'invalid_request_error'), { connection: 'close' });
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return sendJson(res, 400, errorBody(say('http.notJson', { problem: (err as Error).message }), 'invalid_request_error'));
    }
    const parsed = ChatCompletionRequest.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.path.length > 0 ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') : null;
      return sendJson(res, 400, errorBody(say('http.badField', { param: param ?? 'body', problem: issue.message }), 'invalid_request_error', param));
    }
    const request = parsed.data;

    // The client going away (its socket closes before the answer is complete) cancels the answer or its place in line.
    const controller = new AbortController();
    const onClose = () => { if (!res.writableFinished) controller.abort(); };
    res.on('close', onClose);
    let release: () => void;
    try {
      const turn = queue.enter(controller.signal);
      // Accepted into the line: a streaming client gets its headers now, so it knows it is waiting, not refused.
      if (request.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': waiting for the model\n\n');
      }
      release = await turn;
    } catch (err) {
      if (err instanceof QueueFullError) {
        return sendJson(res, 429, errorBody(say('http.busy', { queued: err.waiting }), 'rate_limit_error'), { 'retry-after': '1' });
      }
      // Cancelled while waiting: the client is gone, or the server stops.
      return endCancelled(res, request.stream === true);
    }
    running.add(controller);
    try {
      await answer(request, res, controller.signal);
    } finally {
      running.delete(controller);
      res.off('close', onClose);
      release();
    }
  };

  const answer = async (request: ChatCompletionRequest, res: ServerResponse, signal: AbortSignal) => {
    const params = generateParams(request, o.defaults);
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: ChatCompletionChunk['choices'][0]['delta'], finish: ChatCompletionChunk['choices'][0]['finish_reason'] = null): ChatCompletionChunk =>
      ({ id, object: 'chat.completion.chunk', created, model: o.modelId, choices: [{ index: 0, delta, finish_reason: finish }] });
    const send = (data: unknown) => { if (!res.writableEnded) res.write(`data: ${JSON.stringify(data)}\n\n`); };
    let result: GenerateResult;
    let pieces = 0;
    if (request.stream) send(chunk({ role: 'assistant', content: '' }));
    try {
      result = await o.engine.generate(request.messages, params, (piece) => {
        pieces++;
        if (request.stream) send(chunk({ content: piece }));
      }, signal);
    } catch (err) {
      // The model's problems with this request (a prompt too long, a template that refuses the roles) are the client's to fix.
      const [status, message] = err instanceof OnnxModelError && err.key !== 'model.workerStopped'
        ? [400, say('http.badPrompt', { problem: err.localized(o.locale) })]
        : [500, say('http.failed', { problem: err instanceof OnnxModelError ? err.localized(o.locale) : err instanceof Error ? err.message : String(err) })];
      const body = errorBody(message, status === 400 ? 'invalid_request_error' : 'server_error', status === 400 ? 'messages' : null);
      if (!request.stream) return sendJson(res, status, body);
      send(body);
      return res.end();
    }
    if (result.finishReason === 'cancelled') return endCancelled(res, request.stream === true);
    const finish = result.finishReason;
    const completionTokens = result.tokens?.length ?? pieces;
    const promptTokens = result.promptTokens ?? 0;
    const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    if (!request.stream) {
      const body: ChatCompletion = { id, object: 'chat.completion', created, model: o.modelId, choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: finish }], usage };
      return sendJson(res, 200, body);
    }
    send(chunk({}, finish));
    // As OpenAI sends it: the usage in one last chunk with no choices, when the client asked for it.
    if (request.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: o.modelId, choices: [], usage });
    res.end('data: [DONE]\n\n');
  };

  /**
   * An answer cancelled: when the client went away there is no one to tell; when the server stops, the client is told
   * so (an error event, or 503), never left to take a cut-short answer for a whole one.
   */
  const endCancelled = (res: ServerResponse, stream: boolean): void => {
    if (res.writableEnded || res.destroyed) return;
    const body = errorBody(say('http.stopping'), 'server_error');
    if (!stopping) res.end();
    else if (!stream) sendJson(res, 503, body);
    else res.end(`data: ${JSON.stringify(body)}\n\n`);
  };

  const handling = new Set<Promise<void>>();
  const server: Server = createServer((req, res) => {
    const done = handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(say('http.failed', { problem: err instanceof Error ? err.message : String(err) }), 'server_error'));
      else res.end();
    });
    handling.add(done);
    void done.finally(() => handling.delete(done));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client's malformed HTTP gets a plain 400, never a crash.
  server.on('clientError', (_err, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n'); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/v1`,
    port,
    get waiting() {
      return queue.waiting;
    },
    stop: () => (stopped ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      queue.clear(new Error('stopping'));
      for (const c of running) c.abort();
      // Let the cancelled answers tell their clients (a second at most), then cut whatever is still open.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.allSettled([...handling]), new Promise((resolve) => { timer = setTimeout(resolve, STOP_GRACE_MS); })]);
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      await closed;
    })()),
  };
}

/** The engine's parameters from a request: OpenAI's names and defaults, then the server's own defaults. */
export function generateParams(request: ChatCompletionRequest, defaults: Partial<GenerateParams>): GenerateParams {
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop ?? defaults.stop;
  const topP = request.top_p ?? defaults.topP;
  const seed = request.seed ?? defaults.seed;
  return {
    ...defaults,
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? defaults.maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: request.temperature ?? defaults.temperature ?? 1,
    ...(topP !== undefined ? { topP } : {}),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

function modelList(id: string): ModelList {
  return { object: 'list', data: [{ id, object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'finetune-studio' }] };
}

