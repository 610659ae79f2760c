// The local OpenAI-compatible server (src/inference/server) over a stub engine whose timing the test controls, with
// real HTTP on 127.0.0.1: the bearer token, 400/404/405/413 answers, both answer shapes read back by our own client
// (chatCompletion, chatCompletionStream), the FIFO line (one answer at a time, 429 when full), a client that goes
// away cancelling its answer or leaving the line, and stop().
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { serverMessage, serverMessageKeys, startChatServer, type ChatServer, type ChatServerOptions } from '../../../src/inference/server';
import { chatCompletion, listModels } from '../../../src/inference/openaiClient';
import { chatCompletionStream, SseParser } from '../../../src/inference/chatStream';
import { EndpointEngine } from '../../../src/inference/endpointEngine';
import { StubEngine } from './serverStub';

const TOKEN = 'test-token-0123456789abcdef';
let engine: StubEngine;
let server: ChatServer;

async function start(options: Partial<ChatServerOptions> = {}): Promise<void> {
  engine = new StubEngine();
  server = await startChatServer({ engine, token: TOKEN, ...options });
}

function post(body: unknown, headers: Record<string, string> = {}, path = '/chat/completions'): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'stub-model', messages: [{ role: 'user', content }], ...extra });

async function errorOf(response: Response): Promise<{ message: string; type: string; param: string | null }> {
  const body = (await response.json()) as { error: { message: string; type: string; param: string | null } };
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

/** Events of a whole SSE body, parsed. */
function events(text: string): unknown[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

describe('local server: requests it refuses', () => {
  beforeEach(() => start());
  afterEach(() => server.stop());

  it('binds 127.0.0.1 only', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('every path needs the bearer token: none, a wrong one, a prefix of it, another scheme → 401 with an error message', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      for (const [method, path] of [['GET', '/models'], ['POST', '/chat/completions'], ['GET', '/nowhere']] as const) {
        const response = await fetch(server.url + path, { method, headers: authorization ? { authorization } : {}, ...(method === 'POST' ? { body: JSON.stringify(ask('hi')) } : {}) });
        assert.equal(response.status, 401, `${method} ${path} with ${authorization}`);
        assert.equal(response.headers.get('www-authenticate'), 'Bearer');
        const error = await errorOf(response);
        assert.match(error.message, /bearer token/);
        assert.equal(error.type, 'authentication_error');
      }
    }
    assert.equal(engine.calls.length, 0);
  });

  it('malformed JSON → 400 invalid_request_error', async () => {
    const response = await post('{"messages": [');
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, /not JSON/);
  });

  it('wrong fields → 400 naming the field in `param`', async () => {
    const cases: [unknown, string | null, RegExp][] = [
      [{ model: 'x' }, 'messages', /messages/],
      [ask('hi', { messages: [] }), 'messages', /messages/],
      [{ messages: [{ role: 'robot', content: 'hi' }] }, 'messages[0].role', /role/],
      [{ messages: [{ role: 'user', content: 3 }] }, 'messages[0].content', /content/],
      [ask('hi', { temperature: 'hot' }), 'temperature', /temperature/],
      [ask('hi', { temperature: 5 }), 'temperature', /temperature/],
      [ask('hi', { top_p: 0 }), 'top_p', /top_p/],
      [ask('hi', { max_tokens: 0 }), 'max_tokens', /max_tokens/],
      [ask('hi', { max_tokens: 1.5 }), 'max_tokens', /max_tokens/],
      [ask('hi', { stop: ['a', 'b', 'c', 'd', 'e'] }), 'stop', /stop/],
      [ask('hi', { seed: -1 }), 'seed', /seed/],
      [ask('hi', { stream: 'yes' }), 'stream', /stream/],
      [ask('hi', { n: 2 }), 'n', /\bn\b/],
      [[1, 2], null, /body/],
      [null, null, /body/],
    ];
    for (const [body, param, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const error = await errorOf(response);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, param, JSON.stringify(body));
      assert.match(error.message, message);
    }
    assert.equal(engine.calls.length, 0);
  });

  it('unknown paths → 404, wrong methods → 405 with Allow', async () => {
    const missing = await fetch(server.url + '/completions', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{}' });
    assert.equal(missing.status, 404);
    assert.match((await errorOf(missing)).message, /no such path: \/v1\/completions/);
    const root = await fetch(server.url.replace(/\/v1$/, '/'), { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(root.status, 404);
    await root.arrayBuffer();
    const getChat = await fetch(server.url + '/chat/completions', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(getChat.status, 405);
    assert.equal(getChat.headers.get('allow'), 'POST');
    assert.match((await errorOf(getChat)).message, /takes POST, not GET/);
    const postModels = await fetch(server.url + '/models', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(postModels.status, 405);
    assert.equal(postModels.headers.get('allow'), 'GET');
    await postModels.arrayBuffer();
  });

  it('a body past the cap → 413, unread', async () => {
    await server.stop();
    await start({ maxBodyBytes: 1024 });
    const response = await post(ask('x'.repeat(5000)));
    assert.equal(response.status, 413);
    assert.match((await errorOf(response)).message, /larger than 1 KiB/);
    assert.equal(engine.calls.length, 0);
  });

  it('has every message in English and Chinese', () => {
    for (const key of serverMessageKeys()) {
      assert.notEqual(serverMessage('zh-cn', key), '', key);
      assert.notEqual(serverMessage('zh-cn', key), serverMessage('en', key), key);
    }
  });

  it('errors in Chinese when the server speaks it', async () => {
    await server.stop();
    await start({ locale: 'zh-cn' });
    const response = await fetch(server.url + '/models');
    assert.match((await errorOf(response)).message, /令牌/);
  });
});

describe('local server: answers, read back with our own client', () => {
  beforeEach(() => start());
  afterEach(() => server.stop());

  it('GET /v1/models lists the one model', async () => {
    const response = await fetch(server.url + '/models', { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await response.json()) as { object: string; data: { id: string; object: string; owned_by: string }[] };
    assert.equal(body.object, 'list');
    assert.deepEqual(body.data.map(({ id, object, owned_by }) => ({ id, object, owned_by })), [{ id: 'stub-model', object: 'model', owned_by: 'finetune-studio' }]);
    assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: TOKEN }), ['stub-model']);
  });

  it('stream: false → one chat.completion body with content, finish_reason and usage; chatCompletion reads it', async () => {
    const response = await post(ask('one two three', { stream: false }));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { object: string; model: string; choices: { message: { role: string; content: string }; finish_reason: string }[]; usage: Record<string, number> };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'stub-model');
    assert.deepEqual(body.choices[0]!.message, { role: 'assistant', content: 'one two three' });
    assert.equal(body.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(body.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    assert.equal(await chatCompletion([{ role: 'user', content: 'four five' }], { baseUrl: server.url, model: 'stub-model', apiKey: TOKEN, retries: 0 }), 'four five');
  });

  it('stream: true → SSE chunks with delta.content, a finish chunk, usage when asked, then [DONE]', async () => {
    const response = await post(ask('alpha beta gamma', { stream: true, stream_options: { include_usage: true }, max_tokens: 2 }));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const list = events(await response.text()) as ({ object: string; choices: { delta: { content?: string; role?: string }; finish_reason: string | null }[]; usage?: Record<string, number> } | '[DONE]')[];
    assert.equal(list.at(-1), '[DONE]');
    const chunks = list.slice(0, -1) as Exclude<(typeof list)[number], '[DONE]'>[];
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'alpha beta');
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    assert.equal(finish?.choices[0]!.finish_reason, 'length');
    assert.deepEqual(chunks.at(-1)!.usage, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    const plain = events(await (await post(ask('a b', { stream: true }))).text());
    assert.ok(plain.every((c) => c === '[DONE]' || !('usage' in (c as object))), 'no usage unless asked');
  });

  it('chatCompletionStream and EndpointEngine read the stream: the same text, finish reason and usage', async () => {
    const pieces: string[] = [];
    const result = await chatCompletionStream([{ role: 'user', content: 'the quick brown fox' }], { baseUrl: server.url, model: 'stub-model', apiKey: TOKEN, maxTokens: 3 }, (p) => pieces.push(p));
    assert.deepEqual(pieces, ['the', ' quick', ' brown']);
    assert.equal(result.text, 'the quick brown');
    assert.equal(result.finishReason, 'length');
    assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 3 });
    const remote = new EndpointEngine({ baseUrl: server.url, model: 'stub-model', apiKey: TOKEN });
    const answer = await remote.generate([{ role: 'user', content: 'jumps over' }], { maxTokens: 50, temperature: 0.5, topP: 0.9, stop: ['###'], seed: 4 }, () => undefined);
    assert.equal(answer.text, 'jumps over');
    assert.equal(answer.finishReason, 'stop');
    assert.equal(answer.promptTokens, 7);
    // The request's parameters reached the engine under their own names.
    assert.deepEqual(engine.calls.at(-1)!.params, { maxTokens: 50, temperature: 0.5, topP: 0.9, stop: ['###'], seed: 4 });
  });

  it('maps OpenAI parameters and falls back on the server defaults', async () => {
    await server.stop();
    await start({ defaults: { maxTokens: 9, temperature: 0, topK: 5 } });
    await (await post(ask('a'))).json();
    assert.deepEqual(engine.calls[0]!.params, { maxTokens: 9, temperature: 0, topK: 5 });
    await (await post(ask('a', { stop: 'END', max_completion_tokens: 3, temperature: 1.2 }))).json();
    assert.deepEqual(engine.calls[1]!.params, { maxTokens: 3, temperature: 1.2, topK: 5, stop: ['END'] });
  });
});

describe('local server: the line, cancelling and stopping', () => {
  afterEach(() => server.stop());

  it('answers one request at a time, in arrival order; 8 concurrent streams all complete with their own content', async () => {
    await start();
    const words = Array.from({ length: 8 }, (_, i) => `stream ${i} says ${'word '.repeat(i + 1).trim()}`);
    const results = await Promise.all(words.map((w) => chatCompletionStream([{ role: 'user', content: w }], { baseUrl: server.url, model: 'm', apiKey: TOKEN }, () => undefined)));
    assert.deepEqual(results.map((r) => r.text), words);
    assert.equal(engine.maxRunning, 1);
  });

  it('FIFO: held requests are answered in the order they came', async () => {
    await start();
    engine.hold();
    const first = post(ask('first'));
    await engine.whenStarted(1);
    const order: string[] = [];
    const rest: Promise<void>[] = [];
    for (const [i, w] of ['second', 'third', 'fourth'].entries()) {
      rest.push((async () => {
        const body = (await (await post(ask(w))).json()) as { choices: { message: { content: string } }[] };
        order.push(body.choices[0]!.message.content);
      })());
      // The next one is sent only once this one stands in line.
      await until(async () => server.waiting === i + 1);
    }
    for (let i = 0; i < 4; i++) {
      await engine.whenStarted(i + 1);
      engine.release();
    }
    await first;
    await Promise.all(rest);
    assert.deepEqual(engine.calls.map((c) => c.messages[0]!.content), ['first', 'second', 'third', 'fourth']);
    assert.deepEqual(order, ['second', 'third', 'fourth']);
  });

  it('a full line → 429 with Retry-After; a place frees when the line moves', async () => {
    await start({ maxQueue: 2 });
    engine.hold();
    const running = post(ask('running'));
    await engine.whenStarted(1);
    const waiting = [post(ask('w1')), post(ask('w2'))];
    // Wait until both are in line (the server has read their bodies).
    await until(async () => server.waiting === 2);
    const refused = await post(ask('refused', { stream: true }));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    const error = await errorOf(refused);
    assert.equal(error.type, 'rate_limit_error');
    assert.match(error.message, /busy: 2 requests/);
    for (let i = 1; i <= 3; i++) {
      await engine.whenStarted(i);
      engine.release();
    }
    assert.equal((await running).status, 200);
    assert.deepEqual(await Promise.all(waiting.map(async (w) => (await w).status)), [200, 200]);
    assert.deepEqual(engine.calls.map((c) => c.messages[0]!.content), ['running', 'w1', 'w2']);
  });

  it('a client that disconnects cancels its generation (AbortSignal), and one that leaves the line is never answered', async () => {
    await start();
    engine.hold();
    const running = rawStream(ask('going away', { stream: true }));
    await engine.whenStarted(1);
    const queued = rawStream(ask('never mind', { stream: true }));
    await queued.headers;
    const third = post(ask('still here'));
    await until(async () => server.waiting === 2);
    queued.destroy();
    await until(async () => server.waiting === 1);
    engine.open();
    running.destroy();
    const body = (await (await third).json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]!.message.content, 'still here');
    assert.equal(engine.calls[0]!.signal!.aborted, true);
    assert.deepEqual(engine.cancelled, ['going away']);
    assert.deepEqual(engine.calls.map((c) => c.messages[0]!.content), ['going away', 'still here']);
  });

  it('stop() ends the running answer and those waiting, telling their clients, and closes the connections and the port', async () => {
    await start();
    engine.hold();
    const running = rawStream(ask('running', { stream: true }));
    await engine.whenStarted(1);
    const waiting = rawStream(ask('waiting', { stream: true }));
    await waiting.headers;
    const waitingPlain = post(ask('waiting too'));
    await until(async () => server.waiting === 2);
    await server.stop();
    assert.equal(engine.calls[0]!.signal!.aborted, true);
    await running.closed;
    await waiting.closed;
    assert.match(running.body(), /data: \{"error":\{"message":"the server is stopping"/);
    assert.match(waiting.body(), /data: \{"error":\{"message":"the server is stopping"/);
    assert.doesNotMatch(running.body(), /\[DONE\]/);
    const plain = await waitingPlain;
    assert.equal(plain.status, 503);
    assert.match((await errorOf(plain)).message, /stopping/);
    assert.equal(engine.calls.length, 1);
    await assert.rejects(fetch(server.url + '/models', { headers: { authorization: `Bearer ${TOKEN}` } }));
  });
});

/** A streaming request on its own socket, to drop it mid-answer: `headers` once the 200 arrives, `closed` at its end. */
function rawStream(body: unknown): { headers: Promise<void>; closed: Promise<void>; destroy: () => void; body: () => string } {
  const text = JSON.stringify(body);
  const url = new URL(server.url + '/chat/completions');
  const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } });
  let onClosed: () => void = () => undefined;
  let received = '';
  const closed = new Promise<void>((resolve) => { onClosed = resolve; });
  const headers = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      resolve();
      res.on('data', (d: Buffer) => { received += d.toString(); });
      res.on('close', onClosed);
    });
    req.on('error', (err) => { reject(err); onClosed(); });
  });
  headers.catch(() => undefined);
  req.end(text);
  return { headers, closed, destroy: () => req.destroy(), body: () => received };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never held');
}

after(() => server?.stop());
