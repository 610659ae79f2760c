// The trial chat's session without VS Code: models answering side by side (fake engines, and two endpoint engines
// against a local streaming server), stop, regenerate, edit-and-continue, failures, and what is persisted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatSession, type SessionOutput } from '../../../src/features/chat/session';
import { EndpointEngine } from '../../../src/inference/endpointEngine';
import type { ChatEngine, ChatMessage, GenerateParams, GenerateResult } from '../../../src/inference/engine';
import type { ChatModelInfo, ChatState } from '../../../src/shared/protocol/chat';

/** Answers "<name>: <last user message>" in two pieces; `hold` keeps it streaming until aborted. */
class FakeEngine implements ChatEngine {
  asked: ChatMessage[][] = [];
  params: GenerateParams[] = [];
  disposed = false;
  constructor(readonly label: string, private readonly behaviour: 'answer' | 'hold' | 'fail' = 'answer') {}
  async generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, signal?: AbortSignal): Promise<GenerateResult> {
    this.asked.push([...messages]);
    this.params.push(params);
    if (this.behaviour === 'fail') throw new Error('HTTP 500 from the server');
    const text = `${this.label}: ${messages.at(-1)!.content}`;
    onText(text.slice(0, 3));
    if (this.behaviour === 'hold') {
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      return { text: text.slice(0, 3), finishReason: 'cancelled', timeToFirstTokenMs: 1, tokensPerSecond: 0 };
    }
    onText(text.slice(3));
    return { text, finishReason: 'stop', timeToFirstTokenMs: 5, tokensPerSecond: 42 };
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function recorder() {
  const states: ChatState[] = [];
  const pieces: string[] = [];
  const persisted: { id: string; content: string }[] = [];
  const out: SessionOutput = {
    state: (s) => states.push(structuredClone(s)),
    piece: (turn, model, text) => pieces.push(`${turn}/${model}/${text}`),
    persist: async (id, content) => { persisted.push({ id, content }); },
    describe: (err) => (err as Error).message,
  };
  return { out, states, pieces, persisted, last: () => states.at(-1)! };
}

const info = (id: string, label = id): ChatModelInfo => ({ id, label, kind: 'endpoint', canRender: false });

describe('chat session', () => {
  it('every model answers each message with its own thread; the conversation file gets a line per model', async () => {
    const r = recorder();
    const session = new ChatSession(r.out);
    const a = new FakeEngine('A');
    const b = new FakeEngine('B');
    session.addModel(info('a', 'A'), a);
    session.addModel(info('b', 'B'), b);
    session.setSystem('Be brief.');
    session.setParams({ temperature: 0, topP: 0.9, maxTokens: 32, stop: ['###'] });
    await session.send('hi');
    await session.send('again');
    assert.deepEqual(b.asked[1], [
      { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'B: hi' }, { role: 'user', content: 'again' },
    ]);
    assert.deepEqual(a.params[0], { maxTokens: 32, temperature: 0, topP: 0.9, stop: ['###'] });
    assert.ok(r.pieces.includes('1/a/A: ') && r.pieces.includes('1/b/again'), r.pieces.join());
    const state = r.last();
    assert.equal(state.busy, false);
    assert.deepEqual(state.turns[1]!.answers['a'], { text: 'A: again', status: 'done', timeToFirstTokenMs: 5, tokensPerSecond: 42 });
    const lines = r.persisted.at(-1)!.content.trimEnd().split('\n').map((l) => JSON.parse(l) as { model: string; messages: ChatMessage[] });
    assert.deepEqual(lines.map((l) => [l.model, l.messages.length]), [['A', 5], ['B', 5]]);
    assert.equal(r.persisted.length, 2, 'written after each round');
    assert.equal(new Set(r.persisted.map((p) => p.id)).size, 1, 'one conversation, one file');
  });

  it('stop ends every answer at once; regenerate answers the last message again; edit drops what followed', async () => {
    const r = recorder();
    const session = new ChatSession(r.out);
    const held = new FakeEngine('H', 'hold');
    const quick = new FakeEngine('Q');
    session.addModel(info('h'), held);
    session.addModel(info('q'), quick);
    const round = session.send('one');
    assert.equal(session.state.busy, true);
    assert.equal(session.send('ignored while busy') instanceof Promise, true);
    session.stop();
    await round;
    assert.equal(r.last().turns.length, 1);
    assert.equal(r.last().turns[0]!.answers['h']!.status, 'cancelled');
    assert.equal(r.last().turns[0]!.answers['q']!.status, 'done');

    await session.removeModel('h');
    assert.equal(held.disposed, true);
    await session.send('two');
    await session.regenerate();
    assert.equal(quick.asked.length, 3);
    assert.deepEqual(quick.asked[2], quick.asked[1], 'regenerate asks the same');
    await session.editTurn(0, 'zero');
    const state = r.last();
    assert.deepEqual(state.turns.map((t) => t.user), ['zero']);
    assert.equal(state.turns[0]!.answers['q']!.text, 'Q: zero');
    assert.deepEqual(quick.asked.at(-1), [{ role: 'user', content: 'zero' }]);
  });

  it('a failing model says why in its own column while the others answer', async () => {
    const r = recorder();
    const session = new ChatSession(r.out);
    session.addModel(info('bad'), new FakeEngine('X', 'fail'));
    session.addModel(info('good'), new FakeEngine('G'));
    await session.send('q');
    const answers = r.last().turns[0]!.answers;
    assert.deepEqual(answers['bad'], { text: '', status: 'failed', error: 'HTTP 500 from the server' });
    assert.equal(answers['good']!.status, 'done');
    assert.equal(session.sampleOf('bad'), undefined);
    assert.deepEqual(session.sampleOf('good'), [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'G: q' }]);
  });

  it('takes at most 4 models, each id once; clear starts a new conversation with the same models', async () => {
    const r = recorder();
    const session = new ChatSession(r.out);
    const engines = [1, 2, 3, 4, 5].map((i) => new FakeEngine(`E${i}`));
    const added = engines.map((e, i) => session.addModel(info(`m${i}`), e));
    assert.deepEqual(added, [true, true, true, true, false]);
    assert.equal(engines[4]!.disposed, true, 'a refused engine is disposed');
    assert.equal(session.addModel(info('m0'), new FakeEngine('dup')), false);
    await session.send('x');
    const before = session.state.conversationId;
    session.clear();
    assert.notEqual(session.state.conversationId, before);
    assert.deepEqual(session.state.turns, []);
    assert.equal(session.state.models.length, 4);
    await session.dispose();
    assert.ok(engines.slice(0, 4).every((e) => e.disposed));
  });
});

describe('chat session with two endpoints side by side', () => {
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text) as { model: string; messages: ChatMessage[] };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = [`[${body.model}] `, '<b>bold</b>', ` ${body.messages.at(-1)!.content}`];
      for (const p of pieces) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: p } }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  let baseUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  it('both answers stream in, each with its timing', async () => {
    const r = recorder();
    const session = new ChatSession(r.out);
    session.addModel(info('a'), new EndpointEngine({ baseUrl, model: 'base' }));
    session.addModel(info('b'), new EndpointEngine({ baseUrl, model: 'tuned' }));
    await session.send('你好');
    const answers = r.last().turns[0]!.answers;
    assert.equal(answers['a']!.text, '[base] <b>bold</b> 你好');
    assert.equal(answers['b']!.text, '[tuned] <b>bold</b> 你好');
    for (const a of Object.values(answers)) {
      assert.equal(a.status, 'done');
      assert.ok(a.timeToFirstTokenMs! >= 0 && a.tokensPerSecond! >= 0);
    }
    assert.equal(r.pieces.filter((p) => p.startsWith('0/a/')).length, 3);
    await session.dispose();
  });
});
