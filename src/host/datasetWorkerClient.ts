import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { ConvertReply, LintReply, LossRunReply, type DatasetWorkerRequest, type LintRequestOptions } from '../shared/protocol/datasetWorker';
import type { LintResult } from '../core/dataset/types';
import type { ConvertResult } from '../core/dataset/convert';
import type { LossRun } from '../shared/protocol/lossCurve';

type EditRequest = Omit<Extract<DatasetWorkerRequest, { type: 'edit' }>, 'type'>;

/**
 * The dataset worker thread, started on first use. If it dies (a crash, out of memory on a huge file)
 * pending requests fail and the next request starts a fresh one.
 */
export class DatasetWorkerClient {
  private worker: Worker | undefined;
  private peer: RpcPeer<never, DatasetWorkerRequest> | undefined;

  constructor(private readonly extensionPath: string, private readonly log: (line: string) => void) {}

  /** Lints a document's whole text; the worker keeps it for the edits that follow. */
  async lint(uri: string, version: number, text: string, options: LintRequestOptions): Promise<LintResult> {
    const reply = await this.connect().request({ type: 'lint', uri, version, text, options }, LintReply, 120_000);
    if ('stale' in reply) throw new Error('the dataset worker answered a full lint as stale');
    return reply;
  }

  /** Lints after replacing some lines of the version the worker has; `stale` when it has another one. */
  edit(edit: EditRequest): Promise<LintResult | { stale: true }> {
    return this.connect().request({ type: 'edit', ...edit }, LintReply, 120_000);
  }

  /** ShareGPT / Alpaca text → OpenAI messages JSONL. */
  convert(text: string, locale: 'en' | 'zh-cn', fileName: string): Promise<ConvertResult> {
    return this.connect().request({ type: 'convert', text, locale, fileName }, ConvertReply, 120_000);
  }

  /** Reads, imports and diagnoses a training log; rejects with the reason it is not one. */
  lossRun(path: string, displayName: string, locale: 'en' | 'zh-cn'): Promise<LossRun> {
    return this.connect().request({ type: 'lossRun', path, displayName, locale }, LossRunReply, 120_000);
  }

  /** A training log's curves as CSV. */
  lossCsv(path: string): Promise<string> {
    return this.connect().request({ type: 'lossCsv', path }, z.string(), 120_000);
  }

  forget(uri: string): void {
    this.peer?.notify({ type: 'forget', uri });
  }

  dispose(): void {
    this.peer?.dispose();
    void this.worker?.terminate();
    this.worker = undefined;
    this.peer = undefined;
  }

  private connect(): RpcPeer<never, DatasetWorkerRequest> {
    if (this.peer) return this.peer;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'workers', 'dataset.js'), {
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const peer = new RpcPeer<never, DatasetWorkerRequest>(
      workerPort(worker),
      z.never(),
      () => undefined,
      (problem) => this.log(`dataset worker: ${problem}`),
    );
    const reset = (reason: string) => {
      if (this.worker !== worker) return;
      this.log(`dataset worker stopped: ${reason}`);
      this.worker = undefined;
      this.peer = undefined;
      peer.dispose();
    };
    worker.on('error', (err) => reset(err.message));
    worker.on('exit', (code) => reset(`exit code ${code}`));
    this.worker = worker;
    this.peer = peer;
    return peer;
  }
}
