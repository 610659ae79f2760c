// The eval view's pure parts for issue 16: a model added to an existing run, a system prompt shared by every sample
// shown once, and the messages for both.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  alignmentOf, buildDetail, createEvalRun, readStoredPredictions, sharedPromptPrefix, summariseRun, withAddedModel, withoutShared,
  type EvalRunMeta, type StoredPrediction,
} from '../../../src/core/eval';
import { EvalDetail, EvalDetailWebviewMessage, evalDetailStringKeys } from '../../../src/shared/protocol/evalDetail';

const SYSTEM = '你是一位医术高明的江湖郎中，人称“妙手先生”，行走江湖四十余载。请用武侠小说的口吻回答求医者的问题。';
const lf = (q: string) => `system\n${SYSTEM}\nuser\n${q}\nassistant\n`;
const ours = (q: string) => `system\n${SYSTEM}\n\nuser\n${q}`;
const row = (index: number, prompt: string, label = `ref ${index}`, predict = `ans ${index}`): StoredPrediction => ({ index, prompt, predict, label });

describe('a system prompt shared by every sample', () => {
  it('is found in LLaMA-Factory prompts, without the user header that follows it', () => {
    const prompts = [lf('赶夜路吹了冷风怎么办？'), lf('赶路脚上起了水泡'), lf('失眠多梦')];
    const shared = sharedPromptPrefix(prompts);
    assert.equal(shared, `system\n${SYSTEM}\n`);
    assert.equal(withoutShared(prompts[0]!, shared), 'user\n赶夜路吹了冷风怎么办？\nassistant\n');
  });

  it('is found in our own prompts (turns a paragraph apart), and the blank line after it goes', () => {
    const shared = sharedPromptPrefix([ours('一'), ours('二')]);
    assert.equal(withoutShared(ours('一'), shared), 'user\n一');
  });

  it('is none when the prompts share little, or there is one prompt', () => {
    assert.equal(sharedPromptPrefix(['user\nWhat is 2+2?', 'user\nWhat is the capital of France?']), undefined);
    assert.equal(sharedPromptPrefix([lf('a')]), undefined);
    assert.equal(sharedPromptPrefix([lf('a'), 'user\nno system prompt here']), undefined);
  });

  it('is found in the example\'s predictions (LLaMA-Factory\'s own file)', () => {
    const rows = readStoredPredictions(readFileSync('examples/wuxia-doctor/predictions/qwen3-0.6b-base/generated_predictions.jsonl', 'utf8'));
    const shared = sharedPromptPrefix(rows.map((r) => r.prompt));
    assert.match(shared ?? '', /^system\n.*妙手先生/);
    assert.ok(rows.every((r) => withoutShared(r.prompt, shared).startsWith('user\n')));
  });

  it('buildDetail shows it once and takes it out of every row', () => {
    const meta: EvalRunMeta = { version: 1, id: 'r', created: '2026-12-07T00:00:00Z', segmentation: 'jieba', models: [{ id: 'a', name: 'A', kind: 'imported', source: '', status: 'done', isBase: false }] };
    const detail = buildDetail(meta, new Map([['a', [row(0, lf('问一')), row(1, lf('问二'))]]]), undefined, 'A');
    assert.equal(detail.sharedPrompt, `system\n${SYSTEM}`);
    assert.deepEqual(detail.rows.map((r) => r.prompt), ['user\n问一\nassistant\n', 'user\n问二\nassistant\n']);
    assert.ok(EvalDetail.safeParse(detail).success);
  });
});

describe('adding a model to an eval run', () => {
  const base = { id: 'base', name: 'Base', kind: 'base' as const, source: 'b.jsonl', status: 'done' as const, isBase: true };

  it('appends it with an id of its own, as an imported model; the base stays the base', () => {
    const meta: EvalRunMeta = { version: 1, id: 'r', created: 'x', segmentation: 'jieba', models: [base] };
    const first = withAddedModel(meta, { name: 'base', source: 'saves/x/generated_predictions.jsonl' });
    assert.equal(first.model.id, 'base-2');
    assert.equal(first.model.kind, 'imported');
    assert.equal(first.model.isBase, false);
    assert.deepEqual(first.meta.models.map((m) => m.id), ['base', 'base-2']);
    assert.equal(meta.models.length, 1, 'the meta it was given is unchanged');
    const second = withAddedModel(first.meta, { name: 'qwen3 wuxia', source: 'y' });
    assert.equal(second.model.id, 'qwen3-wuxia');
  });

  it('its scores get deltas against the run\'s base like the others', () => {
    const meta: EvalRunMeta = { version: 1, id: 'r', created: 'x', segmentation: 'jieba', models: [base] };
    const { meta: next, model } = withAddedModel(meta, { name: 'tuned', source: 'y' });
    const m = (v: number) => ({ 'bleu-4': v, 'rouge-1': v, 'rouge-2': v, 'rouge-l': v, rouge: { 'rouge-1': { f: v, p: 0, r: 0 }, 'rouge-2': { f: v, p: 0, r: 0 }, 'rouge-l': { f: v, p: 0, r: 0 } } });
    const summary = summariseRun(next, { version: 1, segmentation: 'jieba', models: { base: { samples: [], mean: m(10) }, [model.id]: { samples: [], mean: m(25) } } });
    assert.deepEqual(summary.find((s) => s.modelId === model.id)?.delta, { 'bleu-4': 15, 'rouge-1': 15, 'rouge-2': 15, 'rouge-l': 15 });
  });

  it('tells apart answers to the run\'s samples, to new samples, and to other questions', () => {
    const run = new Map([['base', [row(0, 'p0', 'A'), row(1, 'p1', 'B')]]]);
    assert.deepEqual(alignmentOf(run, [row(0, 'p0', 'A '), row(1, 'p1', 'B')]), { total: 2, newSamples: 0, otherReference: 0 });
    assert.deepEqual(alignmentOf(run, [row(0, 'p0', 'X'), row(1, 'p1', 'B'), row(2, 'p2', 'C')]), { total: 3, newSamples: 1, otherReference: 1 });
  });

  it('the stored run reads back with the added model (eval.json stays valid)', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'ft-addmodel-'));
    const { files, meta } = await createEvalRun(ws, { segmentation: 'jieba', models: [base] });
    await files.writePredictions(base, [row(0, 'p0')]);
    const { meta: next, model } = withAddedModel(meta, { name: 'tuned', source: 'y.jsonl' });
    await files.writePredictions(model, [row(0, 'p0', 'ref 0', 'better')]);
    await files.writeMeta(next);
    const again = await files.readMeta();
    const detail = buildDetail(again, await files.readPredictions(again), undefined, 't');
    assert.deepEqual(detail.rows[0]!.answers.map((a) => a?.text), ['ans 0', 'better']);
  });

  it('the page can ask for it, and has its button label and the shared-prompt label', () => {
    assert.ok(EvalDetailWebviewMessage.safeParse({ type: 'addModel' }).success);
    assert.ok((evalDetailStringKeys as readonly string[]).includes('addModel'));
    assert.ok((evalDetailStringKeys as readonly string[]).includes('sharedPrompt'));
  });
});
