// The host's client of the metrics worker (dist/workers/metrics.js, so run after `node esbuild.mjs`): batches with
// progress give the same scores and mean as one request, and a cancel stops that scoring only, never the shared worker.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MetricsWorkerClient, ScoringCancelled } from '../../../src/features/eval/metricsWorkerClient';
import { averageScores } from '../../../src/core/metrics';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const built = existsSync(path.join(root, 'dist', 'workers', 'metrics.js'));

const pairs = Array.from({ length: 1_234 }, (_, i) => ({
  predict: `速煮姜枣汤一碗，第${i % 17}日饮下，${i % 3 ? '盖被发汗' : 'rest well'}。`,
  label: `速煮一碗姜枣汤，加几段葱白，趁热饮下，第${i % 13}日即解。`,
}));

describe('metrics worker client', { skip: built ? false : 'dist/workers/metrics.js is missing: run node esbuild.mjs first' }, () => {
  const client = new MetricsWorkerClient(root, () => undefined);
  after(() => client.dispose());

  it('scores in batches with progress; the mean is the average over every sample', async () => {
    const progress: number[] = [];
    const scores = await client.score(pairs, 'jieba', { progress: (n) => progress.push(n) });
    assert.equal(scores.samples.length, pairs.length);
    assert.deepEqual(progress, [500, 1000, 1234]);
    assert.deepEqual(scores.mean, averageScores(scores.samples));
    // The same as scoring each batch's pairs alone (no state carried between batches).
    const alone = await client.score(pairs.slice(1000), 'jieba');
    assert.deepEqual(alone.samples, scores.samples.slice(1000));
    assert.ok(scores.mean['rouge-l'] > 0 && scores.mean['bleu-4'] > 0);
  });

  it('cancel rejects with ScoringCancelled and leaves the worker running: a scoring started at that moment succeeds', async () => {
    const controller = new AbortController();
    /** The shared worker's connection (private: looked at only to see that a cancel does not end it). */
    const worker = () => (client as unknown as { worker: { current: unknown } }).worker.current;
    let second: Promise<unknown> | undefined;
    const first = client.score(pairs, 'character', {
      signal: controller.signal,
      progress: () => {
        const before = worker();
        controller.abort();
        assert.ok(before && worker() === before, 'the worker was not stopped');
        second = client.score(pairs.slice(0, 3), 'whitespace');
      },
    });
    await assert.rejects(first, ScoringCancelled);
    assert.equal(((await second) as { samples: unknown[] }).samples.length, 3);
  });

  it('cancelling one scoring leaves another that runs at the same time to finish', async () => {
    const controller = new AbortController();
    const other = client.score(pairs, 'jieba');
    await assert.rejects(client.score(pairs, 'character', { signal: controller.signal, progress: () => controller.abort() }), ScoringCancelled);
    const scores = await other;
    assert.equal(scores.samples.length, pairs.length);
  });

  it('refuses an empty list instead of returning a mean of nothing', async () => {
    await assert.rejects(client.score([], 'jieba'), /no answers to score/);
  });
});
