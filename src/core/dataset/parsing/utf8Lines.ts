// Splits a byte stream into lines and decodes them as UTF-8, so a caller can stream a file of any
// size: whole blocks of complete lines are decoded at once (fast), and only a block that is not valid
// UTF-8 is decoded line by line, to say which lines are broken. A BOM is kept (the linter reports it).
// Pure (TextDecoder is a web API): the CLI feeds it chunks from a file stream, or from its own chunk of a big
// file in each worker thread (parallel/chunkLines.ts).
import type { LineDecodeInfo } from '../checks/lineLinter';

export type LineSink = (text: string, line: number, decode?: LineDecodeInfo) => void;

/** Lines longer than this are not decoded (a JS string holds at most about 512 M characters). */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

export class Utf8LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The unfinished line is over the limit: only its size is being counted. */
  private oversized = false;
  private line = 0;
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });

  /** `maxLineBytes` defaults to MAX_LINE_BYTES (written out: the class must not refer outside itself). */
  constructor(private readonly sink: LineSink, private readonly maxLineBytes = 256 * 1024 * 1024) {}

  push(chunk: Uint8Array): void {
    let from = 0;
    if (this.oversized) {
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        this.pendingBytes += chunk.length;
        return;
      }
      this.sink('', this.line++, { tooLongBytes: this.pendingBytes + nl });
      this.oversized = false;
      this.pendingBytes = 0;
      from = nl + 1;
    }
    const lastBreak = chunk.lastIndexOf(0x0a);
    if (lastBreak < from) return this.hold(chunk.subarray(from));
    if (this.pending.length > 0) {
      // Finish the line begun in earlier chunks on its own, so the rest of this chunk is not copied.
      const firstBreak = chunk.indexOf(0x0a, from);
      this.emitBlock(this.concat([...this.pending, chunk.subarray(from, firstBreak + 1)]));
      this.pending = [];
      this.pendingBytes = 0;
      from = firstBreak + 1;
    }
    if (from <= lastBreak) this.emitBlock(chunk.subarray(from, lastBreak + 1));
    if (lastBreak + 1 < chunk.length) this.hold(chunk.subarray(lastBreak + 1));
  }

  /** Emits the last line if it had no line break; tells whether the text ended with one. */
  end(): { finalNewline: boolean } {
    if (this.pendingBytes === 0) return { finalNewline: true };
    if (this.oversized) this.sink('', this.line++, { tooLongBytes: this.pendingBytes });
    else this.emitLine(this.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    this.oversized = false;
    return { finalNewline: false };
  }

  /** Keeps the start of an unfinished line; past the limit only its size is kept. */
  private hold(bytes: Uint8Array): void {
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.maxLineBytes) {
      this.oversized = true;
      this.pending = [];
    } else {
      this.pending.push(bytes);
    }
  }

  /** A block of whole lines, each ending with \n. */
  private emitBlock(block: Uint8Array): void {
    if (block.length > this.maxLineBytes) return this.emitByLine(block);
    let text: string;
    try {
      text = this.fatal.decode(block);
    } catch {
      return this.emitByLine(block);
    }
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    // One native search per block spares every line a search for U+FFFD. In the decoded text: in the bytes (EF BF
    // BD) every full-width character (EF ..) stopped the search, and Chinese text is full of them.
    const noReplacementChar = text.indexOf('\ufffd') === -1;
    let start = 0;
    let byteStart = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const byteEnd = block.indexOf(0x0a, byteStart);
      const rawHash = this.hashBytes(block, view, byteStart, block[byteEnd - 1] === 0x0d ? byteEnd - 1 : byteEnd);
      this.sink(text.slice(start, nl), this.line++, { rawHash, noReplacementChar });
      start = nl + 1;
      byteStart = byteEnd + 1;
    }
  }

  /** Decodes line by line, so invalid UTF-8 is reported on the line that has it. */
  private emitByLine(block: Uint8Array): void {
    let start = 0;
    for (let nl = block.indexOf(0x0a); nl !== -1; nl = block.indexOf(0x0a, start)) {
      this.emitLine(block.subarray(start, nl));
      start = nl + 1;
    }
  }

  private emitLine(bytes: Uint8Array): void {
    const line = this.line++;
    if (bytes.length > this.maxLineBytes) return this.sink('', line, { tooLongBytes: bytes.length });
    const end = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const rawHash = this.hashBytes(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, end);
    try {
      this.sink(this.fatal.decode(bytes), line, { rawHash });
    } catch {
      this.sink(this.lenient.decode(bytes), line, { invalidUtf8: true, rawHash });
    }
  }

  /** A 32-bit hash of bytes [start, end), four bytes a step (for exact duplicates; see LineDecodeInfo.rawHash). */
  private hashBytes(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    let h = 0x9747b28c ^ (end - start);
    let i = start;
    for (; i + 4 <= end; i += 4) {
      h = Math.imul(h ^ view.getInt32(i, true), 0x5bd1e995);
      h ^= h >>> 15;
    }
    for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x5bd1e995);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private concat(parts: Uint8Array[]): Uint8Array {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
