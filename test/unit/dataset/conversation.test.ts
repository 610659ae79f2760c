// FT020-FT028: roles, empty content, an answer to learn from, role order, weights.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assistant, chat, codesOf, lint, only, spanText, system, user } from './helpers';

const sharegpt = (...turns: [string, string][]) => JSON.stringify({ conversations: turns.map(([from, value]) => ({ from, value })) });

describe('FT020 roles', () => {
  const suggestions: [string, string][] = [
    ['assitant', 'assistant'], ['asistant', 'assistant'], ['Assistant', 'assistant'], ['usr', 'user'], ['sytem', 'system'],
    ['bot', 'assistant'], ['gpt', 'assistant'], ['human', 'user'], ['model', 'assistant'], ['observation', 'tool'],
  ];
  for (const [wrong, right] of suggestions) {
    it(`OpenAI: "${wrong}" → "${right}", pointing at the role value`, () => {
      const line = chat(user(), { role: wrong, content: 'x' });
      const d = only(lint([line]), 'FT020');
      assert.equal(spanText(line, d), JSON.stringify(wrong));
      assert.match(d.message, new RegExp(`did you mean "${right}"`));
      assert.equal(d.fix?.edits[0]?.newText, JSON.stringify(right));
    });
  }

  it('ShareGPT: "gtp" → "gpt", "assistant" → "gpt", "user" → "human"', () => {
    const cases: [string, string, string][] = [
      ['gtp', 'gpt', sharegpt(['human', 'q'], ['gtp', 'a'])],
      ['assistant', 'gpt', sharegpt(['human', 'q'], ['assistant', 'a'])],
      ['user', 'human', sharegpt(['user', 'q'], ['gpt', 'a'])],
      ['humna', 'human', sharegpt(['humna', 'q'], ['gpt', 'a'])],
    ];
    for (const [wrong, right, line] of cases) {
      const d = only(lint([line]), 'FT020');
      assert.equal(d.fix?.edits[0]?.newText, JSON.stringify(right), wrong);
    }
  });

  it('an unknown role with nothing close gets no fix, and lists the valid roles', () => {
    const d = only(lint([chat(user(), { role: 'narrator', content: 'x' }, assistant())]), 'FT020');
    assert.equal(d.fix, undefined);
    assert.match(d.message, /roles are system, developer, user, assistant, tool, function/);
  });

  it('no FT020 for valid roles', () => {
    assert.deepEqual(codesOf(chat(system(), { role: 'developer', content: 'd' }, user(), assistant())), []);
  });
});

describe('FT021 empty content', () => {
  it('warns at an empty or blank content', () => {
    const line = chat(user('  '), assistant());
    const d = only(lint([line]), 'FT021');
    assert.equal(spanText(line, d), '"  "');
    assert.deepEqual(codesOf(JSON.stringify({ text: '' })), ['FT021']);
    assert.deepEqual(codesOf(JSON.stringify({ instruction: '', input: '', output: 'a' })), ['FT021']);
    assert.deepEqual(codesOf(sharegpt(['human', ''], ['gpt', 'a'])), ['FT021']);
  });

  it('allows no content beside tool calls', () => {
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] };
    assert.deepEqual(codesOf(JSON.stringify({ tools: [{ type: 'function', function: { name: 'f' } }], messages: [user(), call] })), []);
  });
});

describe('FT022 an answer to learn from', () => {
  it('no assistant message', () => {
    assert.match(only(lint([chat(system(), user())]), 'FT022').message, /No assistant answer/);
    assert.deepEqual(codesOf(JSON.stringify({ messages: [] })), ['FT022']);
    assert.deepEqual(codesOf(sharegpt(['human', 'q'])), ['FT022', 'FT023']);
  });

  it('empty answers, and every weight 0', () => {
    assert.match(only(lint([chat(user(), assistant(''))]), 'FT022').message, /empty/);
    assert.match(only(lint([chat(user(), { ...assistant(), weight: 0 })]), 'FT022').message, /weight 0/);
    assert.deepEqual(codesOf(JSON.stringify({ instruction: 'q', output: ' ' })), ['FT022']);
    assert.deepEqual(codesOf(JSON.stringify({ prompt: 'q', completion: '' })), ['FT022']);
  });

  it('points at the messages key', () => {
    const line = chat(user());
    assert.equal(spanText(line, only(lint([line]), 'FT022')), '"messages"');
  });

  it('is satisfied by one learnable answer', () => {
    assert.deepEqual(codesOf(chat(user(), { ...assistant(), weight: 0 }, user('再问'), assistant())), []);
  });
});

describe('role order (OpenAI)', () => {
  it('FT024 two user messages in a row; conversation starting with the assistant', () => {
    assert.deepEqual(codesOf(chat(user(), user('又问'), assistant())), ['FT024']);
    assert.deepEqual(codesOf(chat(system(), assistant(), user(), assistant())), ['FT024']);
  });

  it('FT025 last message not from the assistant', () => {
    assert.deepEqual(codesOf(chat(user(), assistant(), user('还有呢？'))), ['FT025']);
  });

  it('FT026 system message not first', () => {
    const line = chat(user(), system(), assistant());
    const d = only(lint([line]), 'FT026');
    assert.equal(spanText(line, d), '"system"');
  });

  it('FT023 a tool message that follows no tool call', () => {
    assert.deepEqual(codesOf(chat(user(), { role: 'tool', tool_call_id: 'x', content: 'r' }, assistant())), ['FT023']);
  });

  it('accepts system, then alternating turns, with tool results after calls', () => {
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] };
    const line = JSON.stringify({
      tools: [{ type: 'function', function: { name: 'f' } }],
      messages: [system(), user(), call, { role: 'tool', tool_call_id: 'c1', content: 'r' }, assistant(), user('再问'), assistant()],
    });
    assert.deepEqual(codesOf(line), []);
  });
});

describe('role order (ShareGPT, LLaMA-Factory\'s rule)', () => {
  it('FT023 a user-side turn at an even position', () => {
    const d = only(lint([sharegpt(['human', 'q'], ['human', 'q2'])]), 'FT023');
    assert.match(d.message, /Turn 2 is "human" but LLaMA-Factory expects gpt \/ function_call there/);
  });

  it('FT023 an odd number of turns', () => {
    assert.match(only(lint([sharegpt(['human', 'q'], ['gpt', 'a'], ['human', 'q2'])]), 'FT023').message, /3 turns/);
  });

  it('FT023 a system turn after the first', () => {
    assert.match(only(lint([sharegpt(['human', 'q'], ['system', 's'], ['gpt', 'a'])]), 'FT023').message, /system turn may only come first/);
  });

  it('FT035 an observation without a function call before it', () => {
    assert.deepEqual(codesOf(sharegpt(['human', 'q'], ['gpt', 'a'], ['observation', 'r'], ['gpt', 'b'])), ['FT035']);
  });

  it('accepts system first, then human/gpt pairs and function_call/observation pairs', () => {
    const tools = JSON.stringify([{ name: 'find_clinic', parameters: {} }]);
    const line = JSON.stringify({
      tools,
      conversations: [
        { from: 'system', value: 's' }, { from: 'human', value: 'q' },
        { from: 'function_call', value: '{"name":"find_clinic","arguments":{"city":"扬州"}}' },
        { from: 'observation', value: '{"clinic":"回春堂"}' }, { from: 'gpt', value: 'a' },
      ],
    });
    assert.deepEqual(codesOf(line), []);
  });
});

describe('FT027 / FT028 weight', () => {
  it('FT027 when not 0 or 1', () => {
    for (const weight of [2, 0.5, '1', true, null]) {
      const line = chat(user(), { ...assistant(), weight });
      const d = only(lint([line]), 'FT027');
      assert.equal(spanText(line, d), JSON.stringify(weight));
    }
  });

  it('FT028 on a non-assistant message', () => {
    const line = chat({ ...user(), weight: 1 }, assistant());
    assert.equal(spanText(line, only(lint([line]), 'FT028')), '"weight"');
  });

  it('accepts 0 and 1 on assistant messages', () => {
    assert.deepEqual(codesOf(chat(user(), { ...assistant(), weight: 0 }, user('2'), { ...assistant('b'), weight: 1 })), []);
  });
});
