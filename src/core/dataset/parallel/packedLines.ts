// Line results packed in typed arrays, to pass between threads far more cheaply than an object a line: a
// chunk of lines linted in a worker (lintLine) goes back to the thread that assembles the file. Diagnostics
// (few lines have any) travel as they are.
import type { LineResult } from '../checks/lineLinter';
import type { DatasetDiagnostic, DatasetFormat } from '../types';

const KINDS: readonly LineResult['kind'][] = ['blank', 'binary', 'invalid', 'sample'];
/** Index 0: no format. */
const FORMATS: readonly (DatasetFormat | undefined)[] = [undefined, 'openai', 'sharegpt', 'alpaca', 'prompt_completion', 'text'];

export interface PackedLines {
  count: number;
  kinds: Uint8Array;
  formats: Uint8Array;
  /** exact, full and prompt of each line, side by side. */
  hashes: Float64Array;
  lengths: Int32Array;
  /** [index of the line in the chunk, its diagnostics] for the lines that have any. */
  diagnostics: [number, DatasetDiagnostic[]][];
}

/** Lines a packer has room for at first (grows by doubling; a 1 MB chunk of tiny samples holds about 9,000). */
const INITIAL_LINES = 4096;

export class LinePacker {
  private count = 0;
  private kinds = new Uint8Array(INITIAL_LINES);
  private formats = new Uint8Array(INITIAL_LINES);
  private hashes = new Float64Array(3 * INITIAL_LINES);
  private lengths = new Int32Array(INITIAL_LINES);
  private diagnostics: [number, DatasetDiagnostic[]][] = [];

  /** Written straight into typed arrays: no array of numbers to grow and copy per chunk. */
  add(r: LineResult): void {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    if (r.diagnostics.length > 0) this.diagnostics.push([i, r.diagnostics]);
    this.kinds[i] = KINDS.indexOf(r.kind);
    this.formats[i] = FORMATS.indexOf(r.format);
    this.hashes[3 * i] = r.exact;
    this.hashes[3 * i + 1] = r.full;
    this.hashes[3 * i + 2] = r.prompt;
    this.lengths[i] = r.length;
    this.count = i + 1;
  }

  /** The lines added so far (and starts afresh); `transfer`: the buffers to hand to postMessage. */
  take(): { packed: PackedLines; transfer: ArrayBuffer[] } {
    const n = this.count;
    const packed: PackedLines = {
      count: n,
      kinds: this.kinds.slice(0, n),
      formats: this.formats.slice(0, n),
      hashes: this.hashes.slice(0, 3 * n),
      lengths: this.lengths.slice(0, n),
      diagnostics: this.diagnostics,
    };
    this.count = 0;
    this.diagnostics = [];
    return { packed, transfer: [packed.kinds.buffer, packed.formats.buffer, packed.hashes.buffer, packed.lengths.buffer] as ArrayBuffer[] };
  }

  private grow(): void {
    const n = this.kinds.length * 2;
    const kinds = new Uint8Array(n);
    const formats = new Uint8Array(n);
    const hashes = new Float64Array(3 * n);
    const lengths = new Int32Array(n);
    kinds.set(this.kinds);
    formats.set(this.formats);
    hashes.set(this.hashes);
    lengths.set(this.lengths);
    Object.assign(this, { kinds, formats, hashes, lengths });
  }
}

/**
 * Calls `each` with every line's result in order. The result object is reused from line to line: a receiver
 * must not keep it (the file assembler does not).
 */
export function unpackLines(p: PackedLines, each: (index: number, r: LineResult) => void): void {
  const none: DatasetDiagnostic[] = [];
  const r: LineResult = { kind: 'invalid', diagnostics: none, exact: 0, full: 0, prompt: 0, length: 0 };
  let next = 0;
  for (let i = 0; i < p.count; i++) {
    const withDiagnostics = p.diagnostics[next];
    if (withDiagnostics && withDiagnostics[0] === i) {
      r.diagnostics = withDiagnostics[1];
      next++;
    } else {
      r.diagnostics = none;
    }
    r.kind = KINDS[p.kinds[i]!]!;
    r.format = FORMATS[p.formats[i]!];
    r.exact = p.hashes[3 * i]!;
    r.full = p.hashes[3 * i + 1]!;
    r.prompt = p.hashes[3 * i + 2]!;
    r.length = p.lengths[i]!;
    each(i, r);
  }
}

/** What a chunk-linting worker (src/workers/lintLinesWorker.ts) is started with; it is then sent chunk numbers. */
export interface LintChunksWorkerData {
  /** The open file (descriptors are shared by a process's threads; reads give their position, so they never clash). */
  fd: number;
  fileSize: number;
  chunkBytes: number;
  /** The per-line options (lineContext); not the overlap indexes, which only the assembling thread uses. */
  options: import('../types').LintOptions;
}

/** A chunk's lines, or why it could not be read; `finalNewline` when it read to the end of the file. */
export type LintChunkReply =
  | { chunk: number; lines: PackedLines; finalNewline?: boolean }
  | { chunk: number; error: string };
