import { WorkerConnection } from '../../platform/workerConnection';
import type { ModelScores } from '../../core/eval/schema';
import { averageScores } from '../../core/metrics';
import { ScoreReply, type MetricsWorkerRequest } from '../../shared/protocol/metricsWorker';

type ScoreRequest = Extract<MetricsWorkerRequest, { type: 'score' }>;

/** Pairs per request: small enough to report progress and to stop soon after a cancel. */
const BATCH = 500;

export class ScoringCancelled extends Error {
  constructor() {
    super('scoring was cancelled');
  }
}

/**
 * The metrics worker thread (dist/workers/metrics.js: jieba, BLEU, ROUGE), started on first use. Cancelling a
 * scoring stops it at once by terminating the worker when no other scoring uses it; otherwise the cancelled one
 * just stops after its current batch, and the others go on. The next request after a termination starts a fresh one.
 */
export class MetricsWorkerClient {
  private readonly worker: WorkerConnection<ScoreRequest>;
  /** Scorings in progress: a cancel may terminate the shared worker only when it is the last one. */
  private active = 0;

  constructor(extensionPath: string, log: (line: string) => void) {
    this.worker = new WorkerConnection(extensionPath, 'metrics', log);
  }

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
        if (this.active === 1) this.dispose();
        reject(new ScoringCancelled());
      };
    });
    aborted.catch(() => undefined); // settled through the race below, or never looked at
    signal?.addEventListener('abort', onAbort, { once: true });
    this.active++;
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
      this.active--;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private scoreBatch(pairs: { predict: string; label: string }[], segmentation: ScoreRequest['segmentation']): Promise<ScoreReply> {
    return this.worker.connect().request({ type: 'score', pairs, segmentation }, ScoreReply, 300_000);
  }

  dispose(): void {
    this.worker.dispose();
  }
}
