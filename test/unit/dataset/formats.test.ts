// Format detection per sample and per file (FT010, FT011), keys (FT012-FT015), dataset_info.json.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assistant, chat, codesOf, good, lint, only, spanText, user, type Msg } from './helpers';

const sharegpt = (turns: [string, string][], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ conversations: turns.map(([from, value]) => ({ from, value })), ...extra });
const alpaca = (fields: Record<string, unknown>) => JSON.stringify({ instruction: '头痛怎么办', input: '', output: '先歇息。', ...fields });

describe('format detection', () => {
  it('tells each format apart, per file', () => {
    assert.equal(lint([good()]).format, 'openai');
    assert.equal(lint([sharegpt([['human', 'q'], ['gpt', 'a']])]).format, 'sharegpt');
    assert.equal(lint([alpaca({})]).format, 'alpaca');
    assert.equal(lint([JSON.stringify({ prompt: 'q', completion: 'a' })]).format, 'prompt_completion');
    assert.equal(lint([JSON.stringify({ text: '江湖' })]).format, 'text');
    assert.equal(lint([]).format, 'unknown');
  });

  it('accepts each format when valid', () => {
    for (const line of [good(), sharegpt([['system', 's'], ['human', 'q'], ['gpt', 'a']]), alpaca({ system: 's', history: [['q0', 'a0']] }),
      JSON.stringify({ prompt: 'q', completion: 'a' }), JSON.stringify({ prompt: [user()], completion: [assistant()] }), JSON.stringify({ text: 'x' })]) {
      assert.deepEqual(codesOf(line), [], line);
    }
  });

  it('FT010 for a sample of no known format', () => {
    const d = only(lint([JSON.stringify({ question: 'q', reply: 'a' })]), 'FT010');
    assert.match(d.message, /"question", "reply"/);
    assert.equal(lint([JSON.stringify({ question: 'q' })]).format, 'unknown');
  });

  it('FT011 on the first sample of each minority format, and `mixed` as the verdict', () => {
    const r = lint([good(1), good(2), alpaca({}), good(3), alpaca({ output: 'b' }), JSON.stringify({ text: 't' })]);
    assert.equal(r.format, 'mixed');
    const mixed = r.diagnostics.filter((d) => d.code === 'FT011');
    assert.deepEqual(mixed.map((d) => d.span.line), [2, 5]);
    assert.match(mixed[0]!.message, /Alpaca format \(2 samples\), but most of the file is OpenAI messages \(3\)/);
  });

  it('no FT011 when one format is used throughout', () => {
    assert.equal(lint([good(1), good(2)]).diagnostics.filter((d) => d.code === 'FT011').length, 0);
  });
});

describe('keys', () => {
  it('FT012 for a misspelt optional key, with the key as the span and a rename fix', () => {
    const line = JSON.stringify({ messages: [user(), assistant()], tols: [] });
    const d = only(lint([line]), 'FT012');
    assert.equal(spanText(line, d), '"tols"');
    assert.match(d.message, /did you mean "tools"/);
    assert.equal(d.fix?.kind, 'rename-key');
  });

  it('FT014 for a missing required key, naming a misspelt one instead of FT012', () => {
    const line = JSON.stringify({ mesages: [user(), assistant()] });
    assert.deepEqual(codesOf(line), ['FT014']);
    assert.match(only(lint([line]), 'FT014').message, /Missing "messages": "mesages"/);
    assert.deepEqual(codesOf(chat({ content: 'x' }, assistant())), ['FT014']);
    assert.deepEqual(codesOf(JSON.stringify({ instruction: 'q' })), ['FT014']);
  });

  it('FT014 explains role/content in a ShareGPT turn', () => {
    const line = JSON.stringify({ conversations: [{ role: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] });
    assert.match(only(lint([line]), 'FT014').message, /Missing "from": "role"/);
  });

  it('FT013 for wrong types', () => {
    assert.deepEqual(codesOf(JSON.stringify({ messages: 'hi' })), ['FT013']);
    assert.deepEqual(codesOf(chat(user(), assistant(37.3))), ['FT013']);
    assert.deepEqual(codesOf(chat(user(), { role: 7, content: 'a' })), ['FT022', 'FT013']);
    assert.deepEqual(codesOf(chat('hello' as unknown as Msg, assistant())), ['FT013']);
    assert.deepEqual(codesOf(alpaca({ history: 'q' })), ['FT013']);
    assert.deepEqual(codesOf(alpaca({ history: [['q']] })), ['FT013']);
    assert.deepEqual(codesOf(alpaca({ output: 3 })), ['FT013']);
    assert.deepEqual(codesOf(JSON.stringify({ text: ['a'] })), ['FT013']);
    assert.deepEqual(codesOf(sharegpt([['human', 'q'], ['gpt', 'a']], { system: 1 })), ['FT013']);
  });

  it('FT015 hints at keys no loader reads, and not at known ones', () => {
    const line = JSON.stringify({ id: 'a1', messages: [user(), assistant()] });
    const d = only(lint([line]), 'FT015');
    assert.equal(d.severity, 'hint');
    assert.equal(spanText(line, d), '"id"');
    assert.deepEqual(codesOf(JSON.stringify({ messages: [user(), assistant()], tools: [], parallel_tool_calls: false })), []);
  });

  it('treats __proto__ and constructor keys as plain unknown keys', () => {
    const line = '{"__proto__":{"polluted":true},"constructor":1,"messages":[{"role":"constructor","content":"q"},{"role":"assistant","content":"a"}]}';
    const r = lint([line]);
    assert.deepEqual(r.diagnostics.map((d) => d.code).filter((c) => c !== 'FT050'), ['FT015', 'FT015', 'FT020']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('dataset_info.json', () => {
  const info = {
    wuxia: {
      file_name: 'data/wuxia.jsonl', formatting: 'sharegpt',
      columns: { messages: 'messages', system: 'sys' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    },
    qa: { file_name: 'qa.jsonl', columns: { prompt: 'question', response: 'answer' } },
  };

  it('reads columns and tags: an OpenAI-looking file checked as LLaMA-Factory will read it', () => {
    const options = { datasetInfo: info, fileName: 'wuxia.jsonl' };
    const ok = JSON.stringify({ sys: '你是郎中', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] });
    const r = lint([ok], options);
    assert.equal(r.format, 'sharegpt');
    assert.deepEqual(codesOf(ok, options), []);
    const odd = JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'q2' }] });
    assert.match(only(lint([odd], options), 'FT023').message, /3 turns: LLaMA-Factory needs an even number ending with "assistant"/);
    assert.deepEqual(codesOf(JSON.stringify({ messages: [{ role: 'human', content: 'q' }, { role: 'assistant', content: 'a' }] }), options), ['FT020']);
  });

  it('reads alpaca column names, and leaves unmapped optional columns unused', () => {
    const options = { datasetInfo: info, fileName: 'qa.jsonl' };
    assert.deepEqual(codesOf(JSON.stringify({ question: 'q', answer: 'a' }), options), []);
    assert.deepEqual(codesOf(JSON.stringify({ question: 'q', answer: 'a', system: 's' }), options), ['FT015']);
    assert.deepEqual(codesOf(JSON.stringify({ question: 'q', answer: '' }), options), ['FT022']);
  });

  it('falls back to detection when the file has no entry', () => {
    assert.equal(lint([good()], { datasetInfo: info, fileName: 'other.jsonl' }).format, 'openai');
  });
});
