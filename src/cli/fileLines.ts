// The lines of a dataset for the token counters (`stats`, `lint --tokenizer`), split and decoded by the linter's own
// Utf8LineSplitter, so a line is what `lint` calls a line, and a line longer than the cap is never held in memory:
// only its size is reported (a 600 MB line read whole ends in a RangeError).
import * as path from 'node:path';
import { Utf8LineSplitter } from '../core/dataset/parsing/utf8Lines';
import { MAX_LINE_CHARS } from '../core/tokens/count';
import { openRegularFile } from '../core/regularFile';
import { LineIndex, scanJsonArray } from '../core/dataset/parsing/jsonArray';
import type { Span } from '../core/dataset/types';
import { readJsonArrayFile } from './jsonArrayFile';

/**
 * Lines of more bytes than this are not read: they hold more than MAX_LINE_CHARS characters (a UTF-8 byte sequence
 * is at most 3 bytes per UTF-16 unit), which the counter refuses anyway.
 */
export const MAX_COUNTED_LINE_BYTES = MAX_LINE_CHARS * 3;

/** `span`: for a record of a `.json` array, where it is in the file (0-based; `line` is its first line, 1-based). */
export type FileLine = { line: number; text: string; span?: Span } | { line: number; tooLongBytes: number };

/**
 * The non-blank lines of `file` (1-based), without their CR; a line over `maxLineBytes` comes as its size only.
 * A `.json` file holding an array gives its records instead, each with the line it starts on.
 * Throws NotRegularFileError for a FIFO, device or folder, and the usual errors for a file that cannot be opened.
 */
export async function* fileLines(file: string, maxLineBytes = MAX_COUNTED_LINE_BYTES): AsyncGenerator<FileLine> {
  const array = await readJsonArrayFile(path.resolve(file));
  if (array) {
    yield* arrayRecords(array.text, maxLineBytes);
    return;
  }
  const handle = await openRegularFile(path.resolve(file));
  try {
    let ready: FileLine[] = [];
    const splitter = new Utf8LineSplitter((text, line, decode) => {
      if (decode?.tooLongBytes !== undefined) ready.push({ line: line + 1, tooLongBytes: decode.tooLongBytes });
      else if (text.trim()) ready.push({ line: line + 1, text: text.endsWith('\r') ? text.slice(0, -1) : text });
    }, maxLineBytes);
    const take = () => {
      const out = ready;
      ready = [];
      return out;
    };
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      splitter.push(chunk as Buffer);
      yield* take();
    }
    splitter.end();
    yield* take();
  } finally {
    await handle.close();
  }
}

/** The records of a JSON array text as items, up to a break in its structure (lint reports that). */
function* arrayRecords(text: string, maxLineBytes: number): Generator<FileLine> {
  const { records } = scanJsonArray(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const index = new LineIndex(text);
  for (const r of records) {
    const start = index.position(r.start);
    const end = index.position(r.end);
    const line = start.line + 1;
    const body = text.slice(r.start, r.end);
    // At most 3 UTF-8 bytes a UTF-16 unit: only a long record needs its bytes counted.
    const bytes = body.length * 3 > maxLineBytes ? Buffer.byteLength(body) : 0;
    if (bytes > maxLineBytes) yield { line, tooLongBytes: bytes };
    else yield { line, text: body, span: { line: start.line, column: start.column, endLine: end.line, endColumn: end.column } };
  }
}
