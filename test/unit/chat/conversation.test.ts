// The trial chat's conversation: what each model is asked, the file it is kept in (the dataset's OpenAI format,
// which the dataset checker accepts), and the messages between host and page (both directions round-trip).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conversationFile, messagesFor, newConversationId, sampleLine, sampleMessages, separatorBefore } from '../../../src/core/chat/conversation';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { ChatHostMessage, ChatWebviewMessage, DEFAULT_CHAT_PARAMS, type ChatState, type ChatTurn } from '../../../src/shared/protocol/chat';

const turns: ChatTurn[] = [
  { user: '头痛怎么办？', answers: { a: { text: '多喝热水。', status: 'done' }, b: { text: '', status: 'failed', error: 'HTTP 500' } } },
  { user: 'And then?', answers: { a: { text: 'Rest <b>well</b>.', status: 'length' }, b: { text: 'See a doctor.', status: 'done' } } },
];

describe('chat conversation', () => {
  it('asks each model with its own answers to the earlier turns, leaving out turns it has no answer to', () => {
    assert.deepEqual(messagesFor('You are a doctor.', turns, 'a', 1), [
      { role: 'system', content: 'You are a doctor.' },
      { role: 'user', content: '头痛怎么办？' },
      { role: 'assistant', content: '多喝热水。' },
      { role: 'user', content: 'And then?' },
    ]);
    // b failed the first turn: its thread skips it, so user and assistant still alternate.
    assert.deepEqual(messagesFor('', turns, 'b', 1), [{ role: 'user', content: 'And then?' }]);
  });

  it('keeps one dataset line per model that answered; the checker finds nothing wrong with them', () => {
    const file = conversationFile('You are a doctor.', turns, [{ id: 'a', label: 'qwen · server' }, { id: 'b', label: 'base' }, { id: 'c', label: 'silent' }]);
    const lines = file.trimEnd().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[]; model: string });
    assert.deepEqual(lines.map((l) => l.model), ['qwen · server', 'base']);
    assert.equal(lines[0]!.messages.at(-1)!.content, 'Rest <b>well</b>.');
    assert.deepEqual(lines[1]!.messages.map((m) => m.role), ['system', 'user', 'assistant']);
    const sample = sampleLine(sampleMessages('You are a doctor.', turns, 'a')!);
    const result = lintText(sample + sampleLine(sampleMessages('', turns, 'b')!));
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), []);
    assert.equal(sampleMessages('', turns, 'c'), undefined);
  });

  it('starts an appended sample on its own line', () => {
    assert.equal(separatorBefore(undefined), '');
    assert.equal(separatorBefore(0x0a), '');
    assert.equal(separatorBefore('}'.charCodeAt(0)), '\n');
  });

  it('names conversations by time, safe as file names', () => {
    const id = newConversationId(new Date('2026-12-07T06:51:53.123Z'), () => 0.5);
    assert.match(id, /^2026-12-07T065153-[0-9a-z]{4}$/);
  });
});

describe('chat protocol', () => {
  const state: ChatState = {
    conversationId: 'x', system: '', params: DEFAULT_CHAT_PARAMS, busy: true, file: '.finetune/chats/x.jsonl',
    models: [{ id: 'a', label: 'A', kind: 'endpoint', canRender: false }, { id: 'b', label: 'B', kind: 'local', canRender: true, templateWarning: 'abc ≠ def' }],
    turns: [{ user: '<script>', answers: { a: { text: '<img onerror=x>', status: 'streaming', timeToFirstTokenMs: 12 } } }],
  };

  it('round-trips every host message through structured clone', () => {
    const messages: ChatHostMessage[] = [
      { type: 'strings', strings: { title: '试用模型' } },
      { type: 'state', state },
      { type: 'piece', turn: 0, model: 'a', text: '片' },
      { type: 'prompt', model: 'b', label: 'B', text: '<|im_start|>user', tokens: 5 },
      { type: 'error', message: 'no' },
    ];
    for (const m of messages) assert.deepEqual(ChatHostMessage.parse(structuredClone(m)), m);
  });

  it('round-trips the page\'s messages and refuses bad ones', () => {
    const messages: ChatWebviewMessage[] = [
      { type: 'ready' }, { type: 'send', text: 'hi' }, { type: 'stop' }, { type: 'regenerate' }, { type: 'editTurn', turn: 0, text: 'x' },
      { type: 'clear' }, { type: 'setSystem', text: '' }, { type: 'setParams', params: { temperature: 0, topP: 0.5, maxTokens: 8, stop: ['###'] } },
      { type: 'showPrompt', model: 'a' }, { type: 'saveSample', model: 'a' }, { type: 'addModel' }, { type: 'removeModel', model: 'a' },
    ];
    for (const m of messages) assert.deepEqual(ChatWebviewMessage.parse(structuredClone(m)), m);
    assert.equal(ChatWebviewMessage.safeParse({ type: 'send', text: '' }).success, false);
    assert.equal(ChatWebviewMessage.safeParse({ type: 'setParams', params: { ...DEFAULT_CHAT_PARAMS, temperature: -1 } }).success, false);
    assert.equal(ChatWebviewMessage.safeParse({ type: 'setParams', params: { ...DEFAULT_CHAT_PARAMS, maxTokens: 1.5 } }).success, false);
    assert.equal(ChatWebviewMessage.safeParse({ type: 'editTurn', turn: -1, text: 'x' }).success, false);
    assert.equal(ChatHostMessage.safeParse({ type: 'state', state: { ...state, models: [...state.models, ...state.models, ...state.models] } }).success, false);
  });
});
