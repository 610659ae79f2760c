// The Models view reads the eval runs a job.json lists: that file is untrusted, so it must not steer reads elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readableEvalDirs } from '../../../src/core/models/evalScores';

test('only eval folders directly under the workspace\'s .finetune/evals are read, each once', () => {
  const root = path.resolve('/ws');
  const evals = path.join(root, '.finetune', 'evals');
  assert.deepEqual(readableEvalDirs(root, [
    path.join(evals, 'a'),
    '.finetune/evals/b',
    path.join(evals, 'a'),
    '/etc',
    path.join(evals, '..', '..', 'secrets'),
    '.finetune/evals/../jobs/x',
    path.join(evals, 'a', 'nested'),
    evals,
    '/other/.finetune/evals/c',
  ]), [path.join(evals, 'a'), path.join(evals, 'b')]);
});
