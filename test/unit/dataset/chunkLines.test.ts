// Reading a big file in chunks on several threads (the CLI's lint of a big JSONL file): the chunks' lines are the
// file's lines, whatever the chunk size; line results survive packing for the trip between threads; the duplicate
// indexes keep every entry as they grow.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkCount, readChunkLines } from '../../../src/core/dataset/parallel/chunkLines';
import { Utf8LineSplitter } from '../../../src/core/dataset/parsing/utf8Lines';
import { LinePacker, unpackLines } from '../../../src/core/dataset/parallel/packedLines';
import { lintLine, type LineResult } from '../../../src/core/dataset/checks/lineLinter';
import { lineContext } from '../../../src/core/dataset/checks/linter';
import { HashIndex } from '../../../src/core/dataset/checks/hashIndex';

const tmp = mkdtempSync(join(tmpdir(), 'chunk-lines-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** What a reader tells of a line (U+FFFD's absence is only a hint, true or not per block: left out). */
type Seen = { text: string; invalidUtf8?: boolean; tooLongBytes?: number; rawHash?: number };

function whole(bytes: Uint8Array, maxLineBytes: number): { lines: Seen[]; finalNewline: boolean } {
  const lines: Seen[] = [];
  const splitter = new Utf8LineSplitter((text, _line, d) => lines.push(seen(text, d)), maxLineBytes);
  splitter.push(bytes);
  return { lines, finalNewline: splitter.end().finalNewline };
}

function chunked(file: string, size: number, chunkBytes: number, blockBytes: number, maxLineBytes: number): { lines: Seen[]; finalNewline: boolean; counts: number[] } {
  const fd = openSync(file, 'r');
  const lines: Seen[] = [];
  const counts: number[] = [];
  let finalNewline = true;
  try {
    for (let i = 0; i < chunkCount(size, chunkBytes); i++) {
      const r = readChunkLines(fd, i, chunkBytes, size, (text, _line, d) => lines.push(seen(text, d)), blockBytes, maxLineBytes);
      counts.push(r.lines);
      if (r.finalNewline !== undefined) finalNewline = r.finalNewline;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, finalNewline, counts };
}

function seen(text: string, d: Parameters<ConstructorParameters<typeof Utf8LineSplitter>[0]>[2]): Seen {
  return { text, ...(d?.invalidUtf8 ? { invalidUtf8: true } : {}), ...(d?.tooLongBytes !== undefined ? { tooLongBytes: d.tooLongBytes } : {}), ...(d?.rawHash !== undefined ? { rawHash: d.rawHash } : {}) };
}

describe('readChunkLines', () => {
  const parts = [
    Buffer.from('\ufeff{"text":"江湖郎中"}\r\n\n'),
    Buffer.from('{"a":"😀"}\n'),
    Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xc4, 0xe3]), Buffer.from('"}\n')]),
    Buffer.from(`{"long":"${'长'.repeat(40)}"}\n`),
    Buffer.from('\n\n{"b":1}\r\n'),
  ];

  for (const ending of ['\n', '', '{"cut":']) {
    it(`gives the file's lines, in order, for every chunk size (file ending ${JSON.stringify(ending)})`, () => {
      const bytes = Buffer.concat([...parts, Buffer.from(ending)]);
      const file = join(tmp, `f${ending.length}.jsonl`);
      writeFileSync(file, bytes);
      const expected = whole(bytes, 100);
      assert.ok(expected.lines.some((l) => l.tooLongBytes !== undefined) && expected.lines.some((l) => l.invalidUtf8));
      for (const chunkBytes of [1, 2, 3, 5, 7, 16, 64, 1000]) {
        for (const blockBytes of [1, 4, 1 << 20]) {
          const got = chunked(file, bytes.length, chunkBytes, blockBytes, 100);
          assert.deepEqual(got.lines, expected.lines, `chunk ${chunkBytes}, block ${blockBytes}`);
          assert.equal(got.finalNewline, expected.finalNewline, `chunk ${chunkBytes}, block ${blockBytes}`);
        }
      }
    });
  }

  it('a chunk inside a line begun earlier has no lines (the line is read once, by its own chunk)', () => {
    const bytes = Buffer.from(`{"a":"${'x'.repeat(100)}"}\n{"b":2}\n`);
    const file = join(tmp, 'long.jsonl');
    writeFileSync(file, bytes);
    const got = chunked(file, bytes.length, 10, 4, 1000);
    assert.deepEqual(got.counts, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert.deepEqual(got.lines.map((l) => l.text.length), [108, 7]);
  });
});

describe('packed line results', () => {
  it('come back as they were, diagnostics on their own lines', () => {
    const ctx = lineContext({});
    const lines = ['{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}', '', '{"broken": ', '[1]', '{"instruction":"a","output":"b"}'];
    const expected = lines.map((l) => lintLine(l, ctx));
    const packer = new LinePacker();
    for (const r of expected) packer.add(r);
    const { packed } = packer.take();
    const got: LineResult[] = [];
    unpackLines(packed, (i, r) => {
      assert.equal(i, got.length);
      got.push({ ...r });
    });
    assert.deepEqual(got, expected.map((r) => ({ ...r, format: r.format })));
    assert.deepEqual(got.map((r) => r.diagnostics.map((d) => d.code)), [[], ['FT004'], ['FT001'], ['FT007'], []]);
    assert.equal(packer.take().packed.count, 0, 'the packer starts afresh');
  });
});

describe('HashIndex', () => {
  it('keeps the first line of every key and its tag as it grows past its size', () => {
    const index = new HashIndex(16, true);
    const key = (i: number) => (i * 2654435761) % 2 ** 53 + 1;
    for (let i = 0; i < 50_000; i++) assert.equal(index.addFirst(key(i), i, i ^ 0x5555), -1);
    index.reserve(80_000);
    for (let i = 0; i < 50_000; i += 7) assert.equal(index.addFirst(key(i), 99, 0), i);
    assert.equal(index.size, 50_000);
    for (let i = 0; i < 50_000; i += 13) {
      assert.equal(index.lineOf(key(i)), i);
      assert.equal(index.tagOf(key(i)), i ^ 0x5555);
    }
    assert.equal(index.lineOf(key(50_001)), -1);
  });
});
