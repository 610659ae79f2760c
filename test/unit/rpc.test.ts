import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { RpcPeer, type Port } from '../../src/shared/rpc';

/** Two ports wired back to back, delivering asynchronously like postMessage does. */
function pipe(): [Port, Port] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const port = (mine: 0 | 1): Port => ({
    post: (m) => { const copy = structuredClone(m); setImmediate(() => listeners[1 - mine]!.forEach((cb) => cb(copy))); },
    listen: (cb) => { listeners[mine].add(cb); return { dispose: () => listeners[mine].delete(cb) }; },
  });
  return [port(0), port(1)];
}

const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add'), a: z.number(), b: z.number() }),
  z.object({ type: z.literal('fail') }),
  z.object({ type: z.literal('note'), text: z.string() }),
]);
type Request = z.infer<typeof Request>;

function setup() {
  const [a, b] = pipe();
  const notes: string[] = [];
  const invalid: string[] = [];
  const server = new RpcPeer<Request, never>(b, Request, (m) => {
    switch (m.type) {
      case 'add': return m.a + m.b;
      case 'fail': throw new Error('it failed on purpose');
      case 'note': notes.push(m.text); return undefined;
    }
  }, (p) => invalid.push(p));
  const client = new RpcPeer<never, Request | { type: 'bogus' }>(a, z.never(), () => undefined);
  return { server, client, notes, invalid };
}

describe('RpcPeer', () => {
  it('answers a request with the handler result, validated by the reply schema', async () => {
    const { client } = setup();
    assert.equal(await client.request({ type: 'add', a: 2, b: 3 }, z.number()), 5);
  });

  it('turns a thrown error into a rejected request', async () => {
    const { client } = setup();
    await assert.rejects(client.request({ type: 'fail' }, z.unknown()), /it failed on purpose/);
  });

  it('rejects a reply that does not match the expected schema', async () => {
    const { client } = setup();
    await assert.rejects(client.request({ type: 'add', a: 1, b: 1 }, z.string()), /invalid reply/);
  });

  it('drops and reports an incoming message that fails validation, and says so to a requester', async () => {
    const { client, invalid, notes } = setup();
    client.notify({ type: 'bogus' });
    await assert.rejects(client.request({ type: 'bogus' }, z.unknown()), /invalid message/);
    assert.equal(invalid.length, 2);
    assert.deepEqual(notes, []);
  });

  it('delivers events without replies, and fails pending requests when disposed', async () => {
    const { client, notes } = setup();
    client.notify({ type: 'note', text: '<img src=x onerror=alert(1)>' });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(notes, ['<img src=x onerror=alert(1)>']);
    const [a] = pipe();
    const lonely = new RpcPeer<never, Request>(a, z.never(), () => undefined);
    const pending = lonely.request({ type: 'add', a: 1, b: 2 }, z.number());
    lonely.dispose();
    await assert.rejects(pending, /connection closed/);
  });

  it('times out a request nobody answers', async () => {
    const [a] = pipe();
    const lonely = new RpcPeer<never, Request>(a, z.never(), () => undefined);
    await assert.rejects(lonely.request({ type: 'add', a: 1, b: 2 }, z.number(), 20), /timed out/);
  });
});
