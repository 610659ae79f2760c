// FT030-FT035: tool-call consistency.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assistant, codesOf, lint, only, spanText, user, type Msg } from './helpers';

const tools = (...names: string[]) => names.map((name) => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));
const call = (id: string, name: string, args: unknown = '{"city":"扬州"}'): Msg => ({ id, type: 'function', function: { name, arguments: args } });
const calling = (...calls: Msg[]): Msg => ({ role: 'assistant', content: null, tool_calls: calls });
const result = (id: string, content = '{"clinic":"回春堂"}'): Msg => ({ role: 'tool', tool_call_id: id, content });
/** A sample declaring `declared` as its tools (none with null). */
const sample = (messages: Msg[], declared: unknown = tools('find_clinic')) =>
  JSON.stringify(declared === null ? { messages } : { tools: declared, messages });

describe('FT030 arguments', () => {
  it('reports arguments that are not JSON, at the arguments', () => {
    const line = sample([user(), calling(call('c1', 'find_clinic', "{'city': '扬州'}")), result('c1'), assistant()]);
    const d = only(lint([line]), 'FT030');
    assert.equal(spanText(line, d), JSON.stringify("{'city': '扬州'}"));
    assert.match(d.message, /arguments of "find_clinic" are not valid JSON \(error at character 2/);
  });

  it('reports arguments that are JSON but not an object', () => {
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic', '[1]')), result('c1'), assistant()])), ['FT030']);
  });

  it('accepts a JSON string or an object', () => {
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic')), result('c1'), assistant()])), []);
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic', { city: '扬州' })), result('c1'), assistant()])), []);
  });

  it('reports a ShareGPT function_call turn that is not JSON, and a tools string that is not JSON', () => {
    const turns = [{ from: 'human', value: 'q' }, { from: 'function_call', value: 'find_clinic(扬州)' }, { from: 'observation', value: 'r' }, { from: 'gpt', value: 'a' }];
    assert.deepEqual(codesOf(JSON.stringify({ tools: '[{"name":"find_clinic"}]', conversations: turns })), ['FT030']);
    const good = [...turns];
    good[1] = { from: 'function_call', value: '{"name":"find_clinic","arguments":{}}' };
    assert.deepEqual(codesOf(JSON.stringify({ tools: '[{name: find_clinic}]', conversations: good })), ['FT030']);
  });
});

describe('FT031 / FT032 call ids', () => {
  it('FT031 a call not answered before the conversation moves on', () => {
    const line = sample([user(), calling(call('c1', 'find_clinic'), call('c2', 'find_clinic')), result('c1'), assistant()]);
    const d = only(lint([line]), 'FT031');
    assert.equal(spanText(line, d), '"c2"');
  });

  it('accepts a conversation that ends on the calls (it teaches when to call)', () => {
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic'))])), []);
  });

  it('FT031 when the conversation ends after some of the results', () => {
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic'), call('c2', 'find_clinic')), result('c2')])), ['FT031', 'FT025']);
  });

  it('FT032 a result for an id no call is waiting for', () => {
    const line = sample([user(), calling(call('c1', 'find_clinic')), result('c9'), assistant()]);
    const r = lint([line]);
    assert.equal(spanText(line, only(r, 'FT032')), '"c9"');
    assert.equal(spanText(line, only(r, 'FT031')), '"c1"');
  });

  it('FT014 a tool message without tool_call_id, and a call without id', () => {
    assert.deepEqual(codesOf(sample([user(), calling(call('c1', 'find_clinic')), { role: 'tool', content: 'r' }, assistant()])), ['FT031', 'FT014']);
    assert.deepEqual(codesOf(sample([user(), calling({ type: 'function', function: { name: 'find_clinic', arguments: '{}' } })])), ['FT014']);
  });
});

describe('FT033 / FT034 declared functions', () => {
  it('FT033 a call to a function not in tools, at its name', () => {
    const line = sample([user(), calling(call('c1', 'find_doctor')), result('c1'), assistant()]);
    const d = only(lint([line]), 'FT033');
    assert.equal(spanText(line, d), '"find_doctor"');
    assert.match(d.message, /declared: find_clinic/);
  });

  it('FT034 calls in a sample that declares no tools (once)', () => {
    const line = sample([user(), calling(call('c1', 'a'), call('c2', 'b')), result('c1'), result('c2'), assistant()], null);
    assert.deepEqual(codesOf(line), ['FT034']);
  });

  it('reads legacy `functions` declarations and `function_call`', () => {
    const line = JSON.stringify({
      functions: [{ name: 'find_clinic' }],
      messages: [user(), { role: 'assistant', content: null, function_call: { name: 'find_clinic', arguments: '{}' } }, { role: 'function', name: 'find_clinic', content: 'r' }, assistant()],
    });
    assert.deepEqual(codesOf(line), []);
  });

  it('FT033 for a ShareGPT function_call to an undeclared function', () => {
    const conversations = [{ from: 'human', value: 'q' }, { from: 'function_call', value: '{"name":"poison","arguments":{}}' }, { from: 'observation', value: 'r' }, { from: 'gpt', value: 'a' }];
    assert.deepEqual(codesOf(JSON.stringify({ tools: '[{"name":"find_clinic"}]', conversations })), ['FT033']);
  });

  it('FT013 a tool call of another type, tools that are not a list', () => {
    assert.deepEqual(codesOf(sample([user(), calling({ ...call('c1', 'find_clinic'), type: 'retrieval' }), result('c1'), assistant()])), ['FT013']);
    assert.deepEqual(codesOf(sample([user(), assistant()], { find_clinic: {} })), ['FT013']);
  });
});
