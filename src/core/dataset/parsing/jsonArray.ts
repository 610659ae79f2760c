// Splits a JSON array text (LLaMA-Factory's `.json` datasets, pretty-printed or not) into its top-level
// records without parsing them: each record's offsets, found by matching brackets outside strings. Each
// record is then checked as one sample. Where the array's structure breaks (a bracket that does not match, a
// missing comma between records, text after the closing bracket) scanning stops, and `broken` says where the
// position-aware parser first fails; the records before it are kept.
import { parseJsonLine, type JsonSyntaxError } from './jsonLine';

/** A record's offsets in the text: `start` at its first character, `end` just after its last. */
export interface RecordRange {
  start: number;
  end: number;
}

export interface JsonArrayScan {
  records: RecordRange[];
  /** The first syntax error that stopped the scan, at an offset into the whole text. */
  broken?: JsonSyntaxError;
}

/** The offset of the first non-whitespace character from `i` (JSON whitespace; a BOM is skipped by the caller). */
function skipWhitespace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

/** Whether the text, from `from`, starts (after whitespace) with '[': a JSON array. */
export function startsAsArray(text: string, from = 0): boolean {
  return text.charCodeAt(skipWhitespace(text, from)) === 0x5b;
}

/** Whether a text is read as a JSON array of records: a `.json` file whose first character (after a BOM) is '['. */
export function isJsonArrayText(text: string, fileName: string | undefined): boolean {
  return fileName !== undefined && /\.json$/i.test(fileName) && startsAsArray(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
}

/** The text of the array's first record (see startsAsArray), or undefined when it has none or it does not end. */
export function firstRecordText(text: string, from = 0): string | undefined {
  const start = skipWhitespace(text, skipWhitespace(text, from) + 1);
  const end = valueEnd(text, start);
  return end < 0 ? undefined : text.slice(start, end);
}

/**
 * The end of the value starting at `i` (just after it), or -1 when its brackets do not match or the text
 * ends inside it. Strings are skipped with their escapes, so brackets inside them do not count.
 */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return stringEnd(text, i);
  if (first !== 0x7b && first !== 0x5b) {
    // A scalar (a number, true, false, null, or something invalid): up to the next delimiter.
    let j = i;
    while (j < text.length && !',]}[{ \t\r\n"'.includes(text[j]!)) j++;
    return j > i ? j : -1;
  }
  const closers: number[] = [];
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      j = stringEnd(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === 0x7b) closers.push(0x7d);
    else if (c === 0x5b) closers.push(0x5d);
    else if (c === 0x7d || c === 0x5d) {
      if (closers.pop() !== c) return -1;
      if (closers.length === 0) return j + 1;
    }
  }
  return -1;
}

/** The offset just after the string starting at `i`, or -1 when it is never closed. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Scans the array whose '[' is the first non-whitespace character at or after `from` (see startsAsArray). */
export function scanJsonArray(text: string, from = 0): JsonArrayScan {
  const records: RecordRange[] = [];
  const open = skipWhitespace(text, from);
  let i = skipWhitespace(text, open + 1);
  // Where parsing resumes to locate an error: after the last good record (or the '[').
  const brokenFrom = (): JsonArrayScan => ({ records, broken: locateError(text, records.length > 0 ? records[records.length - 1]!.end : open + 1, records.length > 0) });
  if (text.charCodeAt(i) === 0x5d) return closed(text, i, records);
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return brokenFrom();
    records.push({ start: i, end });
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x5d) return closed(text, i, records);
    if (c !== 0x2c) return brokenFrom();
    i = skipWhitespace(text, i + 1);
  }
}

/** The scan after the closing ']' at `i`: only whitespace may follow. */
function closed(text: string, i: number, records: RecordRange[]): JsonArrayScan {
  const rest = skipWhitespace(text, i + 1);
  if (rest >= text.length) return { records };
  return { records, broken: { kind: 'extra_data', column: rest, found: text[rest] } };
}

/**
 * The first syntax error in the text from `from` on, parsed as the rest of an array ('[' put before it, and
 * a stand-in record when a record came before, so a comma there reads as it does in the file). Offsets are
 * into the whole text.
 */
function locateError(text: string, from: number, afterRecord: boolean): JsonSyntaxError {
  const prefix = afterRecord ? '[0' : '[';
  const parsed = parseJsonLine(prefix + text.slice(from));
  if (parsed.ok) return { kind: 'unexpected_char', column: from, found: text[from] ?? '' };
  const column = Math.max(from, parsed.error.column - prefix.length + from);
  return { ...parsed.error, column };
}

/** Maps offsets in a text to 0-based line and column (lines break at \n; a \r before it stays in its line's columns). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo]! };
  }

  /** The number of lines (a text ending with \n has an empty last one). */
  get lines(): number {
    return this.starts.length;
  }
}
