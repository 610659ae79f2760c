// Worker thread that scores prediction/label pairs (BLEU-4, ROUGE-1/2/L as LLaMA-Factory computes them).
// Messages in src/shared/protocol/metricsWorker.ts. Python jieba's data is loaded on the first jieba request and kept.
import { parentPort } from 'node:worker_threads';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { MetricsWorkerRequest, type ScoreReply } from '../shared/protocol/metricsWorker';
import { averageScores, createScorer, type SampleScores, type Scorer, type Segmentation } from '../core/metrics';

if (!parentPort) throw new Error('the metrics worker must run in a worker thread');

/** Pairs scored between two turns of the event loop, so the worker keeps answering while it works. */
const CHUNK = 500;

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

new RpcPeer<MetricsWorkerRequest, never>(workerPort(parentPort), MetricsWorkerRequest, async (request): Promise<ScoreReply> => {
  switch (request.type) {
    case 'score': {
      const scorer = await scorerFor(request.segmentation);
      const samples: SampleScores[] = [];
      for (let i = 0; i < request.pairs.length; i += CHUNK) {
        if (i > 0) await yieldToEvents();
        for (const { predict, label } of request.pairs.slice(i, i + CHUNK)) samples.push(scorer.score(predict, label));
      }
      return { samples, mean: samples.length > 0 ? averageScores(samples) : null };
    }
  }
});
