// The OpenAI-compatible client against a local server on 127.0.0.1 written here with Node's http module: no real
// model server exists on this machine, so this server plays one (chat.completions replies, 429 with Retry-After,
// 500s, slow answers) and records what it was asked.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chatCompletion, completionsUrl, EndpointError, forEachLimited, listModels } from '../../../src/inference/openaiClient';
import { answerWithEndpoint, type EvalSample } from '../../../src/inference/endpointRun';
import { backoffMs, retryAfterMs } from '../../../src/inference/retry';
import { readStoredPredictions } from '../../../src/core/eval';

interface Asked { at: number; question: string; body: Record<string, unknown>; auth: string | undefined }
type Script = (asked: Asked, count: number) => { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number };

/** A chat.completions server whose replies `script` decides; the default answers "答：<question>". */
class FakeServer {
  asked: Asked[] = [];
  inFlight = 0;
  maxInFlight = 0;
  script: Script = (a) => ({ status: 200, body: { choices: [{ message: { role: 'assistant', content: `答：${a.question}` } }] } });
  private server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'qwen3-wuxia', object: 'model' }, { id: 'qwen3-base', object: 'model' }] }));
      }
      if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
        res.statusCode = 404;
        return res.end('not found');
      }
      const body = JSON.parse(text) as { messages: { content: string }[] };
      const asked: Asked = { at: Date.now(), question: body.messages.at(-1)!.content, body, auth: req.headers.authorization };
      this.asked.push(asked);
      const reply = this.script(asked, this.asked.filter((a) => a.question === asked.question).length);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      setTimeout(() => {
        this.inFlight--;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? { error: { message: 'server trouble' } }));
      }, reply.delayMs ?? 0);
    });
  });
  baseUrl = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  reset(): void {
    this.asked = [];
    this.maxInFlight = 0;
    this.script = new FakeServer().script;
  }
}

const samples = (n: number): EvalSample[] => Array.from({ length: n }, (_, index) => ({
  index, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: `q${index}` }], label: `a${index}`,
}));

describe('OpenAI-compatible client', () => {
  const server = new FakeServer();
  before(() => server.start());
  after(() => server.stop());
  const fast = { backoffMs: 10, maxBackoffMs: 200 };

  it('posts the chat to /v1/chat/completions with the model, temperature 0, max tokens and the key', async () => {
    server.reset();
    const answer = await chatCompletion([{ role: 'user', content: '风寒' }], { baseUrl: server.baseUrl + '/', model: 'm', maxTokens: 64, apiKey: 'sk-test' });
    assert.equal(answer, '答：风寒');
    assert.equal(completionsUrl('http://x/v1/'), 'http://x/v1/chat/completions');
    const body = server.asked[0]!.body;
    assert.deepEqual([body['model'], body['temperature'], body['max_tokens'], body['stream']], ['m', 0, 64, false]);
    assert.equal(server.asked[0]!.auth, 'Bearer sk-test');
  });

  it('lists the server\'s models, and gives undefined where there is no such list', async () => {
    assert.deepEqual(await listModels({ baseUrl: server.baseUrl }), ['qwen3-wuxia', 'qwen3-base']);
    assert.equal(await listModels({ baseUrl: server.baseUrl + '/nothing-here' }), undefined);
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    server.reset();
    server.script = (_a, count) => (count === 1
      ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } }
      : { status: 200, body: { choices: [{ message: { content: 'ok' } }] } });
    assert.equal(await chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast, maxBackoffMs: 5_000 }), 'ok');
    assert.equal(server.asked.length, 2);
    const waited = server.asked[1]!.at - server.asked[0]!.at;
    assert.ok(waited >= 950, `waited ${waited} ms for Retry-After: 1`);
  });

  it('retries a 500 and succeeds; gives up after the retries with the status and body', async () => {
    server.reset();
    server.script = (_a, count) => (count === 1 ? { status: 500 } : { status: 200, body: { choices: [{ message: { content: 'second time' } }] } });
    assert.equal(await chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast }), 'second time');
    assert.equal(server.asked.length, 2);

    server.reset();
    server.script = () => ({ status: 503, body: 'overloaded' });
    await assert.rejects(chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast, retries: 2 }),
      (err: unknown) => err instanceof EndpointError && err.status === 503 && /HTTP 503.*overloaded.*after 3 attempts/.test(err.message));
    assert.equal(server.asked.length, 3);
  });

  it('does not retry a 400 or 401: the answer will not change', async () => {
    server.reset();
    server.script = () => ({ status: 401, body: { error: { message: 'bad key' } } });
    await assert.rejects(chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast }), /HTTP 401.*bad key/);
    assert.equal(server.asked.length, 1);
  });

  it('says so when a 200 answer is not a chat completion, without retrying', async () => {
    server.reset();
    server.script = () => ({ status: 200, body: '<html>proxy login</html>' });
    await assert.rejects(chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast }), /is not JSON: <html>proxy login/);
    server.script = () => ({ status: 200, body: { choices: [] } });
    await assert.rejects(chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: server.baseUrl, model: 'm', ...fast }), /no choices\[0\]\.message\.content/);
    assert.equal(server.asked.length, 2);
  });

  it('retries network errors (nothing listening) and says where it could not connect', async () => {
    const closed = new FakeServer();
    await closed.start();
    const url = closed.baseUrl;
    await closed.stop();
    await assert.rejects(chatCompletion([{ role: 'user', content: 'x' }], { baseUrl: url, model: 'm', ...fast, retries: 1 }),
      (err: unknown) => err instanceof EndpointError && err.message.includes(url) && /after 2 attempts/.test(err.message));
  });

  it('reads Retry-After as seconds or a date, and backs off exponentially with jitter', () => {
    assert.equal(retryAfterMs('3', 60_000), 3_000);
    assert.equal(retryAfterMs('120', 60_000), 60_000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 60_000, 4_000), 6_000);
    assert.equal(retryAfterMs('soon', 60_000), undefined);
    assert.equal(backoffMs(0, 1000, 30_000, () => 0), 500);
    assert.equal(backoffMs(3, 1000, 30_000, () => 1), 8_000);
    assert.equal(backoffMs(10, 1000, 30_000, () => 1), 30_000);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    server.reset();
    server.script = (a) => ({ status: 200, delayMs: 30, body: { choices: [{ message: { content: a.question } }] } });
    const dir = await mkdtemp(path.join(tmpdir(), 'ft-endpoint-'));
    const rows = await answerWithEndpoint(path.join(dir, 'p.jsonl'), samples(12), { baseUrl: server.baseUrl, model: 'm', concurrency: 3, ...fast });
    assert.equal(rows.length, 12);
    assert.equal(server.maxInFlight, 3);
  });

  it('cancel mid-way keeps the answers so far; resume asks only the rest and writes every sample once, in order', async () => {
    server.reset();
    server.script = (a) => ({ status: 200, delayMs: 20, body: { choices: [{ message: { content: `答：${a.question}` } }] } });
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ft-endpoint-')), 'endpoint.predictions.jsonl');
    const controller = new AbortController();
    const progress: number[] = [];
    await assert.rejects(answerWithEndpoint(file, samples(20), {
      baseUrl: server.baseUrl, model: 'm', concurrency: 2, signal: controller.signal, ...fast,
      progress: (done) => { progress.push(done); if (done === 7) controller.abort(); },
    }), (err: Error) => err.name === 'AbortError');
    const partial = readStoredPredictions(await readFile(file, 'utf8'));
    assert.ok(partial.length >= 7 && partial.length < 20, `kept ${partial.length} answers`);
    assert.deepEqual(new Set(partial.map((r) => r.index)).size, partial.length, 'no sample twice');
    // A crash in the middle of a write leaves half a line: it is asked again.
    await writeFile(file, (await readFile(file, 'utf8')) + '{"prompt": "system\\nsys", "predict": "half');
    const askedBefore = server.asked.length;
    const rows = await answerWithEndpoint(file, samples(20), { baseUrl: server.baseUrl, model: 'm', concurrency: 4, ...fast });
    assert.equal(server.asked.length - askedBefore, 20 - partial.length, 'only the unanswered samples are asked');
    assert.deepEqual(rows.map((r) => r.index), Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual(readStoredPredictions(await readFile(file, 'utf8')).map((r) => [r.index, r.predict, r.label]),
      rows.map((r) => [r.index, `答：q${r.index}`, `a${r.index}`]));
    assert.equal(rows[3]!.prompt, 'system\nsys\n\nuser\nq3');
  });

  it('forEachLimited stops at the first failure and reports it', async () => {
    const started: number[] = [];
    await assert.rejects(forEachLimited([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
    }), /boom/);
    assert.deepEqual(started, [1, 2]);
  });
});
