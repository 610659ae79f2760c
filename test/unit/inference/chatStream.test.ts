// The streaming client and the endpoint engine against a real local HTTP server (node:http on 127.0.0.1) that plays
// the servers the chat meets: one that streams server-sent events, one that answers with a plain JSON body, one
// without the path (404), one that answers with a web page, one that stalls, one that never stops.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatCompletionStream, SseParser, streamRequestBody } from '../../../src/inference/chatStream';
import { EndpointEngine } from '../../../src/inference/endpointEngine';
import { EndpointError } from '../../../src/inference/boundedFetch';
import { generationTiming } from '../../../src/inference/generationTiming';
import { endpointMessage, endpointMessageKeys } from '../../../src/inference/messages';

type Handler = (req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse) => void;

const chunk = (content: string, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

/** The server's routes by path (after /v1); what the last request asked is kept. */
class Server {
  routes = new Map<string, Handler>();
  asked: Record<string, unknown>[] = [];
  baseUrl = '';
  private readonly server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      this.asked.push(body);
      const handler = this.routes.get(req.url ?? '');
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('404 page not found');
      }
      handler(req, body, res);
    });
  });
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const streaming = (pieces: string[], usage?: { prompt_tokens: number; completion_tokens: number }): Handler => (_req, _body, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': keep-alive\n\n');
  pieces.forEach((p, i) => res.write(chunk(p, i === pieces.length - 1 ? 'stop' : null)));
  if (usage) res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
};

describe('streaming chat completions', () => {
  const server = new Server();
  before(() => server.start());
  after(() => server.stop());
  const user = [{ role: 'user' as const, content: '你好' }];

  it('streams the pieces in order, asks for a stream with usage, and reads the usage report', async () => {
    server.routes.set('/v1/chat/completions', streaming(['Hel', 'lo', '，世界'], { prompt_tokens: 7, completion_tokens: 3 }));
    const pieces: string[] = [];
    const result = await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/v1`, model: 'm', temperature: 0.7, topP: 0.9, maxTokens: 64, stop: ['###'], seed: 3 }, (p) => pieces.push(p));
    assert.deepEqual(pieces, ['Hel', 'lo', '，世界']);
    assert.equal(result.text, 'Hello，世界');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 3 });
    const asked = server.asked.at(-1)!;
    assert.equal(asked['stream'], true);
    assert.deepEqual(asked['stream_options'], { include_usage: true });
    assert.equal(asked['top_p'], 0.9);
    assert.equal(asked['max_tokens'], 64);
    assert.deepEqual(asked['stop'], ['###']);
    assert.equal(asked['seed'], 3);
  });

  it('accepts a server that answers with one JSON body instead of a stream, as one piece', async () => {
    server.routes.set('/plain/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: '整段回答' }, finish_reason: 'length' }], usage: { prompt_tokens: 4, completion_tokens: 9 } }));
    });
    const pieces: string[] = [];
    const result = await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/plain/v1`, model: 'm' }, (p) => pieces.push(p));
    assert.deepEqual(pieces, ['整段回答']);
    assert.equal(result.finishReason, 'length');
    assert.equal(result.usage?.completionTokens, 9);
  });

  it('a 404 on the path says to check the base URL, at once and without retrying', async () => {
    const before = server.asked.length;
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/wrong`, model: 'm' }, () => undefined), (err: Error) => {
      assert.ok(err instanceof EndpointError);
      assert.match(err.message, /404/);
      assert.match(err.message, /\/wrong\/chat\/completions/);
      assert.match(err.message, /\/v1/);
      return true;
    });
    assert.equal(server.asked.length - before, 1);
  });

  it('a web page instead of an answer is named as such', async () => {
    server.routes.set('/html/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Login</title>');
    });
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/html/v1`, model: 'm' }, () => undefined), /web page/);
  });

  it('a stream that goes quiet ends with a "stalled" error after the idle time, keeping what came', async () => {
    server.routes.set('/stall/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('一'));
      // …and nothing more, never ending.
    });
    const pieces: string[] = [];
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/stall/v1`, model: 'm', idleTimeoutMs: 150, firstTokenTimeoutMs: 5_000 }, (p) => pieces.push(p)), (err: Error) => {
      assert.ok(err instanceof EndpointError);
      assert.match(err.message, /sent nothing for 0\.15 s/);
      return true;
    });
    assert.deepEqual(pieces, ['一']);
  });

  it('a server that never sends headers is given up after the (longer) wait for the first token', async () => {
    server.routes.set('/silent/v1/chat/completions', () => undefined);
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/silent/v1`, model: 'm', idleTimeoutMs: 50, firstTokenTimeoutMs: 250 }, () => undefined),
      /sent nothing for 0\.25 s: the answer was given up \(a stalled stream\)/);
  });

  it('cancel ends a running stream at once with the text so far', async () => {
    server.routes.set('/endless/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write(chunk('啊')), 5);
      res.on('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    let received = 0;
    const result = await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/endless/v1`, model: 'm' }, () => {
      if (++received === 3) controller.abort();
    }, controller.signal);
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.text, '啊啊啊');
  });

  it('an answer past the size limit is refused, not read on', async () => {
    server.routes.set('/huge/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200; i++) res.write(chunk('x'.repeat(100)));
      res.end('data: [DONE]\n\n');
    });
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/huge/v1`, model: 'm', maxResponseBytes: 4096 }, () => undefined), /went on past the 4 KiB/);
  });

  it('an error event in the stream, and an event that is not JSON, are said as such', async () => {
    server.routes.set('/err/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ error: { message: 'model overloaded' } })}\n\n`);
    });
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/err/v1`, model: 'm' }, () => undefined), /model overloaded/);
    server.routes.set('/junk/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {broken\n\n');
    });
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/junk/v1`, model: 'm' }, () => undefined), /not JSON: \{broken/);
  });

  it('asks again without stream_options when a server refuses that field', async () => {
    server.routes.set('/strict/v1/chat/completions', (_req, body, res) => {
      if ('stream_options' in body) {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'Unrecognized request argument supplied: stream_options' } }));
      }
      streaming(['ok'])(_req, body, res);
    });
    const result = await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/strict/v1`, model: 'm' }, () => undefined);
    assert.equal(result.text, 'ok');
    assert.equal(result.usage, undefined);
  });

  it('follows a same-origin redirect, refuses one to another origin', async () => {
    server.routes.set('/moved/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(307, { location: '/v1/chat/completions' });
      res.end();
    });
    server.routes.set('/v1/chat/completions', streaming(['moved']));
    assert.equal((await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/moved/v1`, model: 'm' }, () => undefined)).text, 'moved');
    server.routes.set('/away/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(307, { location: 'http://example.invalid/v1/chat/completions' });
      res.end();
    });
    await assert.rejects(chatCompletionStream(user, { baseUrl: `${server.baseUrl}/away/v1`, model: 'm' }, () => undefined), /another origin/);
  });

  it('retries a 503 before the answer begins; says where it could not connect when nothing listens', async () => {
    let calls = 0;
    server.routes.set('/busy/v1/chat/completions', (req, body, res) => {
      if (++calls === 1) {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end('{"error":{"message":"loading"}}');
      }
      streaming(['ready'])(req, body, res);
    });
    const result = await chatCompletionStream(user, { baseUrl: `${server.baseUrl}/busy/v1`, model: 'm', backoffMs: 5 }, () => undefined);
    assert.equal(result.text, 'ready');
    assert.equal(calls, 2);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(chatCompletionStream(user, { baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', retries: 1, backoffMs: 5 }, () => undefined),
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/v1/chat/completions.*\\(after 2 attempts\\)`));
  });

  it('the endpoint engine reports time to first token and tokens/s, estimating tokens by pieces without usage', async () => {
    server.routes.set('/v1/chat/completions', streaming(['a', 'b', 'c', 'd']));
    let clock = 0;
    const engine = new EndpointEngine({ baseUrl: `${server.baseUrl}/v1`, model: 'qwen', label: 'Qwen (server)' }, () => (clock += 100));
    const pieces: string[] = [];
    const result = await engine.generate(user, { maxTokens: 16, temperature: 0 }, (p) => pieces.push(p));
    assert.equal(engine.label, 'Qwen (server)');
    assert.equal(result.text, 'abcd');
    // start 100, first piece 200, end 300: 3 tokens after the first in 100 ms.
    assert.equal(result.timeToFirstTokenMs, 100);
    assert.equal(result.tokensPerSecond, 30);
    assert.equal(result.promptTokens, undefined);
    assert.equal(server.asked.at(-1)!['temperature'], 0);
  });

  it('the endpoint engine uses usage when given, and dispose cancels what is running', async () => {
    server.routes.set('/v1/chat/completions', streaming(['x'], { prompt_tokens: 5, completion_tokens: 11 }));
    const engine = new EndpointEngine({ baseUrl: `${server.baseUrl}/v1`, model: 'm' });
    const result = await engine.generate(user, { maxTokens: 16, temperature: 0 }, () => undefined);
    assert.equal(result.promptTokens, 5);
    assert.ok(result.tokensPerSecond > 0);
    server.routes.set('/v1/chat/completions', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('…'));
    });
    let disposed: Promise<void> | undefined;
    const outcome = await engine.generate(user, { maxTokens: 16, temperature: 0 }, () => { disposed ??= engine.dispose(); });
    await disposed;
    assert.equal(outcome.finishReason, 'cancelled');
    assert.equal(outcome.text, '…');
  });
});

describe('server-sent events', () => {
  it('joins data lines, skips comments and other fields, copes with CRLF split across pieces', () => {
    const p = new SseParser();
    const events = [...p.push(': hi\r'), ...p.push('\nevent: x\r\ndata: a\r\ndata:b\r'), ...p.push('\n\r\n'), ...p.push('data: tail')];
    assert.deepEqual(events, ['a\nb']);
    assert.deepEqual(p.end(), ['tail']);
  });

  it('leaves out parameters the user did not set', () => {
    const body = JSON.parse(streamRequestBody([], { baseUrl: 'x', model: 'm' }, false)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['messages', 'model', 'stream']);
  });
});

describe('timing', () => {
  it('is the decoding rate after the first token; zero without tokens', () => {
    assert.deepEqual(generationTiming(0, 500, 1500, 11), { timeToFirstTokenMs: 500, tokensPerSecond: 10 });
    assert.deepEqual(generationTiming(0, 200, 200, 1), { timeToFirstTokenMs: 200, tokensPerSecond: 5 });
    assert.deepEqual(generationTiming(0, undefined, 900, 0), { timeToFirstTokenMs: 0, tokensPerSecond: 0 });
  });

  it('every endpoint message has its Chinese', () => {
    for (const key of endpointMessageKeys()) assert.notEqual(endpointMessage('zh-cn', key), endpointMessage('en', key), key);
  });
});
