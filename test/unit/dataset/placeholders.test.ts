// FT076: template placeholders left in answers ({{name}}, <YOUR_NAME>, [Your Name], 【你的名字】), in every format;
// not in prompts, not in code. Fixture: test/fixtures/datasets/placeholders.jsonl.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { CODES } from '../../../src/core/dataset/codes';
import { assistant, chat, codesOf, spanText, user } from './helpers';

const text = readFileSync('test/fixtures/datasets/placeholders.jsonl', 'utf8');

describe('FT076 unreplaced template placeholders', () => {
  const result = lintText(text);
  const ft076 = result.diagnostics.filter((d) => d.code === 'FT076');

  it('is a warning, on the answer that holds it, naming what it found', () => {
    assert.equal(CODES.FT076.severity, 'warning');
    assert.deepEqual(ft076.map((d) => d.span.line + 1), [1, 2, 3, 4, 7, 7, 8]);
    const found = ft076.map((d) => /answer: (.*?); the model/.exec(d.message)?.[1]);
    assert.deepEqual(found, ['{{name}}, {{author}}', '{{name}}, {{author}}', '<YOUR_NAME>, [Your Company]', '[YOUR NAME]', '【你的名字】', '{{name}}', '{{ model_name }}']);
    assert.equal(spanText(text, ft076[1]!), '"Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?"');
    assert.equal(spanText(text, ft076[5]!), '"你好，我是 {{name}}"');
  });

  it('leaves prompts and code in backticks alone (lines 5, 6)', () => {
    assert.ok(!result.diagnostics.some((d) => d.span.line === 4 || d.span.line === 5));
  });

  it('in Chinese too', () => {
    const zh = lintText(text, { locale: 'zh-cn' }).diagnostics.find((d) => d.code === 'FT076')!;
    assert.match(zh.message, /回答中有未替换的模板占位符：\{\{name\}\}, \{\{author\}\}/);
  });

  it('ordinary braces and brackets in answers are not placeholders', () => {
    for (const answer of ['Use a dict: {"name": 1}.', 'See [1] and <b>bold</b>.', 'Set {{x + 1}} in the template? No: that is an expression.', 'Your name goes in the form.', 'Enter your name below.', 'In Vue: `<your-component>` and `{{ name }}`.']) {
      const codes = codesOf(chat(user('Q?'), assistant(answer)));
      assert.ok(!codes.includes('FT076'), `${answer}: ${codes.join(' ')}`);
    }
  });
});
