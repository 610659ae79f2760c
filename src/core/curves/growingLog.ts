// A training log on disk, read again each time it changes, from where the last read stopped when the file only
// grew. A JSONL log (trainer_log.jsonl, events.jsonl) is appended to line by line while a job runs: the new bytes
// are parsed and added to the run (jsonlReader.ts). The file is read whole again when it is another file (inode),
// shrank, or its earlier bytes changed (its first and last FINGERPRINT bytes before the offset are compared), or
// when a last line read without its newline was then extended. A trainer_state.json is rewritten whole by the
// trainer: it is read whole when its size or mtime changed. Synchronous: runs in the curves worker thread.
import { closeSync, fstatSync, readSync, type Stats } from 'node:fs';
import { openRegularFileSync } from '../regularFile';
import { detectSource, importCurves, jsonlReader, jsonlResult, parseJsonWithNaN, type ImportResult } from './importers';
import type { JsonlCurveReader } from './jsonlReader';

const FINGERPRINT = 64;
const NEWLINE = 0x0a;

/** How the last read went: the whole file, only what was appended, or nothing (the file had not changed). */
export type ReadKind = 'whole' | 'append' | 'unchanged';

interface JsonlState {
  reader: JsonlCurveReader;
  ino: number;
  /** Bytes consumed: up to the end of the last line read. */
  offset: number;
  head: Buffer;
  tail: Buffer;
  /** The last line was read without its newline (it parsed): what follows must start with one. */
  openLine: boolean;
}

export class GrowingLog {
  private jsonl: JsonlState | undefined;
  /** A file read whole (trainer_state.json): its inode, size and mtime when read. */
  private wholeStamp: string | undefined;
  private result: ImportResult | undefined;
  /** How the last read went, and the bytes it read. */
  lastRead: { kind: ReadKind; bytes: number } = { kind: 'whole', bytes: 0 };
  /** Bumped whenever the result changed: a cache of what was made from it can key on it. */
  version = 0;

  constructor(readonly path: string) {}

  /** The log's curves as of now. Throws what importCurves and openRegularFileSync throw. */
  read(): ImportResult {
    const fd = openRegularFileSync(this.path);
    try {
      const stat = fstatSync(fd);
      if (this.jsonl && this.appendOnly(fd, stat, this.jsonl)) {
        if (stat.size === this.jsonl.offset) {
          this.lastRead = { kind: 'unchanged', bytes: 0 };
          return this.result!;
        }
        const appended = this.readAppended(fd, stat, this.jsonl);
        if (appended === 0) {
          this.lastRead = { kind: 'unchanged', bytes: 0 };
          return this.result!;
        }
        if (appended > 0) {
          this.lastRead = { kind: 'append', bytes: appended };
          return this.changed(jsonlResult(this.jsonl.reader));
        }
      }
      const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      if (this.wholeStamp === stamp) {
        this.lastRead = { kind: 'unchanged', bytes: 0 };
        return this.result!;
      }
      return this.changed(this.readWhole(fd, stat, stamp));
    } finally {
      closeSync(fd);
    }
  }

  private changed(result: ImportResult): ImportResult {
    this.version++;
    this.result = result;
    return result;
  }

  /** Whether the file is the one read before, no shorter, with the same bytes where they were compared. */
  private appendOnly(fd: number, stat: Stats, s: JsonlState): boolean {
    if (stat.ino !== s.ino || stat.size < s.offset) return false;
    return bytesAt(fd, 0, s.head.length).equals(s.head) && bytesAt(fd, s.offset - s.tail.length, s.tail.length).equals(s.tail);
  }

  /**
   * Feeds the bytes after the offset: the bytes consumed (0: only part of a line came, nothing new to show), or −1
   * when they show the file was not only appended to.
   */
  private readAppended(fd: number, stat: Stats, s: JsonlState): number {
    const from = s.offset;
    let bytes = bytesAt(fd, s.offset, stat.size - s.offset);
    if (s.openLine) {
      const skip = bytes[0] === NEWLINE ? 1 : bytes[0] === 0x0d && bytes[1] === NEWLINE ? 2 : bytes[0] === 0x0d && bytes.length === 1 ? 0 : -1;
      if (skip <= 0) return skip; // another byte than a newline: the line went on; a lone CR: wait for its LF
      bytes = bytes.subarray(skip);
      s.offset += skip;
      s.openLine = false;
    }
    this.consume(fd, s, bytes);
    return s.offset - from;
  }

  private readWhole(fd: number, stat: Stats, stamp: string): ImportResult {
    const bytes = bytesAt(fd, 0, stat.size);
    this.lastRead = { kind: 'whole', bytes: bytes.length };
    this.jsonl = undefined;
    this.wholeStamp = undefined;
    const text = bytes.toString('utf8');
    const source = detectSource(this.path, text);
    if (source !== 'llamafactory-log' && source !== 'events') {
      const result = importCurves(this.path, text, source);
      this.wholeStamp = stamp;
      return result;
    }
    const s: JsonlState = { reader: jsonlReader(source), ino: stat.ino, offset: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0), openLine: false };
    this.consume(fd, s, bytes);
    const result = jsonlResult(s.reader); // throws for a file with no line of its kind: read whole again next time
    this.jsonl = s;
    return result;
  }

  /**
   * Feeds the complete lines of `bytes` (read at the state's offset) and moves the offset past them. A last line
   * without its newline is fed only when it parses as it is (a finished file's last line); else it waits.
   */
  private consume(fd: number, s: JsonlState, bytes: Buffer): void {
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    let used = lastNewline + 1;
    // Lines end at a newline byte, never inside a UTF-8 sequence: the complete part decodes on its own.
    if (used > 0) s.reader.feed(bytes.subarray(0, used).toString('utf8'));
    const rest = bytes.subarray(used).toString('utf8');
    if (rest.trim() !== '' && parses(rest)) {
      s.reader.feed(rest);
      s.reader.end();
      used = bytes.length;
      s.openLine = true;
    }
    s.offset += used;
    if (s.head.length < FINGERPRINT) s.head = bytesAt(fd, 0, Math.min(FINGERPRINT, s.offset));
    s.tail = bytesAt(fd, Math.max(0, s.offset - FINGERPRINT), Math.min(FINGERPRINT, s.offset));
  }
}

function parses(line: string): boolean {
  try {
    const v = parseJsonWithNaN(line.endsWith('\r') ? line.slice(0, -1) : line);
    return v !== null && typeof v === 'object';
  } catch {
    return false;
  }
}

function bytesAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, length));
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) return buffer.subarray(0, read);
    read += n;
  }
  return buffer;
}
