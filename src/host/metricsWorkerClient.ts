import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import type { ModelScores } from '../core/eval/schema';
import { averageScores } from '../core/metrics';
import { ScoreReply, type MetricsWorkerRequest } from '../shared/protocol/metricsWorker';

type ScoreRequest = Extract<MetricsWorkerRequest, { type: 'score' }>;

/** Pairs per request: small enough to report progress and to stop soon after a cancel. */
const BATCH = 500;

export class ScoringCancelled extends Error {
  constructor() {
    super('scoring was cancelled');
  }
}

/**
 * The metrics worker thread (dist/workers/metrics.js: jieba, BLEU, ROUGE), started on first use. Cancelling
 * terminates it; the next request starts a fresh one.
 */
export class MetricsWorkerClient {
  private worker: Worker | undefined;
  private peer: RpcPeer<never, ScoreRequest> | undefined;

  constructor(private readonly extensionPath: string, private readonly log: (line: string) => void) {}

  /**
   * Scores the pairs in batches; `progress` gets the count done so far. The mean is the average over all samples,
   * taken as the worker takes it (a batch's own mean is used only when there is one batch).
   * Rejects with ScoringCancelled as soon as `signal` aborts (the worker is stopped).
   */
  async score(
    pairs: readonly { predict: string; label: string }[],
    segmentation: ScoreRequest['segmentation'],
    options: { progress?: (done: number) => void; signal?: AbortSignal } = {},
  ): Promise<ModelScores> {
    if (pairs.length === 0) throw new Error('there are no answers to score');
    const { signal } = options;
    if (signal?.aborted) throw new ScoringCancelled();
    let onAbort = () => undefined as void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.dispose();
        reject(new ScoringCancelled());
      };
    });
    aborted.catch(() => undefined); // settled through the race below, or never looked at
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const samples: ModelScores['samples'] = [];
      let mean: ModelScores['mean'] | null = null;
      for (let start = 0; start < pairs.length; start += BATCH) {
        if (signal?.aborted) throw new ScoringCancelled();
        const reply = await Promise.race([this.scoreBatch(pairs.slice(start, start + BATCH), segmentation), aborted]);
        samples.push(...reply.samples);
        mean = reply.mean;
        options.progress?.(samples.length);
      }
      return { samples, mean: pairs.length > BATCH || !mean ? averageScores(samples) : mean };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private scoreBatch(pairs: { predict: string; label: string }[], segmentation: ScoreRequest['segmentation']): Promise<ScoreReply> {
    return this.connect().request({ type: 'score', pairs, segmentation }, ScoreReply, 300_000);
  }

  dispose(): void {
    this.peer?.dispose();
    void this.worker?.terminate();
    this.worker = undefined;
    this.peer = undefined;
  }

  private connect(): RpcPeer<never, ScoreRequest> {
    if (this.peer) return this.peer;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'workers', 'metrics.js'), { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    const peer = new RpcPeer<never, ScoreRequest>(workerPort(worker), z.never(), () => undefined, (problem) => this.log(`metrics worker: ${problem}`));
    const reset = (reason: string) => {
      if (this.worker !== worker) return;
      this.log(`metrics worker stopped: ${reason}`);
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
