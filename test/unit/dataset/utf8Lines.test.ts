// The byte reader the CLI streams files through: lines split and decoded right whatever the chunking.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8LineSplitter } from '../../../src/core/dataset/parsing/utf8Lines';
import type { LineDecodeInfo } from '../../../src/core/dataset/checks/lineLinter';

function split(bytes: Uint8Array, chunk: number, maxLineBytes?: number) {
  const lines: { text: string; line: number; decode?: LineDecodeInfo }[] = [];
  const splitter = new Utf8LineSplitter((text, line, decode) => lines.push({ text, line, ...(decode ? { decode } : {}) }), maxLineBytes);
  for (let i = 0; i < bytes.length; i += chunk) splitter.push(bytes.subarray(i, i + chunk));
  return { lines, end: splitter.end() };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('Utf8LineSplitter', () => {
  const text = '{"text":"江湖郎中"}\r\n\n\ufeff{"a":"😀"}\n{"b":1}';

  it('gives the same lines for every chunk size, multi-byte characters split across chunks included', () => {
    const expected = ['{"text":"江湖郎中"}\r', '', '\ufeff{"a":"😀"}', '{"b":1}'];
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const { lines, end } = split(utf8(text), chunk);
      assert.deepEqual(lines.map((l) => l.text), expected, `chunk ${chunk}`);
      assert.deepEqual(lines.map((l) => l.line), [0, 1, 2, 3]);
      assert.deepEqual(end, { finalNewline: false });
    }
    assert.deepEqual(split(utf8(text + '\n'), 4).end, { finalNewline: true });
  });

  it('says a block has no U+FFFD only when none of its lines has one (full-width characters are not it)', () => {
    const { lines } = split(utf8('{"a":"问，答？"}\n{"b":"ｘ"}\n'), 1 << 20);
    assert.deepEqual(lines.map((l) => l.decode?.noReplacementChar), [true, true]);
    const withOne = split(utf8('{"a":"问，答"}\n{"b":"x\ufffd"}\n'), 1 << 20).lines;
    assert.deepEqual(withOne.map((l) => l.decode?.noReplacementChar ?? false), [false, false]);
  });

  it('hashes each line\'s bytes the same wherever the line falls in a chunk', () => {
    const line = '{"text":"同一行"}';
    const { lines } = split(utf8(`${line}\nx\n${line}\r\nyy\n${line}`), 5);
    const hashes = lines.filter((l) => l.text.startsWith('{')).map((l) => l.decode?.rawHash);
    assert.equal(new Set(hashes).size, 1);
    assert.equal(typeof hashes[0], 'number');
  });

  it('marks only the lines that are not UTF-8', () => {
    const bytes = new Uint8Array([...utf8('ok\n'), 0x61, 0xc3, 0x28, ...utf8('\nfine\n')]);
    const { lines } = split(bytes, 2);
    assert.deepEqual(lines.map((l) => l.decode?.invalidUtf8 ?? false), [false, true, false]);
    assert.equal(lines[1]!.text, 'a\ufffd(');
  });

  it('reports a line past the size limit by its size, and carries on', () => {
    const { lines } = split(utf8(`a\n${'x'.repeat(50)}\nb`), 8, 20);
    assert.deepEqual(lines.map((l) => [l.text, l.decode?.tooLongBytes]), [['a', undefined], ['', 50], ['b', undefined]]);
  });
});
