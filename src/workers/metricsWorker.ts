// Worker thread that scores prediction/label pairs (BLEU-4, ROUGE-1/2/L as LLaMA-Factory computes them).
// Messages in src/shared/protocol/metricsWorker.ts. Python jieba's data is loaded on the first jieba request and kept.
import { parentPort } from 'node:worker_threads';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { MetricsWorkerRequest, type ScoreReply } from '../shared/protocol/metricsWorker';
import { averageScores, createScorer, type SampleScores, type Scorer, type Segmentation } from '../core/metrics';

if (!parentPort) throw new Error('the metrics worker must run in a worker thread');

/** Time scored between two turns of the event loop, so the worker keeps answering (and hears a cancel) while it works. */
const SLICE_MS = 10;

/** Scorings under way (by the host's number), and those of them the host cancelled. */
const running = new Set<number>();
const cancelled = new Set<number>();

const scorers = new Map<Segmentation, Promise<Scorer>>();
function scorerFor(segmentation: Segmentation): Promise<Scorer> {
  let scorer = scorers.get(segmentation);
  if (!scorer) {
    scorer = createScorer({ segmentation });
    scorers.set(segmentation, scorer);
    scorer.catch(() => scorers.delete(segmentation));
  }
  return scorer;
}

async function score(request: Extract<MetricsWorkerRequest, { type: 'score' }>): Promise<ScoreReply> {
  const { scoring } = request;
  if (scoring !== undefined) running.add(scoring);
  try {
    const scorer = await scorerFor(request.segmentation);
    const samples: SampleScores[] = [];
    let slice = performance.now();
    for (const { predict, label } of request.pairs) {
      if (performance.now() - slice > SLICE_MS) {
        await yieldToEvents();
        slice = performance.now();
      }
      if (scoring !== undefined && cancelled.has(scoring)) throw new Error('scoring cancelled');
      samples.push(scorer.score(predict, label));
    }
    return { samples, mean: samples.length > 0 ? averageScores(samples) : null };
  } finally {
    if (scoring !== undefined) {
      running.delete(scoring);
      cancelled.delete(scoring);
    }
  }
}

new RpcPeer<MetricsWorkerRequest, never>(workerPort(parentPort), MetricsWorkerRequest, async (request): Promise<ScoreReply | undefined> => {
  switch (request.type) {
    case 'score':
      return score(request);
    case 'cancel':
      // Only a scoring under way: a cancel that comes after its end has nothing to stop.
      if (running.has(request.scoring)) cancelled.add(request.scoring);
      return undefined;
  }
});
