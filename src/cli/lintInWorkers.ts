// Lints a big JSONL file with worker threads: each reads, decodes and checks whole chunks of the file on its own
// (src/workers/lintLinesWorker.ts), so the per-line work is spread over the cores, while this thread puts the
// chunks back in order and runs the checks across lines (duplicates, overlaps) and the file-level ones. The
// findings are the same as reading the file in one thread: the same lines, in the same order, the same checks.
import { closeSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatasetLinter } from '../core/dataset/checks/linter';
import { unpackLines, type LintChunkReply, type LintChunksWorkerData } from '../core/dataset/parallel/packedLines';
import { chunkCount } from '../core/dataset/parallel/chunkLines';
import { openRegularFileSync } from '../core/regularFile';
import type { LintOptions } from '../core/dataset/types';

/** Chunk size: big enough that a chunk's message costs little, small enough to keep the workers evenly busy. */
const CHUNK_BYTES = 1 << 20;
const MAX_WORKERS = 4;
/** Chunks given to a worker at a time, and how far the workers may run ahead of the chunk this thread needs next. */
const IN_FLIGHT = 2;
const AHEAD = 16;
/** Each worker's young generation: more only adds memory (measured: 4 MB to 16 MB changed the run time little, the peak by 40 MB). */
const YOUNG_GENERATION_MB = 8;

export interface LintInWorkersSeams {
  script?: string;
  chunkBytes?: number;
  workers?: number;
}

/**
 * Feeds `linter` the file's lines, checked in worker threads, in order, and tells whether the file ended with a
 * line break; undefined when the workers cannot start (the caller then reads the file in this thread). `options`:
 * the linter's options (the workers take the per-line ones).
 */
export async function lintInWorkers(abs: string, fileSize: number, options: LintOptions, linter: DatasetLinter, seams: LintInWorkersSeams = {}): Promise<{ finalNewline: boolean } | undefined> {
  const script = seams.script ?? path.join(__dirname, 'workers', 'lintLines.js');
  if (!existsSync(script)) return undefined;
  const chunkBytes = seams.chunkBytes ?? CHUNK_BYTES;
  const total = chunkCount(fileSize, chunkBytes);
  const size = Math.max(1, Math.min(seams.workers ?? Math.min(MAX_WORKERS, availableParallelism()), total));
  const { overlapWith: _indexedHere, ...lineOptions } = options;
  let fd: number;
  try {
    fd = openRegularFileSync(abs);
  } catch {
    return undefined;
  }
  const data: LintChunksWorkerData = { fd, fileSize, chunkBytes, options: lineOptions };
  const workers: { worker: Worker; inFlight: number }[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push({ worker: new Worker(script, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }), inFlight: 0 });
  } catch {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    closeSync(fd);
    return undefined;
  }
  return new Promise((resolve, reject) => {
    const done = new Map<number, LintChunkReply>();
    let sent = 0;
    let applied = 0;
    let line = 0;
    let finalNewline = true;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      // The file is this thread's to close, once no worker can read it.
      void Promise.all(workers.map((w) => w.worker.terminate())).then(() => closeSync(fd));
      fn();
    };
    const pump = () => {
      for (const w of workers) {
        while (w.inFlight < IN_FLIGHT && sent < total && sent - applied < AHEAD) {
          w.inFlight++;
          w.worker.postMessage(sent++);
        }
      }
    };
    const apply = (reply: LintChunkReply) => {
      if ('error' in reply) throw new Error(reply.error);
      const first = line;
      unpackLines(reply.lines, (i, r) => linter.add(first + i, r));
      line += reply.lines.count;
      if (reply.finalNewline !== undefined) finalNewline = reply.finalNewline;
      // Size the duplicate indexes once, from the first chunk (a little high: an index that outgrows its size grows by half).
      if (reply.chunk === 0 && reply.lines.count > 0) linter.reserve(Math.ceil((1.1 * reply.lines.count * fileSize) / Math.min(chunkBytes, fileSize)));
    };
    for (const w of workers) {
      w.worker.on('message', (reply: LintChunkReply) => {
        if (settled) return;
        w.inFlight--;
        done.set(reply.chunk, reply);
        try {
          for (let next = done.get(applied); next; next = done.get(applied)) {
            done.delete(applied++);
            apply(next);
          }
        } catch (e) {
          return settle(() => reject(e));
        }
        if (applied === total) return settle(() => resolve({ finalNewline }));
        pump();
      });
      w.worker.on('error', (e) => settle(() => reject(e)));
      w.worker.on('exit', (code) => settle(() => reject(new Error(`lint worker stopped (exit code ${code})`))));
    }
    pump();
  });
}
