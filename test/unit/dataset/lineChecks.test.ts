// FT001-FT009: checks of a line on its own (syntax, encoding, BOM, blank, binary, shape, length, depth).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { assistant, chat, codesOf, good, lint, only, spanText, user } from './helpers';

describe('FT001 JSON syntax', () => {
  it('points at the column, with a message that says what is wrong', () => {
    const line = '{"messages": [{"role": "user", "content": "hi"},]}';
    const text = line + '\n';
    const d = only(lintText(text), 'FT001');
    assert.equal(d.severity, 'error');
    assert.equal(d.span.column, line.indexOf(',]'));
    assert.equal(spanText(text, d), ',');
    assert.match(d.message, /JSON syntax error at column 48: trailing comma/);
  });

  it('explains Python literals, full-width punctuation and pretty-printed JSON', () => {
    assert.match(only(lint(['{"text": True}']), 'FT001').message, /'True' is not a JSON value; write true/);
    assert.match(only(lint(['{"text"："a"}']), 'FT001').message, /full-width '：' where JSON needs ':'/);
    const pretty = lint(['{', '  "text": "a"', '}']);
    assert.match(pretty.diagnostics.find((d) => d.code === 'FT001' && d.span.line === 0)!.message, /pretty-printed JSON/);
  });

  it('is in Chinese with locale zh-cn', () => {
    assert.match(only(lint(['{"a":1,}'], { locale: 'zh-cn' }), 'FT001').message, /^JSON 语法错误（第 7 列）：多余的逗号/);
  });

  it('is not reported for valid lines', () => {
    assert.deepEqual(codesOf(good()), []);
  });

  it('puts the span of a cut-off line on its last character', () => {
    const line = '{"text": "abc';
    const d = only(lint([line]), 'FT001');
    assert.equal(d.span.column, 9);
    assert.match(d.message, /never closed/);
  });
});

describe('FT002 / FT006 decoding', () => {
  it('FT006 warns about U+FFFD in text whose decoding is unknown', () => {
    const line = JSON.stringify({ text: 'ab\ufffdcd' });
    const r = lint([line]);
    const d = only(r, 'FT006');
    assert.equal(d.severity, 'warning');
    assert.equal(d.span.column, line.indexOf('\ufffd'));
    assert.equal(r.diagnostics.filter((x) => x.code === 'FT002').length, 0);
  });

  it('FT002 when the caller says U+FFFD marks bytes that were not UTF-8 (as VS Code decodes)', () => {
    const d = only(lint([JSON.stringify({ text: 'ab\ufffd' })], { replacementCharIsDecodeError: true }), 'FT002');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /Invalid UTF-8 at column 12/);
  });

  it('neither for clean text', () => {
    assert.deepEqual(codesOf(JSON.stringify({ text: '江湖' })), []);
  });
});

describe('FT003 BOM', () => {
  it('reports a BOM and still checks the sample behind it', () => {
    const r = lintText('\ufeff' + chat(user(), { role: 'assitant', content: 'x' }) + '\n');
    assert.deepEqual(r.diagnostics.map((d) => d.code).filter((c) => c !== 'FT050'), ['FT003', 'FT020']);
    const role = only(r, 'FT020');
    assert.equal(spanText('\ufeff' + chat(user(), { role: 'assitant', content: 'x' }), role), '"assitant"');
  });

  it('is not reported without one', () => {
    assert.ok(!codesOf(good()).includes('FT003'));
  });
});

describe('FT004 blank lines', () => {
  it('reports blank and white-space lines, not the end of the file', () => {
    const r = lintText(`${good(1)}\n\n   \n${good(2)}\n`);
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'FT004').map((d) => d.span.line), [1, 2]);
    assert.equal(r.samples, 2);
    assert.equal(lintText(`${good(1)}\n`).diagnostics.filter((d) => d.code === 'FT004').length, 0);
  });
});

describe('FT005 binary content', () => {
  it('reports NUL bytes at their column, with no syntax error on top', () => {
    const r = lint(['{"text":"a\u0000b"}']);
    assert.deepEqual(codesOf('{"text":"a\u0000b"}'), ['FT005']);
    assert.equal(only(r, 'FT005').span.column, 10);
  });

  it('reports a line of control characters', () => {
    assert.deepEqual(codesOf('\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008xyz'), ['FT005']);
  });

  it('does not flag a sample that merely contains an escaped control character', () => {
    assert.deepEqual(codesOf(JSON.stringify({ text: 'tab\there\u0000' })), []);
  });
});

describe('FT007 not an object', () => {
  it('reports arrays, strings and numbers; an array of objects gets its own advice', () => {
    assert.match(only(lint(['"text"']), 'FT007').message, /found string/);
    assert.match(only(lint(['42']), 'FT007').message, /found number/);
    assert.match(only(lint([JSON.stringify([{ a: 1 }, { b: 2 }])]), 'FT007').message, /array of 2 items/);
  });
});

describe('FT008 very long lines', () => {
  it('warns past the limit, not below it', () => {
    const line = JSON.stringify({ text: 'x'.repeat(1000) });
    assert.deepEqual(codesOf(line, { maxLineLength: 500 }), ['FT008']);
    assert.deepEqual(codesOf(line, { maxLineLength: 5000 }), []);
  });
});

describe('FT009 nesting depth', () => {
  it('reports 10,000-deep nesting at the column where it gets too deep, without a stack overflow', () => {
    const line = '{"text":"a","x":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
    const d = only(lint([line]), 'FT009');
    assert.equal(d.severity, 'error');
    assert.equal(d.span.column, 16 + 499);
  });

  it('accepts ordinary nesting', () => {
    assert.deepEqual(codesOf('{"text":"a","x":' + '['.repeat(50) + ']'.repeat(50) + '}'), ['FT015']);
  });

  it('reports deep nesting in a line that is also broken, as a syntax error', () => {
    const d = only(lint(['['.repeat(200_000)]), 'FT001');
    assert.match(d.message, /nested too deeply|ends before/);
  });
});

describe('a valid assistant answer with content parts', () => {
  it('accepts text and image parts', () => {
    const line = chat({ role: 'user', content: [{ type: 'text', text: '看看这伤口' }, { type: 'image_url', image_url: { url: 'a.png' } }] }, assistant());
    assert.deepEqual(codesOf(line), []);
  });
});
