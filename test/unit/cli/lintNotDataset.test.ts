// `finetune-studio lint` on files that are not datasets (model predictions, training logs, model JSON): said, not
// checked, exit 0; datasets beside them are checked as before. Needs the build first: `node esbuild.mjs --tests`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli.js';
const PREDICTIONS = 'examples/wuxia-doctor/predictions/qwen3-0.6b-base/generated_predictions.jsonl';
const TRAINER_LOG = 'test/fixtures/curves/llamafactory/trainer_log.jsonl';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('finetune-studio lint: files that are not datasets', () => {
  let tmp = '';
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`node esbuild.mjs --tests\` first`);
    tmp = mkdtempSync(join(tmpdir(), 'ft-notdata-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a predictions file: "not a dataset: model predictions", no error per line, exit 0', () => {
    const r = run(PREDICTIONS);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), `${PREDICTIONS}: not a dataset: model predictions (not checked)`);
    assert.equal(r.stderr, '');
  });

  it('known by its first line when renamed; a training log and a config.json too; in Chinese', () => {
    const renamed = join(tmp, 'answers.jsonl');
    copyFileSync(PREDICTIONS, renamed);
    const log = join(tmp, 'losses.jsonl');
    copyFileSync(TRAINER_LOG, log);
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ architectures: ['Qwen3ForCausalLM'] }, null, 2));
    const r = run(renamed, log, config, '--locale', 'zh-cn');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /answers\.jsonl：不是数据集：模型预测结果/);
    assert.match(r.stdout, /losses\.jsonl：不是数据集：训练日志（未检查）/);
    assert.match(r.stdout, /config\.json：不是数据集：模型配置文件/);
    assert.doesNotMatch(r.stdout, /FT\d{3}/);
  });

  it('--json: the file with notDataset and no diagnostics; a dataset beside it is still checked (exit 1 on its errors)', () => {
    const r = run(PREDICTIONS, 'test/fixtures/datasets/mistakes.jsonl', '--json');
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout) as { files: { path: string; samples: number; diagnostics: unknown[]; notDataset?: string }[] };
    assert.deepEqual(report.files[0], { path: PREDICTIONS, format: 'unknown', samples: 0, diagnostics: [], notDataset: 'predictions' });
    assert.equal(report.files[1]!.notDataset, undefined);
    assert.ok(report.files[1]!.diagnostics.length > 0);
  });

  it('a dataset whose first line is broken is still checked as one', () => {
    const file = join(tmp, 'broken.jsonl');
    writeFileSync(file, '{"predict": "a", "label": \n');
    const r = run(file);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /error FT001/);
  });
});
