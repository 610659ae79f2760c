// Issue 10: the endpoint client must not hold an answer of any size (a 300 MB one held 1.35 GB and was fetched six
// times), must not re-POST the test set to another host on 307/308, nor score another host's answer on 301/302/303.
// Real HTTP servers on 127.0.0.1 (ephemeral ports; two ports are two origins) count what they receive.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chatCompletion, EndpointError, listModels, MAX_RESPONSE_BYTES } from '../../../src/inference/openaiClient';
import { answerWithEndpoint } from '../../../src/inference/endpointRun';
import { endpointMessage, endpointMessageKeys } from '../../../src/inference/messages';

interface Received { method: string; url: string; body: string }
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const completion = (content: string) => JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] });

/** A server on 127.0.0.1 that records every request and answers as `handler` says (by default, a completion). */
class Server {
  received: Received[] = [];
  handler: Handler = (_req, res) => res.end(completion('ok'));
  /** Bytes a streamed answer had written when its connection closed. */
  closedAfter: number | undefined;
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.received.push({ method: req.method!, url: req.url!, body });
      this.handler(req, res, body);
    });
  });
  origin = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  reset(handler?: Handler): void {
    this.received = [];
    this.closedAfter = undefined;
    this.handler = handler ?? ((_req, res) => res.end(completion('ok')));
  }
}

const redirect = (status: number, location: string): Handler => (_req, res) => {
  res.writeHead(status, { location });
  res.end();
};

describe('endpoint client: answer size and redirects (issue 10)', () => {
  const a = new Server();
  const b = new Server();
  before(async () => {
    await a.start();
    await b.start();
  });
  after(async () => {
    await a.stop();
    await b.stop();
  });
  // Retries are on (5, fast) so that a retried request would show in the counts.
  const options = () => ({ baseUrl: `${a.origin}/v1`, model: 'm', retries: 5, backoffMs: 5, maxBackoffMs: 20 });
  const ask = (extra: object = {}) => chatCompletion([{ role: 'user', content: '试题' }], { ...options(), ...extra });

  it('caps answers at 16 MiB by default', () => {
    assert.equal(MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
  });

  it('refuses an answer whose Content-Length passes the cap at once, without retrying', async () => {
    const big = completion('长'.repeat(1_000_000)); // about 3 MB
    a.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
      res.end(big);
    });
    await assert.rejects(ask({ maxResponseBytes: 1 << 20 }), (err: Error) => {
      assert.ok(err instanceof EndpointError, String(err));
      assert.match(err.message, new RegExp(`${a.origin}/v1/chat/completions is 2\\.9 MiB, more than the 1 MiB.*not retried`));
      return true;
    });
    assert.equal(a.received.length, 1);
  });

  it('stops reading a streamed answer (no Content-Length) past the cap, without retrying', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 64 * 1024 * 1024;
    a.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let written = 0;
      res.on('close', () => (a.closedAfter = written));
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"choices": [{"message": {"content": "');
      pump();
    });
    await assert.rejects(ask({ maxResponseBytes: 1 << 20 }), /went on past the 1 MiB an answer may take: reading stopped, refused, not retried/);
    assert.equal(a.received.length, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(a.closedAfter !== undefined && a.closedAfter < total / 2, `the server wrote ${a.closedAfter} of ${total} bytes`);
  });

  it('an oversized answer ends an endpoint run with that error after one request', async () => {
    a.reset((_req, res) => res.end(completion('x'.repeat(300_000))));
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ft-endpoint-')), 'predictions.jsonl');
    const samples = [{ index: 0, messages: [{ role: 'user' as const, content: 'q' }], label: 'a' }];
    await assert.rejects(answerWithEndpoint(file, samples, { ...options(), concurrency: 1, maxResponseBytes: 100_000 }), /more than the 97\.7 KiB/);
    assert.equal(a.received.length, 1);
  });

  for (const status of [307, 308, 301, 302, 303]) {
    it(`refuses a ${status} to another origin: that server receives nothing, and nothing is retried`, async () => {
      a.reset(redirect(status, `${b.origin}/v1/chat/completions`));
      b.reset();
      await assert.rejects(ask(), (err: Error) => {
        assert.ok(err instanceof EndpointError);
        assert.equal(err.status, status);
        assert.ok(err.message.includes(`redirected (HTTP ${status}) to another origin, ${b.origin}/v1/chat/completions: not followed`), err.message);
        assert.ok(err.message.includes(`nothing is sent to ${b.origin}`) && err.message.includes(`(from ${a.origin})`), err.message);
        return true;
      });
      assert.equal(a.received.length, 1);
      assert.equal(b.received.length, 0);
    });
  }

  it('says so in Chinese for a Chinese user', async () => {
    a.reset(redirect(307, `${b.origin}/steal`));
    b.reset();
    await assert.rejects(ask({ locale: 'zh-cn' }), new RegExp(`重定向（HTTP 307）到了另一个源 ${b.origin}/steal：未跟随`));
    a.reset((_req, res) => res.end(completion('x'.repeat(5000))));
    await assert.rejects(ask({ locale: 'zh-cn', maxResponseBytes: 1000 }), /的回答大小为 4\.9 KiB，超过了单个回答的上限 1000 B：已拒绝，不会重试/);
    assert.equal(b.received.length, 0);
    for (const key of endpointMessageKeys()) {
      assert.notEqual(endpointMessage('zh-cn', key), endpointMessage('en', key), key);
      const placeholders = (t: string) => (t.match(/\{\w+\}/g) ?? []).sort().join();
      assert.equal(placeholders(endpointMessage('zh-cn', key)), placeholders(endpointMessage('en', key)), key);
    }
  });

  it('follows a same-origin 307 and 308 with the same POST and body', async () => {
    for (const status of [307, 308]) {
      a.reset((req, res, body) => {
        if (req.url === '/v1/chat/completions') return redirect(status, '/v2/chat/completions')(req, res, body);
        res.end(completion(`moved ${status}`));
      });
      assert.equal(await ask(), `moved ${status}`);
      assert.deepEqual(a.received.map((r) => [r.method, r.url]), [['POST', '/v1/chat/completions'], ['POST', '/v2/chat/completions']]);
      assert.equal(a.received[1]!.body, a.received[0]!.body);
      assert.match(a.received[1]!.body, /试题/);
    }
  });

  it('follows a same-origin 301, 302 and 303 as a GET without the body, as the Fetch standard says', async () => {
    for (const status of [301, 302, 303]) {
      a.reset((req, res, body) => {
        if (req.url === '/v1/chat/completions') return redirect(status, `${a.origin}/answer`)(req, res, body);
        res.end(completion(`got ${req.method}`));
      });
      assert.equal(await ask(), 'got GET');
      assert.deepEqual(a.received.map((r) => [r.method, r.url, r.body]), [['POST', '/v1/chat/completions', a.received[0]!.body], ['GET', '/answer', '']]);
    }
  });

  it('gives up after a few same-origin redirects instead of looping', async () => {
    a.reset(redirect(307, '/v1/chat/completions'));
    await assert.rejects(ask(), /redirected more than 5 times/);
    assert.equal(a.received.length, 6);
  });

  it('lists models only from the origin asked, and caps that list too', async () => {
    a.reset(redirect(302, `${b.origin}/v1/models`));
    b.reset((_req, res) => res.end(JSON.stringify({ data: [{ id: 'theirs' }] })));
    assert.equal(await listModels({ baseUrl: `${a.origin}/v1` }), undefined);
    assert.equal(b.received.length, 0);
    a.reset((_req, res) => res.end(JSON.stringify({ data: [{ id: 'x'.repeat(5000) }] })));
    assert.equal(await listModels({ baseUrl: `${a.origin}/v1`, maxResponseBytes: 1000 }), undefined);
    assert.deepEqual(await listModels({ baseUrl: `${a.origin}/v1` }), ['x'.repeat(5000)]);
  });
});
