// The lines of a dataset for the token counters (`stats`, `lint --tokenizer`), split and decoded by the linter's own
// Utf8LineSplitter, so a line is what `lint` calls a line, and a line longer than the cap is never held in memory:
// only its size is reported (a 600 MB line read whole ends in a RangeError).
import * as path from 'node:path';
import { Utf8LineSplitter } from '../core/dataset/parsing/utf8Lines';
import { MAX_LINE_CHARS } from '../core/tokens/count';
import { openRegularFile } from '../core/regularFile';

/**
 * Lines of more bytes than this are not read: they hold more than MAX_LINE_CHARS characters (a UTF-8 byte sequence
 * is at most 3 bytes per UTF-16 unit), which the counter refuses anyway.
 */
export const MAX_COUNTED_LINE_BYTES = MAX_LINE_CHARS * 3;

export type FileLine = { line: number; text: string } | { line: number; tooLongBytes: number };

/**
 * The non-blank lines of `file` (1-based), without their CR; a line over `maxLineBytes` comes as its size only.
 * Throws NotRegularFileError for a FIFO, device or folder, and the usual errors for a file that cannot be opened.
 */
export async function* fileLines(file: string, maxLineBytes = MAX_COUNTED_LINE_BYTES): AsyncGenerator<FileLine> {
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
