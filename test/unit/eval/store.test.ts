import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../src/core/safeFiles';
import {
  EvalRunFiles, EVALS_DIR, answeredByIndex, buildDetail, createEvalRun, listEvalRuns, modelIdFor, newEvalId, readStoredPredictions,
  type ScoresFile,
} from '../../../src/core/eval';

const tmp = () => mkdtemp(path.join(tmpdir(), 'ft-eval-'));
const s = (v: number) => ({ 'bleu-4': v, 'rouge-1': v, 'rouge-2': v, 'rouge-l': v, rouge: { 'rouge-1': { f: v, p: v, r: v }, 'rouge-2': { f: v, p: v, r: v }, 'rouge-l': { f: v, p: v, r: v } } });

describe('eval run storage', () => {
  it('makes sortable ids and file-safe, unique model ids', () => {
    assert.equal(newEvalId(new Date('2026-11-25T02:06:07Z'), () => 0.5), '20261125-020607-8000');
    assert.equal(modelIdFor('Qwen3 0.6B / wuxia', []), 'Qwen3-0.6B-wuxia');
    assert.equal(modelIdFor('妙手', []), 'model');
    assert.equal(modelIdFor('base', ['base', 'base-2']), 'base-3');
  });

  it('writes eval.json, predictions and scores.json, and reads them back and lists the run', async () => {
    const ws = await tmp();
    const { files, meta } = await createEvalRun(ws, {
      segmentation: 'jieba', testSet: 'eval.jsonl', sampleLines: [0, 2],
      models: [
        { id: 'base', name: 'Base', kind: 'base', source: 'a.jsonl', status: 'done', isBase: true },
        { id: 'tuned', name: 'Tuned', kind: 'imported', source: 'b.jsonl', status: 'done', isBase: false },
      ],
    }, new Date('2026-11-25T00:00:00Z'));
    assert.ok(files.dir.startsWith(path.join(ws, EVALS_DIR)));
    await files.writePredictions(meta.models[0]!, [{ index: 0, prompt: 'p0', predict: 'a', label: 'x' }, { index: 1, prompt: 'p1', predict: '<img src=x onerror=alert(1)>', label: 'y' }]);
    await files.writePredictions(meta.models[1]!, [{ index: 1, prompt: 'p1', predict: 'y', label: 'y' }]);
    const scores: ScoresFile = { version: 1, segmentation: 'jieba', models: { base: { samples: [s(10), s(20)], mean: s(15) }, tuned: { samples: [s(100)], mean: s(100) } } };
    await files.writeScores(scores);

    const again = new EvalRunFiles(files.dir);
    const readMeta = await again.readMeta();
    assert.deepEqual(readMeta, meta);
    assert.deepEqual(await again.readScores(), scores);
    const predictions = await again.readPredictions(readMeta);
    assert.equal(predictions.get('base')!.length, 2);
    // The stored lines are LLaMA-Factory's generated_predictions.jsonl lines, with the sample index added.
    const firstLine = JSON.parse((await readFile(again.predictionsFile({ id: 'base' }), 'utf8')).split('\n')[0]!);
    assert.deepEqual(Object.keys(firstLine).sort(), ['index', 'label', 'predict', 'prompt']);

    const detail = buildDetail(readMeta, predictions, scores, 'title');
    assert.equal(detail.rows.length, 2);
    assert.deepEqual(detail.rows[1], {
      index: 1, line: 2, prompt: 'p1', label: 'y',
      answers: [{ text: '<img src=x onerror=alert(1)>', scores: [20, 20, 20, 20] }, { text: 'y', scores: [100, 100, 100, 100] }],
    });
    assert.deepEqual(detail.rows[0]!.answers[1], null, 'the tuned model has no answer for sample 0');
    assert.deepEqual(detail.models.map((m) => [m.id, m.isBase, m.mean]), [['base', true, [15, 15, 15, 15]], ['tuned', false, [100, 100, 100, 100]]]);

    const { runs, broken } = await listEvalRuns(ws);
    assert.deepEqual(runs.map((r) => r.meta.id), [meta.id]);
    assert.deepEqual(broken, []);
  });

  it('reports a broken eval.json with the file and the field, and lists the others', async () => {
    const ws = await tmp();
    await createEvalRun(ws, { segmentation: 'jieba', models: [] });
    await mkdir(path.join(ws, EVALS_DIR, 'bad'), { recursive: true });
    await writeFile(path.join(ws, EVALS_DIR, 'bad', 'eval.json'), JSON.stringify({ version: 1, id: 'bad', created: 'x', models: [{ id: '../escape', name: 'n', kind: 'base', source: '', status: 'done' }] }));
    const { runs, broken } = await listEvalRuns(ws);
    assert.equal(runs.length, 1);
    assert.equal(broken.length, 1);
    assert.match(broken[0]!.reason, /bad[\\/]eval\.json: models\.0\.id/);
    await assert.rejects(new EvalRunFiles(path.join(ws, EVALS_DIR, 'bad')).readMeta(), /models\.0\.id/);
  });

  it('writes atomically: no temp file is left and a reader sees the old or the new content', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'sub', 'x.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    assert.equal(await readFile(file, 'utf8'), 'two');
    assert.deepEqual(await readdir(path.join(dir, 'sub')), ['x.json']);
    await assert.rejects(writeFileAtomic(path.join(dir, 'sub', 'x.json', 'nested'), 'z'));
    assert.deepEqual(await readdir(path.join(dir, 'sub')), ['x.json'], 'a failed write leaves no temp file');
  });

  it('reads stored predictions in order, skipping a line cut short, and keeps the last answer per index', () => {
    const text = [
      JSON.stringify({ prompt: 'a', predict: 'A', label: 'x', index: 3 }),
      JSON.stringify({ prompt: 'b', predict: 'B', label: 'y' }),
      '{"prompt": "c", "predict": "C", "lab',
      JSON.stringify({ prompt: 'a', predict: 'A2', label: 'x', index: 3 }),
    ].join('\n');
    assert.deepEqual(readStoredPredictions(text).map((r) => [r.index, r.predict]), [[3, 'A'], [1, 'B'], [3, 'A2']]);
    assert.deepEqual([...answeredByIndex(text)].map(([i, r]) => [i, r.predict]), [[3, 'A2'], [1, 'B']]);
  });
});
