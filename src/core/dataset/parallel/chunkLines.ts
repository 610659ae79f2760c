// A file read as numbered chunks, so several threads can each split and decode a part of it: chunk `i` holds
// the lines that START in bytes [i × chunkBytes, (i + 1) × chunkBytes), read through to their ends. Every line
// belongs to exactly one chunk, and the chunks' lines in chunk order are the file's lines, as Utf8LineSplitter
// reads them from the whole file (a line that spans many chunks is read once, by the chunk it starts in).
import { readSync } from 'node:fs';
import { Utf8LineSplitter, type LineSink } from '../parsing/utf8Lines';

const NEWLINE = 0x0a;
/** Read size when looking for where a line ends (lines are usually far shorter). */
const TAIL_BYTES = 16 * 1024;

export function chunkCount(fileSize: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(fileSize / chunkBytes));
}

/**
 * Passes the lines of chunk `index` of the open file `fd` to `sink` (their numbers count from 0 within the
 * chunk); returns how many, and `finalNewline` when the chunk read to the end of the file (whether the file
 * ended with a line break). `blockBytes`: how much is read at a time; `maxLineBytes`: as Utf8LineSplitter's.
 */
export function readChunkLines(fd: number, index: number, chunkBytes: number, fileSize: number, sink: LineSink, blockBytes = 1 << 20, maxLineBytes?: number): { lines: number; finalNewline?: boolean } {
  const begin = index * chunkBytes;
  const end = Math.min(fileSize, begin + chunkBytes);
  const start = index === 0 ? 0 : firstLineStart(fd, begin, end, blockBytes);
  if (start >= end) return { lines: 0 };
  let lines = 0;
  let tail = TAIL_BYTES / 2;
  const splitter = new Utf8LineSplitter((text, _line, decode) => {
    lines++;
    sink(text, lines - 1, decode);
  }, maxLineBytes);
  for (let pos = start; ;) {
    // A fresh buffer each time: the splitter may hold on to the start of an unfinished line. Up to the chunk's
    // end, then in blocks that start small and double: the last line usually ends soon after (reading a whole
    // block past the end read the file about twice).
    const size = pos < end ? Math.min(blockBytes, end - pos) : Math.min(blockBytes, (tail *= 2));
    const block = new Uint8Array(size);
    const n = readSync(fd, block, 0, size, pos);
    if (n === 0) {
      const { finalNewline } = splitter.end();
      return { lines, finalNewline };
    }
    // The chunk's last line is the one holding byte end - 1: stop at the first break from there on.
    const stop = pos + n >= end ? block.subarray(0, n).indexOf(NEWLINE, Math.max(0, end - 1 - pos)) : -1;
    if (stop !== -1) {
      splitter.push(block.subarray(0, stop + 1));
      return { lines };
    }
    splitter.push(block.subarray(0, n));
    pos += n;
  }
}

/**
 * Where the first line starting in [begin, end) starts: `begin` when the byte before it is a line break, else
 * just after the first break in [begin, end); `end` when there is none (the chunk starts no line).
 */
function firstLineStart(fd: number, begin: number, end: number, blockBytes: number): number {
  const before = new Uint8Array(1);
  if (readSync(fd, before, 0, 1, begin - 1) === 1 && before[0] === NEWLINE) return begin;
  const block = new Uint8Array(Math.min(blockBytes, TAIL_BYTES, end - begin));
  for (let pos = begin; pos < end;) {
    const n = readSync(fd, block, 0, Math.min(block.length, end - pos), pos);
    if (n === 0) break;
    const nl = block.subarray(0, n).indexOf(NEWLINE);
    if (nl !== -1) return pos + nl + 1;
    pos += n;
  }
  return end;
}
