// Near duplicates (FT041) and conflicting answers (FT042) with tools: declared tools, `tool_calls` and the legacy
// `function_call` are part of a sample, compared as written; exact duplicates (FT040) say how many copies there are.
// Fixture: test/fixtures/datasets/tool-duplicates.jsonl (one line per case, numbered in the tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { IncrementalLinter } from '../../../src/core/dataset/checks/incremental';
import { assistant, chat, codes, good, lint, user } from './helpers';

const text = readFileSync('test/fixtures/datasets/tool-duplicates.jsonl', 'utf8');
const found = (r: ReturnType<typeof lintText>) => codes(r).filter((c) => !c.startsWith('FT050'));

describe('duplicates of samples with tools', () => {
  const result = lintText(text);

  it('a sample that differs only in its tool schema (line 2) is not a near duplicate', () => {
    assert.ok(!found(result).some((c) => c.endsWith('@2')), found(result).join(' '));
  });

  it('a call whose arguments differ only in letter case (line 3) is another answer to the same prompt, not the same text', () => {
    assert.ok(found(result).includes('FT042@3'));
    assert.ok(!found(result).includes('FT041@3'));
  });

  it('the same schema written with its keys in another order (line 4) is the same sample, written differently', () => {
    assert.ok(found(result).includes('FT041@4'));
    assert.match(result.diagnostics.find((d) => d.code === 'FT041')!.message, /Same sample as line 1 apart from spacing, letter case or the order of keys/);
  });

  it('the legacy function_call counts too: other arguments (line 6) are another answer', () => {
    assert.ok(found(result).includes('FT042@6'));
  });

  it('exact copies (lines 7, 8 of line 1): three copies, trained three times as often', () => {
    assert.deepEqual(found(result), ['FT042@3', 'FT041@4', 'FT042@6', 'FT040@7', 'FT040@8']);
    for (const d of result.diagnostics.filter((x) => x.code === 'FT040')) {
      assert.match(d.message, /the file holds 3 copies of this sample, so it is trained 3 times as often/);
    }
    const zh = lintText(text, { locale: 'zh-cn' }).diagnostics.find((d) => d.code === 'FT040')!;
    assert.match(zh.message, /共有 3 份，训练次数是其他样本的 3 倍/);
  });

  it('the editor\'s incremental linter says the same, also after a copy is deleted', () => {
    const inc = new IncrementalLinter();
    assert.deepEqual(inc.update(text), result);
    const lines = text.split('\n');
    const fewer = [...lines.slice(0, 7), ...lines.slice(8)].join('\n');
    const after = inc.update(fewer);
    assert.deepEqual(after, lintText(fewer));
    assert.match(after.diagnostics.find((d) => d.code === 'FT040')!.message, /2 copies of this sample, so it is trained twice as often/);
  });
});

describe('duplicates of ShareGPT samples with tools', () => {
  const tools = (extra = '') => JSON.stringify([{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]).replace('"Weather"', `"Weather${extra}"`);
  const sample = (toolsColumn: string, args: string) => JSON.stringify({
    conversations: [
      { from: 'human', value: 'Weather in Paris?' },
      { from: 'function_call', value: JSON.stringify({ name: 'get_weather', arguments: { city: args } }) },
      { from: 'observation', value: '{"temp": 21}' },
      { from: 'gpt', value: 'It is 21 degrees.' },
    ],
    tools: toolsColumn,
  });

  it('a tools column that differs only in a description is another sample', () => {
    assert.deepEqual(found(lint([sample(tools(), 'Paris'), sample(tools(' now'), 'Paris')])), []);
  });

  it('a function_call turn whose arguments differ only in case is another sample', () => {
    assert.deepEqual(found(lint([sample(tools(), 'Paris'), sample(tools(), 'PARIS')])), []);
  });

  it('the same sample with its text spaced differently is still a near duplicate', () => {
    const spaced = sample(tools(), 'Paris').replace('It is 21 degrees.', 'It is  21 degrees. ');
    assert.deepEqual(found(lint([sample(tools(), 'Paris'), spaced])), ['FT041@2']);
  });
});

describe('FT040 copy counts', () => {
  it('two copies: twice; the count covers copies past the diagnostics cap', () => {
    assert.match(lint([good(1), good(1)]).diagnostics.find((d) => d.code === 'FT040')!.message, /2 copies of this sample, so it is trained twice as often/);
    const five = Array.from({ length: 5 }, () => good(1));
    const capped = lint(five, { maxDiagnostics: 2 });
    const kept = capped.diagnostics.filter((d) => d.code === 'FT040');
    assert.ok(kept.length >= 1 && capped.omitted > 0);
    for (const d of kept) assert.match(d.message, /5 copies of this sample, so it is trained 5 times as often/);
  });

  it('near copies are not counted as exact ones', () => {
    const a = chat(user('q'), assistant('a'));
    const spaced = JSON.stringify({ messages: [user('q '), assistant('a')] });
    const r = lint([a, spaced, a]);
    assert.deepEqual(found(r), ['FT041@2', 'FT040@3']);
    assert.match(r.diagnostics.find((d) => d.code === 'FT040')!.message, /2 copies/);
  });
});
