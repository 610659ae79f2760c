// ShareGPT and Alpaca → OpenAI messages: the new text, the counts, the reasons for skipped lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { convertToOpenAI } from '../../../src/core/dataset/formats/convert';
import { lintText } from '../../../src/core/dataset/checks/linter';

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as unknown);

describe('convertToOpenAI', () => {
  it('converts ShareGPT turns, the system column, function calls and observations', () => {
    const sample = {
      system: '你是郎中',
      tools: '[{"name":"find_clinic","parameters":{"type":"object"}}]',
      conversations: [
        { from: 'human', value: '附近有医馆吗？' },
        { from: 'function_call', value: '{"name":"find_clinic","arguments":{"city":"扬州"}}' },
        { from: 'observation', value: '{"clinic":"回春堂"}' },
        { from: 'gpt', value: '城东回春堂。' },
      ],
    };
    const r = convertToOpenAI(JSON.stringify(sample) + '\n');
    assert.deepEqual({ converted: r.converted, unchanged: r.unchanged, skipped: r.skipped }, { converted: 1, unchanged: 0, skipped: [] });
    assert.deepEqual(lines(r.text), [{
      messages: [
        { role: 'system', content: '你是郎中' },
        { role: 'user', content: '附近有医馆吗？' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'find_clinic', arguments: '{"city":"扬州"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"clinic":"回春堂"}' },
        { role: 'assistant', content: '城东回春堂。' },
      ],
      tools: [{ type: 'function', function: { name: 'find_clinic', parameters: { type: 'object' } } }],
    }]);
    assert.deepEqual(lintText(r.text, { split: 'eval' }).diagnostics, []);
  });

  it('converts Alpaca with system, history, and instruction + input joined by a line break', () => {
    const sample = { instruction: '看看这个方子', input: '当归三钱', output: '可用。', system: '你是郎中', history: [['头痛', '歇息'], ['还痛', '喝药']] };
    const r = convertToOpenAI(JSON.stringify(sample));
    assert.deepEqual(lines(r.text), [{
      messages: [
        { role: 'system', content: '你是郎中' },
        { role: 'user', content: '头痛' }, { role: 'assistant', content: '歇息' },
        { role: 'user', content: '还痛' }, { role: 'assistant', content: '喝药' },
        { role: 'user', content: '看看这个方子\n当归三钱' }, { role: 'assistant', content: '可用。' },
      ],
    }]);
  });

  it('keeps OpenAI lines, skips what it cannot convert and says why (in the chosen language)', () => {
    const input = [
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}',
      '',
      '{"broken":',
      '[1]',
      '{"text":"plain"}',
      '{"conversations":[{"from":"humna","value":"q"},{"from":"gpt","value":"a"}]}',
      '{"instruction":"q","output":""}',
      '{"conversations":[{"from":"human","value":"q"},{"from":"observation","value":"r"}]}',
    ].join('\n');
    const r = convertToOpenAI(input, { locale: 'en' });
    assert.equal(r.unchanged, 1);
    assert.equal(r.converted, 0);
    assert.deepEqual(r.skipped, [
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: 'text samples are not converted' },
      { line: 5, reason: 'turn 1 has no usable role or content' },
      { line: 6, reason: 'no answer' },
      { line: 7, reason: 'turn 2: the function call is not JSON with a name' },
    ]);
    assert.equal(r.text, input.split('\n')[0] + '\n');
    assert.equal(convertToOpenAI('{"broken":', { locale: 'zh-cn' }).skipped[0]?.reason, '不是有效的 JSON');
  });

  it('converts the example workspace files with nothing skipped, to files that lint clean', () => {
    for (const file of ['examples/wuxia-doctor/sharegpt.jsonl', 'examples/wuxia-doctor/alpaca.jsonl']) {
      const text = readFileSync(file, 'utf8');
      const r = convertToOpenAI(text);
      assert.equal(r.skipped.length, 0, file);
      assert.equal(r.converted, text.trim().split('\n').length);
      const result = lintText(r.text, { split: 'eval' });
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), [], file);
      assert.equal(result.format, 'openai');
    }
  });

  it('follows a dataset_info.json mapping', () => {
    const info = { d: { file_name: 'd.jsonl', columns: { prompt: 'q', response: 'a' } } };
    const r = convertToOpenAI('{"q":"头痛","a":"歇息"}', { datasetInfo: info, fileName: 'd.jsonl' });
    assert.deepEqual(lines(r.text), [{ messages: [{ role: 'user', content: '头痛' }, { role: 'assistant', content: '歇息' }] }]);
  });
});
