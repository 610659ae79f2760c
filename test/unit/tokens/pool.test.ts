// The worker pool gives exactly what single-threaded counting gives, on both cores.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TokenPool } from '../../../src/core/tokens/pool';
import { countBatch } from '../../../src/core/tokens/batch';
import { TokenizerFolderError } from '../../../src/core/tokens/tokenizerFolder';
import { load, modelDir, workerScript } from './helpers';
import { mixedDataset } from './dataset';

describe('token pool', () => {
  const pools: TokenPool[] = [];
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('two workers count a mixed dataset exactly as one thread does, in line order', async () => {
    const { lines, notJson, notCounted } = mixedDataset(8);
    const items = lines.map((text, i) => ({ line: i + 1, text })).filter((item) => item.text.trim() !== '');
    const pool = await TokenPool.start({ tokenizer: modelDir('qwen3'), workers: 2, workerScript: workerScript() });
    pools.push(pool);
    assert.equal(pool.size, 2);
    assert.equal(pool.model.dir, modelDir('qwen3'));
    const pooled = await pool.count(items);
    const single = countBatch(await load('qwen3'), items);
    assert.deepEqual(pooled, single);
    assert.deepEqual(pooled.map((r) => r.line), items.map((i) => i.line));
    assert.deepEqual(pooled.filter((r) => 'error' in r && r.error === 'parse').map((r) => r.line), notJson);
    assert.deepEqual(pooled.filter((r) => 'error' in r && r.error === 'format').map((r) => r.line), notCounted);
    assert.ok(pooled.some((r) => 'tokens' in r && r.tokens > 8192));
  });

  it('streams: bounded batches, results for every item, parsed values accepted too', async () => {
    const pool = await TokenPool.start({ tokenizer: modelDir('qwen3'), workers: 2, workerScript: workerScript() });
    pools.push(pool);
    async function* items() {
      for (let i = 1; i <= 500; i++) yield i % 2 ? { line: i, text: JSON.stringify({ text: `sample ${i}` }) } : { line: i, value: { text: `sample ${i}` } };
    }
    const seen: number[] = [];
    await pool.countStream(items(), (batch) => { for (const r of batch) seen.push(r.line); });
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('a folder that fails only when loaded (a template Jinja cannot compile) is reported with its reason', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ft-pool-'));
    await symlink(path.join(modelDir('qwen3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    await writeFile(path.join(dir, 'chat_template.jinja'), '{% if messages %}unclosed');
    await assert.rejects(
      TokenPool.start({ tokenizer: dir, workers: 2, workerScript: workerScript() }),
      (err) => err instanceof TokenizerFolderError && err.key === 'folder.invalidTemplate' && /chat_template\.jinja/.test(err.localized('zh-cn')),
    );
  });

  it('reports a bad folder before starting any worker, and a missing worker script clearly', async () => {
    await assert.rejects(TokenPool.start({ tokenizer: '/nowhere/at/all', workerScript: workerScript() }), (err) => err instanceof TokenizerFolderError && err.key === 'folder.notFound');
    await assert.rejects(TokenPool.start({ tokenizer: modelDir('qwen3'), workers: 1, workerScript: '/nowhere/tokens.js' }), /token worker failed/);
  });
});
