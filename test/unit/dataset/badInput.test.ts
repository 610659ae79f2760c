// Bad input: each gives a clear diagnostic, never a crash or a hang. Big inputs are made in memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetLinter, lintText } from '../../../src/core/dataset/checks/linter';
import { Utf8LineSplitter } from '../../../src/core/dataset/parsing/utf8Lines';
import type { LintResult } from '../../../src/core/dataset/types';
import { codes, good, only } from './helpers';

/** Lints bytes as the CLI does: split and decoded by Utf8LineSplitter, in chunks of `chunk` bytes. */
function lintBytes(bytes: Uint8Array, chunk = 64 * 1024): LintResult {
  const linter = new DatasetLinter();
  const splitter = new Utf8LineSplitter((text, line, decode) => linter.push(text, line, decode));
  for (let i = 0; i < bytes.length; i += chunk) splitter.push(bytes.subarray(i, i + chunk));
  return linter.finish(splitter.end());
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('bad input', () => {
  it('a 100 MB single line: one warning that it is too long, in seconds', () => {
    const line = `{"messages":[{"role":"user","content":"讲个长故事"},{"role":"assistant","content":"${'江湖路远'.repeat(25_000_000)}"}]}`;
    const start = performance.now();
    const r = lintText(line);
    assert.deepEqual(codes(r), ['FT008@1', 'FT050@1']);
    assert.match(only(r, 'FT008').message, new RegExp(`Very long line: ${line.length} characters`));
    assert.ok(performance.now() - start < 10_000, `took ${performance.now() - start} ms`);
  });

  it('a 100 MB single line that is broken: the syntax error at its column', () => {
    const line = `{"text":"${'a'.repeat(100_000_000)}"`;
    const d = only(lintText(line), 'FT001');
    assert.equal(d.span.column, line.length - 1);
  });

  it('a million lines: every sample counted, duplicates found, memory and time bounded', () => {
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) lines.push(i % 250_000 === 7 ? good(3) : `{"text":"sample ${i}"}`);
    const linter = new DatasetLinter({ maxDiagnostics: 100 });
    const start = performance.now();
    lines.forEach((l, i) => linter.push(l, i));
    const r = linter.finish();
    assert.equal(r.samples, 1_000_000);
    assert.deepEqual(codes(r), ['FT011@8', 'FT040@250008', 'FT040@500008', 'FT040@750008']);
    assert.ok(performance.now() - start < 30_000);
  });

  it('invalid UTF-8: an error on the line that has it, at its column; other lines are fine', () => {
    const bytes = new Uint8Array([...utf8(good(1) + '\n{"text":"ab'), 0xff, 0xfe, ...utf8('"}\n' + good(2) + '\n')]);
    const r = lintBytes(bytes, 7);
    assert.deepEqual(codes(r), ['FT050@1', 'FT011@2', 'FT002@2']);
    assert.equal(only(r, 'FT002').span.column, 11);
  });

  it('GBK-encoded Chinese: invalid UTF-8 on each line, not "binary"', () => {
    const gbk = new Uint8Array([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xc4, 0xe3, 0xba, 0xc3, 0x22, 0x7d, 0x0a]); // {"text":"你好"}
    const r = lintBytes(new Uint8Array([...gbk, ...gbk]));
    assert.deepEqual(codes(r), ['FT050@1', 'FT002@1', 'FT040@2', 'FT002@2']);
  });

  it('NUL bytes: a binary-content error at the NUL', () => {
    const r = lintBytes(new Uint8Array([...utf8(good(1) + '\n{"text":"a'), 0, ...utf8('b"}\n')]));
    assert.equal(only(r, 'FT005').span.line, 1);
    assert.equal(only(r, 'FT005').span.column, 10);
  });

  it('a binary file named .jsonl: one error for the whole file, not one per line', () => {
    const bytes = new Uint8Array(256 * 1024);
    let seed = 1;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const r = lintBytes(bytes);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]!.code, 'FT005');
    assert.match(r.diagnostics[0]!.message, /This file looks binary/);
    assert.equal(r.samples, 0);
  });

  it('10,000-deep nesting: a clear error, no stack overflow', () => {
    const r = lintText('{"text":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}\n');
    assert.match(only(r, 'FT009').message, /Nested more than 500 levels/);
  });

  it('__proto__ keys: plain data, no prototype pollution', () => {
    const r = lintText('{"__proto__":{"isAdmin":true},"messages":[{"role":"__proto__","content":"q"},{"role":"assistant","content":"a"}]}\n');
    assert.deepEqual(codes(r), ['FT050@1', 'FT015@1', 'FT020@1']);
    assert.equal(({} as { isAdmin?: boolean }).isAdmin, undefined);
  });

  it('CRLF line endings: checked like LF, columns unchanged, through bytes too', () => {
    const text = `${good(1)}\r\n{"a":1,}\r\n${good(2)}\r\n`;
    const expected = ['FT050@1', 'FT001@2'];
    assert.deepEqual(codes(lintText(text)), expected);
    assert.deepEqual(codes(lintBytes(utf8(text), 5)), expected);
    assert.equal(only(lintText(text), 'FT001').span.column, 6);
  });

  it('an empty file: "no samples"', () => {
    assert.deepEqual(codes(lintText('')), ['FT051@1']);
    assert.deepEqual(codes(lintBytes(new Uint8Array())), ['FT051@1']);
  });

  it('a line too long to decode: a warning with its size, not a crash', () => {
    const linter = new DatasetLinter();
    const splitter = new Utf8LineSplitter((text, line, decode) => linter.push(text, line, decode), 1000);
    splitter.push(utf8(good(1) + '\n'));
    for (let i = 0; i < 5; i++) splitter.push(utf8('x'.repeat(400)));
    splitter.push(utf8('\n' + good(2) + '\n'));
    const r = linter.finish(splitter.end());
    assert.match(only(r, 'FT008').message, /Line of 2000 bytes: too long to check/);
    assert.equal(only(r, 'FT008').span.line, 1);
    assert.equal(r.samples, 2);
  });
});
