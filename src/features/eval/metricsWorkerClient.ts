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
 * The metrics worker thread (dist/workers/metrics.js: jieba, BLEU, ROUGE), started on first use and shared by every
 * scoring. Cancelling a scoring tells the worker to stop that request between two samples; the worker (with its
 * loaded dictionaries) and the other scorings go on. If the worker dies, the next request starts a fresh one.
 */
export class MetricsWorkerClient {
  private readonly worker: WorkerConnection<MetricsWorkerRequest>;
  /** Numbers the batch requests, so a cancel names the one to stop. */
  private nextScoring = 1;

  constructor(extensionPath: string, log: (line: string) => void) {
    this.worker = new WorkerConnection(extensionPath, 'metrics', log);
  }

  /**
   * Scores the pairs in batches; `progress` gets the count done so far. The mean is the average over all samples,
   * taken as the worker takes it (a batch's own mean is used only when there is one batch).
   * Rejects with ScoringCancelled as soon as `signal` aborts (the worker stops this call's batch).
   */
  async score(
    pairs: readonly { predict: string; label: string }[],
    segmentation: ScoreRequest['segmentation'],
    options: { progress?: (done: number) => void; signal?: AbortSignal } = {},
  ): Promise<ModelScores> {
    if (pairs.length === 0) throw new Error('there are no answers to score');
    const { signal } = options;
    if (signal?.aborted) throw new ScoringCancelled();
    /** The batch the worker is scoring for this call. */
    let inFlight: number | undefined;
    let onAbort = () => undefined as void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (inFlight !== undefined) this.worker.current?.notify({ type: 'cancel', scoring: inFlight });
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
        inFlight = this.nextScoring++;
        const batch = this.scoreBatch(pairs.slice(start, start + BATCH), segmentation, inFlight);
        batch.catch(() => undefined); // a cancelled batch's failure is the cancel's, already said
        const reply = await Promise.race([batch, aborted]);
        inFlight = undefined;
        samples.push(...reply.samples);
        mean = reply.mean;
        options.progress?.(samples.length);
      }
      return { samples, mean: pairs.length > BATCH || !mean ? averageScores(samples) : mean };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private scoreBatch(pairs: { predict: string; label: string }[], segmentation: ScoreRequest['segmentation'], scoring: number): Promise<ScoreReply> {
    return this.worker.connect().request({ type: 'score', pairs, segmentation, scoring }, ScoreReply, 300_000);
  }

  dispose(): void {
    this.worker.dispose();
  }
}
