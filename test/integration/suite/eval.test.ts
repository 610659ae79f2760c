// Evaluation in a real VS Code: Import Predictions end to end (files written, scores equal to the metrics core's
// own numbers computed here, the detail panel open with every sample), and Evaluate Endpoint against a local
// OpenAI-compatible server written below (no real model server exists here): cancel mid-way, then resume.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import * as http from 'node:http';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { closeAllEditors, workspaceRoot } from './util';
import { EvalRunFiles, readStoredPredictions } from '../../../src/core/eval';
import { createScorer, averageScores } from '../../../src/core/metrics';
import type { EvalDetailPanel } from '../../../src/features/eval/detailPanel';
import type { EvalComparePanel } from '../../../src/features/eval/comparePanel';

const predictions = (model: string) => path.join(workspaceRoot(), 'predictions', model, 'generated_predictions.jsonl');

describe('evaluation', () => {
  const created: string[] = [];
  afterEach(async () => {
    await closeAllEditors();
    for (const dir of created.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  it('imports predictions: stores the run, scores it as the metrics core does, opens the detail view', async function () {
    this.timeout(60_000);
    // A third file with a broken line and a line without a label (reported and left out), and a line of ours that
    // says which sample it answers (Evaluate Endpoint's files, whose answers arrive out of order).
    const broken = path.join(workspaceRoot(), 'predictions', 'broken.jsonl');
    const good = (await fs.readFile(predictions('qwen3-0.6b-base'), 'utf8')).trim().split('\n');
    const ours = JSON.stringify({ ...JSON.parse(good[9]!), index: 9 });
    await fs.writeFile(broken, [good[0], '{"prompt": "x", "predict": "cut sho', '{"prompt": "y", "predict": "no label"}', good[3], ours].join('\n') + '\n');
    const result = await vscode.commands.executeCommand<{ dir: string; panel: EvalDetailPanel }>('finetune.importPredictions', {
      files: [
        { path: predictions('qwen3-0.6b-base'), name: 'Qwen3 base', base: true },
        { path: predictions('qwen3-0.6b-wuxia-lora'), name: 'Qwen3 wuxia LoRA' },
        { path: broken, name: 'broken' },
      ],
      testSet: path.join(workspaceRoot(), 'eval.jsonl'),
    });
    assert.ok(result, 'the command returns the run');
    created.push(result.dir, broken);
    assert.equal(path.dirname(result.dir), path.join(workspaceRoot(), '.finetune', 'evals'));
    const files = new EvalRunFiles(result.dir);
    const meta = await files.readMeta();
    assert.deepEqual(meta.models.map((m) => [m.id, m.name, m.kind, m.isBase]), [
      ['Qwen3-base', 'Qwen3 base', 'base', true], ['Qwen3-wuxia-LoRA', 'Qwen3 wuxia LoRA', 'imported', false], ['broken', 'broken', 'imported', false],
    ]);
    assert.equal(meta.testSet, 'eval.jsonl');
    assert.deepEqual(meta.sampleLines, Array.from({ length: 15 }, (_, i) => i));
    const stored = await files.readPredictions(meta);
    assert.deepEqual(stored.get('broken')!.map((r) => r.index), [0, 3, 9], 'the good lines keep their sample index');

    // Scores equal to the metrics core's, computed here in the test's own process.
    const scores = await files.readScores();
    assert.ok(scores, 'scores.json was written');
    const scorer = await createScorer({ segmentation: 'jieba' });
    for (const model of ['qwen3-0.6b-base', 'qwen3-0.6b-wuxia-lora']) {
      const id = model.endsWith('base') ? 'Qwen3-base' : 'Qwen3-wuxia-LoRA';
      const rows = readStoredPredictions(await fs.readFile(predictions(model), 'utf8'));
      const expected = rows.map((r) => scorer.score(r.predict, r.label));
      assert.deepEqual(scores.models[id]!.samples, expected, `${id}: per-sample scores`);
      assert.deepEqual(scores.models[id]!.mean, averageScores(expected), `${id}: mean`);
    }
    // The fine-tuned model speaks the doctor's voice: closer to the references than the base.
    assert.ok(scores.models['Qwen3-wuxia-LoRA']!.mean['rouge-l'] > scores.models['Qwen3-base']!.mean['rouge-l']);

    const panel = result.panel;
    await panel.ready;
    const last = panel.last;
    assert.ok(last && 'detail' in last, `detail: ${JSON.stringify(last)}`);
    assert.equal(last.detail.rows.length, 15);
    assert.equal(last.detail.rows[4]!.line, 4);
    assert.equal(last.detail.rows[1]!.answers[2], null, 'the broken file has no answer for sample 1');

    // Jump to a sample's line in the test set.
    await panel.revealSample(14);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor && path.basename(editor.document.uri.fsPath), 'eval.jsonl');
    assert.equal(editor!.selection.active.line, 14);

    // Scored again with ROUGE on characters (the select in the view's toolbar).
    await panel.rescore('character');
    const rescored = await files.readScores();
    assert.equal(rescored?.segmentation, 'character');
    assert.equal((await files.readMeta()).segmentation, 'character');
    const byCharacter = await createScorer({ segmentation: 'character' });
    const first = stored.get('Qwen3-base')![0]!;
    assert.deepEqual(rescored!.models['Qwen3-base']!.samples[0], byCharacter.score(first.predict, first.label));
    const shown = panel.last;
    assert.ok(shown && 'detail' in shown && shown.detail.segmentation === 'character', 'the view shows the new scores');

    // The comparison of the run's models, with deltas against the base.
    const compare = await vscode.commands.executeCommand<EvalComparePanel>('finetune.compareEvaluations', [result.dir]);
    await compare.ready;
    const runs = compare.last!.runs;
    assert.equal(runs[0]!.models.length, 3);
    const tuned = runs[0]!.models[1]!;
    assert.ok(tuned.delta && tuned.delta['rouge-l'] > 0, JSON.stringify(tuned));
  });

  it('adds a model to an existing run: stored, scored, shown with its deltas; the shared system prompt shown once', async function () {
    this.timeout(60_000);
    const imported = await vscode.commands.executeCommand<{ dir: string; panel: EvalDetailPanel }>('finetune.importPredictions', {
      files: [{ path: predictions('qwen3-0.6b-base'), name: 'Qwen3 base', base: true }],
      testSet: path.join(workspaceRoot(), 'eval.jsonl'),
    });
    created.push(imported.dir);
    const panel = await vscode.commands.executeCommand<EvalDetailPanel | undefined>('finetune.addModelToEvaluation', imported.dir, [
      { path: predictions('qwen3-0.6b-wuxia-lora'), name: 'Qwen3 wuxia LoRA' },
    ]);
    assert.ok(panel, 'the command shows the run');
    assert.equal(panel, imported.panel, 'in the panel already open for it');
    const files = new EvalRunFiles(imported.dir);
    const meta = await files.readMeta();
    assert.deepEqual(meta.models.map((m) => [m.id, m.kind, m.isBase]), [['Qwen3-base', 'base', true], ['Qwen3-wuxia-LoRA', 'imported', false]]);
    assert.equal(meta.models[1]!.source, 'predictions/qwen3-0.6b-wuxia-lora/generated_predictions.jsonl');
    const scores = await files.readScores();
    assert.equal(scores?.models['Qwen3-wuxia-LoRA']?.samples.length, 15, 'the added model is scored');
    await panel.ready;
    // The page gets the run again (the command shows the open panel, which reloads it).
    for (let i = 0; i < 50 && !(panel.last && 'detail' in panel.last && panel.last.detail.models.length === 2); i++) await new Promise((r) => setTimeout(r, 100));
    const last = panel.last;
    assert.ok(last && 'detail' in last, JSON.stringify(last));
    assert.deepEqual(last.detail.models.map((m) => m.name), ['Qwen3 base', 'Qwen3 wuxia LoRA']);
    assert.ok(last.detail.models[1]!.mean && last.detail.models[0]!.mean, 'both have mean scores, so the view shows deltas');
    assert.equal(panel.panel.title, 'Evaluation: Qwen3 base · Qwen3 wuxia LoRA', 'the tab names the models, not the run id');
    // Every example prompt starts with the same system prompt: shown once, not in every row.
    assert.match(last.detail.sharedPrompt ?? '', /妙手先生/);
    assert.ok(last.detail.rows.every((r) => !r.prompt.includes('妙手先生')), 'the rows hold only what follows it');
  });

  it('evaluates an OpenAI-compatible endpoint, stops on cancel and resumes where it stopped', async function () {
    this.timeout(60_000);
    const seen: number[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const request = JSON.parse(body) as { messages: { role: string; content: string }[]; temperature: number };
        const question = request.messages.at(-1)!.content;
        seen.push(request.temperature);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `答：${question}` } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const request = { testSet: path.join(workspaceRoot(), 'eval.jsonl'), baseUrl, model: 'local-test', concurrency: 1 };
      const first = await vscode.commands.executeCommand<{ dir: string; status: string }>('finetune.evaluateEndpoint', { ...request, cancelAfter: 5 });
      created.push(first.dir);
      assert.equal(first.status, 'cancelled');
      const files = new EvalRunFiles(first.dir);
      const partial = readStoredPredictions(await fs.readFile(files.predictionsFile({ id: 'endpoint' }), 'utf8'));
      assert.ok(partial.length >= 5 && partial.length < 15, `answers kept after the cancel: ${partial.length}`);
      const asked = seen.length;

      const second = await vscode.commands.executeCommand<{ dir: string; status: string }>('finetune.evaluateEndpoint', { ...request, resume: first.dir });
      assert.equal(second.status, 'done');
      assert.equal(seen.length - asked, 15 - partial.length, 'the resumed run asks only the samples not yet answered');
      assert.ok(seen.every((t) => t === 0), 'temperature 0');
      const rows = readStoredPredictions(await fs.readFile(files.predictionsFile({ id: 'endpoint' }), 'utf8'));
      assert.deepEqual(rows.map((r) => r.index), Array.from({ length: 15 }, (_, i) => i), 'every sample once, in order');
      assert.match(rows[14]!.predict, /^答：能伸能弯/);
      const scores = await files.readScores();
      assert.equal(scores?.models['endpoint']?.samples.length, 15);
      assert.equal((await files.readMeta()).models[0]!.status, 'done');
    } finally {
      server.close();
    }
  });
});
