import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonLine, type JsonErrorKind, type JsonObjectNode } from '../../../src/core/dataset/parsing/jsonLine';
import { keyRangeAt, nodeAt } from '../../../src/core/dataset/parsing/jsonPath';

function errorOf(text: string): { kind: JsonErrorKind; column: number; found?: string; expected?: string } {
  const r = parseJsonLine(text);
  assert.equal(r.ok, false, `expected ${JSON.stringify(text)} to fail`);
  return (r as { ok: false; error: { kind: JsonErrorKind; column: number } }).error;
}

describe('parseJsonLine: values and spans', () => {
  it('parses what JSON.parse parses, to equal values', () => {
    const texts = [
      '{"messages":[{"role":"user","content":"你好\\n\\u4e16界 \\"q\\""}],"n":-1.5e3,"t":true,"f":false,"z":null}',
      '[1,[2,[3,{}]],[]]', '"s"', '0', ' {"a" : [ 1 , 2 ] } ', '{"\\ud83d\\ude00":"😀"}',
    ];
    for (const text of texts) {
      const r = parseJsonLine(text);
      assert.ok(r.ok, text);
      assert.equal(JSON.stringify(r.value), JSON.stringify(JSON.parse(text)));
    }
  });

  it('gives the span of every key and value', () => {
    const text = '{"messages": [{"role": "assitant", "content": "x"}]}';
    const r = parseJsonLine(text);
    assert.ok(r.ok);
    const role = nodeAt(r.root, ['messages', 0, 'role'])!;
    assert.equal(text.slice(role.start, role.end), '"assitant"');
    const key = keyRangeAt(r.root, ['messages', 0, 'content'])!;
    assert.equal(text.slice(key.start, key.end), '"content"');
    assert.equal(text.slice(r.root.start, r.root.end), text);
    assert.equal(nodeAt(r.root, ['messages', 3]), undefined);
  });

  it('counts columns in UTF-16 units', () => {
    const text = '{"a":"😀中","b":1}';
    const r = parseJsonLine(text);
    assert.ok(r.ok);
    const b = nodeAt(r.root, ['b'])!;
    assert.equal(b.start, text.indexOf('1'));
  });

  it('resolves duplicate keys to the last, as JSON.parse does', () => {
    const r = parseJsonLine('{"a":1,"a":2}');
    assert.ok(r.ok);
    assert.equal((r.value as { a: number }).a, 2);
    assert.equal(nodeAt(r.root, ['a'])!.start, 11);
    assert.equal((r.root as JsonObjectNode).members.length, 2);
  });

  it('keeps __proto__ and constructor keys as plain data', () => {
    const r = parseJsonLine('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}');
    assert.ok(r.ok);
    const value = r.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(value), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).x, undefined);
  });

  it('parses 10,000-deep nesting without recursion, and reports its depth', () => {
    const text = '['.repeat(10_000) + ']'.repeat(10_000);
    const r = parseJsonLine(text);
    assert.ok(r.ok);
    assert.equal(r.depth, 10_000);
    const limited = parseJsonLine(text, { maxDepth: 500 });
    assert.equal(limited.ok, false);
    assert.deepEqual(limited.ok ? undefined : limited.error, { kind: 'too_deep', column: 500 });
  });

  it('is linear on a long line (a 20 MB string value parses in well under a second)', () => {
    const text = `{"text":"${'江湖'.repeat(5_000_000)}\\n${'a'.repeat(10_000_000)}"}`;
    const start = performance.now();
    const r = parseJsonLine(text);
    assert.ok(r.ok);
    assert.equal((r.value as { text: string }).text.length, 20_000_001);
    assert.ok(performance.now() - start < 2000, `took ${performance.now() - start} ms`);
  });
});

describe('parseJsonLine: errors with their columns', () => {
  const cases: [string, JsonErrorKind, number, string?][] = [
    ['{"a":1,}', 'trailing_comma', 6],
    ['[1,2,]', 'trailing_comma', 4],
    ['{"a":1', 'unexpected_end', 6],
    ['{"a":"abc', 'unterminated_string', 5],
    ["{'a':1}", 'single_quotes', 1, "'"],
    ["{\"a\":'x'}", 'single_quotes', 5, "'"],
    ['{a:1}', 'unquoted_key', 1, 'a'],
    ['{"a":1} // note', 'extra_data', 8],
    ['{"a":1}{"b":2}', 'extra_data', 7],
    ['{"a":1 /* c */}', 'comment', 7, '/*'],
    ['{"a":True}', 'bad_literal', 5, 'True'],
    ['{"a":None}', 'bad_literal', 5, 'None'],
    ['{"a":NaN}', 'bad_literal', 5, 'NaN'],
    ['{"a":-Infinity}', 'bad_literal', 5, '-Infinity'],
    ['{"a":01}', 'bad_number', 5, '01'],
    ['{"a":1.}', 'bad_number', 5, '1.'],
    ['{"a":"x\\qy"}', 'bad_escape', 7, '\\q'],
    ['{"a":"\\u12G4"}', 'bad_escape', 6, '\\u12'],
    ['{"a":"line\nbreak"}', 'control_char', 10, '\n'],
    ['{"a" 1}', 'expected_colon', 5, '1'],
    ['{"a":1 "b":2}', 'expected_comma_or_close', 7, '"'],
    ['{"a":}', 'expected_value', 5, '}'],
    ['{,}', 'expected_key', 1, ','],
    ['{“a”:1}', 'fullwidth_punct', 1, '“'],
    ['{"a"：1}', 'fullwidth_punct', 4, '：'],
    ['{"a":1，"b":2}', 'fullwidth_punct', 6, '，'],
    ['', 'unexpected_end', 0],
  ];
  for (const [text, kind, column, found] of cases) {
    it(`${JSON.stringify(text)} → ${kind} at ${column}`, () => {
      const error = errorOf(text);
      assert.equal(error.kind, kind);
      assert.equal(error.column, column);
      if (found !== undefined) assert.equal(error.found, found);
      assert.throws(() => JSON.parse(text), 'JSON.parse agrees it is invalid');
    });
  }

  it('says which ASCII character a full-width one stands for', () => {
    assert.equal(errorOf('{"a":1，"b":2}').expected, ',');
  });
});
