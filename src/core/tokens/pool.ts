// A small pool of worker threads that count tokens, one model folder per pool, so templating, encoding and JSON
// parsing use every core. Each worker loads the tokenizer itself (the library's objects cannot be shared) and counts
// batches of lines; batches go to the least busy worker and results come back tagged with their line numbers.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { RpcPeer } from '../../shared/rpc';
import { workerPort } from '../workerPort';
import { CountReply, LoadReply, type TokenItem, type TokenResult, type TokenWorkerRequest } from '../../shared/protocol/tokenWorker';
import { inspectTokenizerFolder, TokenizerFolderError } from './tokenizerFolder';
import type { MessageKey } from './messages';

export interface TokenPoolOptions {
  /** The model folder (tokenizer.json + tokenizer_config.json / chat template), absolute or relative to `cwd`. */
  tokenizer: string;
  cwd?: string;
  /** Fail at start when the folder has no chat template (default true: chat samples need one). */
  requireChatTemplate?: boolean;
  /** Worker threads; default: one per core Node may use, at most 4 (each holds its own tokenizer, ~120 MB for Qwen3). */
  workers?: number;
  /** The built worker script; default `workers/tokens.js` beside the running bundle (dist/). */
  workerScript?: string;
}

/** Lines per batch, and characters: small enough to keep both workers busy, large enough to amortise messaging. */
const BATCH_ITEMS = 64;
const BATCH_CHARS = 256 * 1024;
/** Batches queued per worker, so a worker never waits for the next one. */
const IN_FLIGHT_PER_WORKER = 2;
const BATCH_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_WORKERS = 4;

interface Slot {
  worker: Worker;
  peer: RpcPeer<never, TokenWorkerRequest>;
  busy: number;
  /** Why the worker died, if it did: reported instead of the bare "connection closed". */
  failure?: Error;
}

export class TokenPool {
  private closed = false;

  private constructor(private readonly slots: Slot[], readonly model: { name: string; dir: string }) {}

  /** Checks the folder (throws TokenizerFolderError with a clear message), then starts and loads the workers. */
  static async start(options: TokenPoolOptions): Promise<TokenPool> {
    const cwd = options.cwd ?? process.cwd();
    const requireChatTemplate = options.requireChatTemplate ?? true;
    await inspectTokenizerFolder(options.tokenizer, cwd, { requireChatTemplate });
    const size = Math.max(1, options.workers ?? Math.min(DEFAULT_MAX_WORKERS, os.availableParallelism()));
    const script = options.workerScript ?? path.join(__dirname, 'workers', 'tokens.js');
    const slots = Array.from({ length: size }, () => startWorker(script));
    try {
      const loaded = await Promise.all(
        slots.map((s) => s.peer.request({ type: 'load', tokenizer: options.tokenizer, cwd, requireChatTemplate }, LoadReply, BATCH_TIMEOUT_MS)),
      );
      const first = loaded[0]!;
      if ('folderError' in first) throw new TokenizerFolderError(first.folderError.key as MessageKey, first.folderError.params);
      return new TokenPool(slots, first);
    } catch (err) {
      await Promise.all(slots.map((s) => stopWorker(s)));
      throw slots.find((s) => s.failure)?.failure ?? err;
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Counts the items; results sorted by line. */
  async count(items: readonly TokenItem[]): Promise<TokenResult[]> {
    const results: TokenResult[] = [];
    await this.countStream(items, (batch) => { for (const r of batch) results.push(r); });
    return results.sort((a, b) => a.line - b.line);
  }

  /**
   * Counts items as they arrive (e.g. lines read from a file), keeping a bounded number of batches in flight so
   * memory stays flat whatever the input size. Calls `onResults` for each finished batch, in completion order.
   */
  async countStream(items: AsyncIterable<TokenItem> | Iterable<TokenItem>, onResults: (results: TokenResult[]) => void): Promise<void> {
    const pending = new Set<Promise<void>>();
    let failure: unknown;
    const send = (batch: TokenItem[]) => {
      const p: Promise<void> = this.dispatch(batch).then(onResults, (err: unknown) => { failure ??= err; }).finally(() => pending.delete(p));
      pending.add(p);
    };
    let batch: TokenItem[] = [];
    let chars = 0;
    for await (const item of items) {
      if (failure !== undefined) break;
      batch.push(item);
      chars += 'text' in item ? item.text.length : 64;
      if (batch.length >= BATCH_ITEMS || chars >= BATCH_CHARS) {
        send(batch);
        batch = [];
        chars = 0;
        while (pending.size >= this.slots.length * IN_FLIGHT_PER_WORKER) await Promise.race(pending);
      }
    }
    if (batch.length > 0 && failure === undefined) send(batch);
    await Promise.all(pending);
    if (failure !== undefined) throw failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => stopWorker(s)));
  }

  private async dispatch(batch: TokenItem[]): Promise<TokenResult[]> {
    if (this.closed) throw new Error('the token pool is closed');
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    try {
      return (await slot.peer.request({ type: 'count', items: batch }, CountReply, BATCH_TIMEOUT_MS)).results;
    } catch (err) {
      throw slot.failure ?? err;
    } finally {
      slot.busy--;
    }
  }
}

function startWorker(script: string): Slot {
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  const peer = new RpcPeer<never, TokenWorkerRequest>(workerPort(worker), z.never(), () => undefined);
  const slot: Slot = { worker, peer, busy: 0 };
  // A worker that dies fails its pending requests instead of leaving them to time out.
  worker.on('error', (err) => {
    slot.failure ??= new Error(`token worker failed: ${err.message}`);
    peer.dispose();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && code !== 1) slot.failure ??= new Error(`token worker exited with code ${code}`);
    peer.dispose();
  });
  return slot;
}

async function stopWorker(slot: Slot): Promise<void> {
  slot.peer.dispose();
  await slot.worker.terminate();
}
