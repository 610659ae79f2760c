// `finetune-studio metrics` as users run it (the built CLI in a child process): --json equals the Python
// reference's per-sample scores and averages to 4 decimals; bad lines are reported with their numbers.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomPairs } from '../../fixtures/metrics/corpus.mjs';
import { fixturePairs, runReference } from './reference';

const dir = mkdtempSync(path.join(tmpdir(), 'metrics-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'metrics', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });

describe('finetune-studio metrics', () => {
  it('--json prints LLaMA-Factory\'s numbers for a generated_predictions.jsonl', () => {
    const pairs: [string, string][] = [...fixturePairs(), ...randomPairs(200, 42)];
    const file = path.join(dir, 'generated_predictions.jsonl');
    writeFileSync(file, pairs.map(([predict, label], i) => JSON.stringify({ prompt: `q${i}`, predict, label })).join('\n') + '\n');
    const r = cli(file, '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { samples: Record<string, number>[] };
    assert.deepEqual(Object.keys(out), ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'samples']);
    const reference = runReference({ pairs });
    assert.equal(out.samples.length, pairs.length);
    for (let i = 0; i < pairs.length; i++) {
      const expected = reference.samples[i]!;
      assert.deepEqual(out.samples[i], { 'bleu-4': expected['bleu-4'], 'rouge-1': expected['rouge-1'], 'rouge-2': expected['rouge-2'], 'rouge-l': expected['rouge-l'] }, `line ${i + 1}`);
    }
    for (const k of ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'] as const) {
      assert.equal((out[k] as number).toFixed(4), reference.mean![k].toFixed(4), k);
    }
  });

  it('reports the lines it cannot score by number, scores the rest and exits 1', () => {
    const r = cli('test/fixtures/metrics/generated_predictions.jsonl');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /generated_predictions\.jsonl:3: not valid JSON/);
    assert.match(r.stderr, /generated_predictions\.jsonl:4: "predict" must be a string \(found null\)/);
    assert.match(r.stderr, /generated_predictions\.jsonl:6: expected a JSON object/);
    assert.doesNotMatch(r.stderr, /:5:/);
    assert.match(r.stdout, /3 samples, 3 lines skipped; ROUGE words: jieba/);
    assert.match(r.stdout, /^rouge-l\s+\d+\.\d{4}\s+\d+\.\d{4}\s+\d+\.\d{4}$/m);
    const zh = cli('test/fixtures/metrics/generated_predictions.jsonl', '--locale', 'zh-cn');
    assert.match(zh.stdout, /3 个样本，跳过 3 行/);
    assert.match(zh.stderr, /:4: "predict" 必须是字符串/);
  });

  it('fails clearly on an unusable file or wrong usage', () => {
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    const r = cli(empty, '--json');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no line to score/);
    assert.equal(r.stdout, '');
    assert.equal(cli(path.join(dir, 'missing.jsonl')).status, 2);
    assert.equal(cli(dir).status, 2);
    const bad = cli(empty, '--segmentation', 'bpe');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--segmentation must be jieba, whitespace, character, not bpe/);
  });

  it('whitespace segmentation changes ROUGE, not BLEU', () => {
    const file = path.join(dir, 'ws.jsonl');
    writeFileSync(file, JSON.stringify({ predict: '我来到北京清华大学', label: '我来到 北京 清华大学' }) + '\n');
    const jieba = JSON.parse(cli(file, '--json').stdout);
    const ws = JSON.parse(cli(file, '--json', '--segmentation=whitespace').stdout);
    assert.equal(ws['bleu-4'], jieba['bleu-4']);
    assert.equal(jieba['rouge-1'], 100);
    assert.equal(ws['rouge-1'], 0);
  });
});
