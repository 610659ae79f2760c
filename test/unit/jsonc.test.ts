// JSONC as VS Code writes settings: comments and trailing commas, with a syntax error's line and column in the file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumn, parseJsonc } from '../../src/core/jsonc';

describe('parseJsonc', () => {
  it('reads comments and trailing commas, and leaves strings that look like them alone', () => {
    const text = '{\n  // a comment\n  "a": "http://x/*y*/", /* block\n comment */ "b": [1, 2,],\n  "c": "quote \\" // not a comment",\n}\n';
    const parsed = parseJsonc(text);
    assert.ok(parsed.ok);
    assert.deepEqual(JSON.parse(JSON.stringify(parsed.value)), { a: 'http://x/*y*/', b: [1, 2], c: 'quote " // not a comment' });
  });

  it('says the line and column of an error, comments counted', () => {
    assert.deepEqual(parseJsonc('{\n  // x\n  "a": 1\n  "b": 2\n}'), { ok: false, line: 4, column: 3 });
    assert.deepEqual(parseJsonc('\ufeff{"a": }'), { ok: false, line: 1, column: 8 }, 'the BOM is a column, as editors count it');
  });

  it('an unterminated comment or string is an error, not a hang', () => {
    assert.equal(parseJsonc('{"a": 1 /* never ends').ok, false);
    assert.equal(parseJsonc('{"a": "never ends').ok, false);
  });
});

describe('lineColumn', () => {
  it('names 1-based lines and columns of an offset', () => {
    const text = '{\n  "a": 1,\n  "b"\n}';
    assert.deepEqual(lineColumn(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn(text, text.indexOf('"b"')), { line: 3, column: 3 });
  });
});
