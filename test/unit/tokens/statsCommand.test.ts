// `finetune-studio stats`: in-process through statsCommand with a fake CliIo, and as `node dist/cli.js stats`
// through the built CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { statsCommand } from '../../../src/cli/commands/stats';
import type { CliIo } from '../../../src/cli/io';
import { modelDir, workerScript } from './helpers';
import { mixedDataset } from './dataset';

interface Run { code: number; stdout: string; stderr: string }

async function run(args: string[], locale: CliIo['locale'] = 'en', cwd = process.cwd()): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, locale, cwd };
  const code = await statsCommand(args, io, { workerScript: workerScript(), workers: 2 });
  return { code, stdout, stderr };
}

async function datasetFile(): Promise<{ file: string; data: ReturnType<typeof mixedDataset> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-stats-'));
  const data = mixedDataset(3);
  const file = path.join(dir, 'train.jsonl');
  await writeFile(file, data.lines.join('\r\n') + '\n');
  return { file, data };
}

describe('stats command', () => {
  it('usage errors exit 2 and say what to pass', async () => {
    const noFile = await run(['--tokenizer', modelDir('qwen3')]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /Pass the JSONL file/);
    const noTokenizer = await run(['data.jsonl']);
    assert.equal(noTokenizer.code, 2);
    assert.match(noTokenizer.stderr, /missing --tokenizer <dir>: pass the local folder of the model/);
    assert.equal((await run(['a.jsonl', '--tokenizer', 'x', '--locale', 'fr'])).code, 2);
    assert.equal((await run(['a.jsonl', '--tokenizer', 'x', '--frobnicate'])).code, 2);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /fractions from 0 to 1/);
  });

  it('a file that cannot be read exits 1; a tokenizer folder that is not usable exits 2 with the reason', async () => {
    const missing = await run(['missing.jsonl', '--tokenizer', modelDir('qwen3')], 'en', await mkdtemp(path.join(tmpdir(), 'ft-stats-')));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read missing\.jsonl/);
    const { file } = await datasetFile();
    const badFolder = await run([file, '--tokenizer', path.dirname(file)], 'zh-cn');
    assert.equal(badFolder.code, 2);
    assert.match(badFolder.stderr, /中没有 tokenizer\.json/);
  });

  it('--json: the documented shape, 1-based lines, fractions, skipped lines accounted for', async () => {
    const { file, data } = await datasetFile();
    const { code, stdout } = await run([file, '--tokenizer', modelDir('qwen3'), '--json']);
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    for (const key of ['samples', 'tokens', 'over4k', 'over8k', 'recommendation', 'perSample']) assert.ok(key in out, key);
    assert.deepEqual(Object.keys(out.tokens), ['mean', 'p50', 'p90', 'p95', 'p99', 'max']);
    const counted = data.lines.length - data.notJson.length - data.notCounted.length - data.blank.length;
    assert.equal(out.samples, counted);
    assert.equal(out.perSample.length, counted);
    assert.deepEqual(Object.keys(out.perSample[0]), ['line', 'tokens', 'trainTokens']);
    assert.equal(out.perSample[0].line, 1);
    const lines = new Set(out.perSample.map((p: { line: number }) => p.line));
    for (const bad of [...data.notJson, ...data.notCounted, ...data.blank]) assert.ok(!lines.has(bad));
    assert.equal(out.skipped.notJson, data.notJson.length);
    assert.deepEqual(out.skipped.notCounted.map((s: { line: number }) => s.line), data.notCounted);
    assert.ok(out.over4k > 0 && out.over4k < 1 && out.over8k > 0 && out.over8k <= out.over4k);
    assert.equal(out.tokens.max, Math.max(...out.perSample.map((p: { tokens: number }) => p.tokens)));
    assert.ok(['4k', '8k', 'between'].includes(out.recommendation.context));
    assert.equal(out.recommendation.epochs, 15);
  });

  it('human output: a table, the recommendation, and a pointer to lint for lines that are not JSON', async () => {
    const { file, data } = await datasetFile();
    const en = await run([file, '--tokenizer', modelDir('qwen3')]);
    assert.equal(en.code, 0);
    assert.match(en.stdout, /^Token statistics: .*train\.jsonl \(tokenizer: .*tokenizer-qwen3\/models\)/);
    assert.match(en.stdout, /samples\s+\d+/);
    assert.match(en.stdout, /tokens\s+mean [\d.]+ · p50 [\d,]+ · p90 [\d,]+ · p95 [\d,]+ · p99 [\d,]+ · max [\d,]+/);
    assert.match(en.stdout, /over 4k\s+[\d.]+% \(\d+\)/);
    assert.match(en.stdout, /Recommendation\n  • /);
    assert.match(en.stdout, new RegExp(`${data.notJson.length} line\\(s\\) skipped .* run \`finetune-studio lint `));
    const zh = await run([file, '--tokenizer', modelDir('qwen3'), '--locale', 'zh-cn']);
    assert.match(zh.stdout, /token 统计/);
    assert.match(zh.stdout, /建议\n/);
  });

  const cli = path.resolve('dist', 'cli.js');
  it('runs as `node dist/cli.js stats`', async () => {
    assert.ok(existsSync(cli), `${cli} is built (node esbuild.mjs --tests builds it)`);
    assert.match(spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout, /stats <file>/);
    const { file } = await datasetFile();
    const out = JSON.parse(execFileSync(process.execPath, [cli, 'stats', file, '--tokenizer', modelDir('qwen3'), '--json'], { encoding: 'utf8' }));
    assert.ok(out.samples > 0);
    const usage = spawnSync(process.execPath, [cli, 'stats', file], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--tokenizer/);
  });
});
