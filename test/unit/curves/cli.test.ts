// `finetune-studio diagnose` run in-process with a fake CliIo: output shapes and exit codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnoseCommand } from '../../../src/cli/commands/diagnose';
import type { CliIo } from '../../../src/cli/io';
import { VERDICTS } from '../../../src/core/curves/diagnose';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, locale: 'en', cwd: 'test/fixtures/curves' };
  const code = await diagnoseCommand(args, io);
  return { code, stdout, stderr };
}

describe('finetune-studio diagnose', () => {
  it('--json prints verdict, reason, advice, bestStep, evidence, source, points (path relative to cwd)', async () => {
    const r = await run('hf-overfit/trainer_state.json', '--json');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['verdict', 'reason', 'advice', 'bestStep', 'evidence', 'source', 'points']) assert.ok(k in j, k);
    assert.equal(j.verdict, 'overfitting');
    assert.ok(VERDICTS.includes(j.verdict as never));
    assert.equal(j.bestStep, 100);
    assert.equal(j.source, 'hf-trainer-state');
    assert.deepEqual(j.points, { train: 60, eval: 12, learningRate: 60, checkpoints: 1 });
    assert.equal((j.evidence as { eval: { minStep: number } }).eval.minStep, 100);
  });

  it('--json on the NaN run: diverged, non-finite numbers as strings, still valid JSON', async () => {
    const r = await run('--json', 'hf-nan/trainer_state.json');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout) as { verdict: string; evidence: { nonFiniteStep: number } };
    assert.equal(j.verdict, 'diverged');
    assert.equal(j.evidence.nonFiniteStep, 210);
  });

  it('human output: verdict, reason, advice, evidence lines, skipped lines', async () => {
    const r = await run('events.jsonl');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^verdict: converged$/m);
    assert.match(r.stdout, /^reason: The loss fell clearly/m);
    assert.match(r.stdout, /^advice: /m);
    assert.match(r.stdout, /^evidence:\n  - train loss points: 100/m);
    assert.match(r.stdout, /^skipped 1 line\(s\): 6 \(not valid JSON\)$/m);
  });

  it('--locale zh-cn prints Chinese', async () => {
    const r = await run('llamafactory/trainer_log.jsonl', '--locale', 'zh-cn');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^结论：still_improving$/m);
    assert.match(r.stdout, /原因：.*[\u4e00-\u9fff]/);
    const eq = await run('llamafactory/trainer_log.jsonl', '--locale=zh-cn', '--json');
    assert.match((JSON.parse(eq.stdout) as { advice: string }).advice, /[\u4e00-\u9fff]/);
  });

  it('exit 2 with a clear message on usage errors', async () => {
    for (const [args, msg] of [
      [[], /which log\?/],
      [['a.json', 'b.json'], /one log at a time/],
      [['events.jsonl', '--locale', 'fr'], /--locale must be en or zh-cn/],
      [['events.jsonl', '--bogus'], /unknown option --bogus/],
    ] as [string[], RegExp][]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '');
    }
  });

  it('exit 2 on a missing file, a folder, and a file that is not a training log', async () => {
    const missing = await run('nope/trainer_state.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nope\/trainer_state.json/);
    const folder = await run('hf-nan');
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /it is a folder/);
    const dir = mkdtempSync(join(tmpdir(), 'ft-diagnose-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    writeFileSync(join(dir, 'trainer_state.json'), '{"log_history": [\n{"step": 1,,}]}');
    const unknown = await run(join(dir, 'notes.txt'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /not a known training log/);
    const broken = await run(join(dir, 'trainer_state.json'));
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /line 2: trainer_state.json is not valid JSON/);
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: finetune-studio diagnose/);
  });
});

describe('finetune-studio diagnose through the built CLI', () => {
  it('runs as `node dist/cli.js diagnose --json` on a LLaMA-Factory log', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['dist/cli.js', 'diagnose', 'test/fixtures/curves/llamafactory/trainer_log.jsonl', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    // This log's loss still falls over its last quarter (2.43 → 1.34, 19% lower over steps 155–200).
    assert.equal(out.verdict, 'still_improving');
    assert.equal(typeof out.reason, 'string');
    assert.ok('bestStep' in out && 'evidence' in out);
  });
});

describe('finetune-studio diagnose: why not another verdict', () => {
  it('prints the sentence (text and --json), in Chinese too', async () => {
    const r = await run('llamafactory-predict/trainer_log.jsonl');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^verdict: insufficient_data$/m);
    assert.match(r.stdout, /^why not another verdict: Insufficient data rather than not converged/m);
    const j = JSON.parse((await run('hf-memorised/trainer_state.json', '--json')).stdout) as { verdict: string; whyNot: string };
    assert.equal(j.verdict, 'converged_early');
    assert.match(j.whyNot, /^Converged early rather than converged/);
    const zh = await run('hf-grpo/trainer_state.json', '--locale', 'zh-cn');
    assert.match(zh.stdout, /^结论：insufficient_data$/m);
    assert.match(zh.stdout, /^为何不是别的结论：判为“不足以判断”/m);
  });
});
