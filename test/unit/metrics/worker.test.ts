// The metrics worker (dist/workers/metrics.js) over the RPC protocol: the same scores as the in-process scorer.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import * as path from 'node:path';
import { RpcPeer } from '../../../src/shared/rpc';
import { workerPort } from '../../../src/core/workerPort';
import { ScoreReply, type MetricsWorkerRequest } from '../../../src/shared/protocol/metricsWorker';
import { averageScores, createScorer } from '../../../src/core/metrics';
import { randomPairs } from '../../fixtures/metrics/corpus.mjs';

describe('metrics worker', () => {
  const worker = new Worker(path.resolve('dist/workers/metrics.js')); // tests run from the repository root
  const peer = new RpcPeer<never, MetricsWorkerRequest>(workerPort(worker), z.never(), () => undefined);
  after(async () => {
    peer.dispose();
    await worker.terminate();
  });

  it('scores pairs in chunks and averages them, as the scorer does in process', async () => {
    const pairs = randomPairs(1200, 11).map(([predict, label]) => ({ predict, label }));
    const reply = await peer.request({ type: 'score', pairs, segmentation: 'jieba' }, ScoreReply);
    const scorer = await createScorer();
    const expected = pairs.map((p) => scorer.score(p.predict, p.label));
    assert.deepEqual(reply.samples, expected);
    assert.deepEqual(reply.mean, averageScores(expected));
  });

  it('a cancel stops only the scoring it names, between two samples; the worker goes on with the others', async () => {
    const long = randomPairs(3000, 5).map(([predict, label]) => ({ predict: predict.repeat(20), label: label.repeat(20) }));
    const cancelled = peer.request({ type: 'score', pairs: long, segmentation: 'character', scoring: 7 }, ScoreReply);
    const other = peer.request({ type: 'score', pairs: long.slice(0, 40), segmentation: 'character', scoring: 8 }, ScoreReply);
    peer.notify({ type: 'cancel', scoring: 7 });
    peer.notify({ type: 'cancel', scoring: 99 }); // none such: ignored
    await assert.rejects(cancelled, /scoring cancelled/);
    assert.equal((await other).samples.length, 40);
    // The same worker answers afterwards, and a number cancelled once is not cancelled for good.
    const again = await peer.request({ type: 'score', pairs: long.slice(0, 3), segmentation: 'character', scoring: 7 }, ScoreReply);
    assert.equal(again.samples.length, 3);
  });

  it('answers an empty request with no mean, and rejects an invalid one', async () => {
    assert.deepEqual(await peer.request({ type: 'score', pairs: [], segmentation: 'character' }, ScoreReply), { samples: [], mean: null });
    await assert.rejects(peer.request({ type: 'score', pairs: [{ predict: 1 }], segmentation: 'jieba' } as never, ScoreReply), /invalid message/);
  });
});
