import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adapterFacts, bytesText, deployCheck, type DeployFacts } from '../../../src/core/models/deployCheck';
import { deployMessage, deployMessageKeys } from '../../../src/core/models/deployMessages';

const GIB = 1024 ** 3;
const SHA = 'a'.repeat(64);
const gpu = (gib: number) => [{ name: 'NVIDIA A10', memoryMiB: gib * 1024 }];
type Backend = DeployFacts['backend'];
const facts = (over: Omit<Partial<DeployFacts>, 'backend'> & { backend?: { [K in keyof Backend]?: Backend[K] | undefined } } = {}): DeployFacts => ({
  trainedTemplateSha256: SHA,
  ...over,
  backend: { vllm: '0.11.0', gpus: gpu(24), weightsBytes: 2 * GIB, templateSha256: SHA, ...over.backend } as Backend,
});
const codes = (f: DeployFacts) => deployCheck(f, 'en').findings.map((x) => `${x.severity}:${x.code}`);

test('a small LoRA on a big GPU with vLLM installed: vLLM, no flag, the template matches, it fits', () => {
  const plan = deployCheck(facts({ adapter: { peftType: 'LORA', rank: 8 } }), 'en');
  assert.equal(plan.server, 'vllm');
  assert.equal(plan.maxLoraRank, undefined);
  assert.equal(plan.blocked, false);
  assert.deepEqual(plan.findings.map((f) => f.code), ['check.fits']);
  assert.match(plan.findings[0]!.message, /2\.0 GiB.*NVIDIA A10 \(24\.0 GiB\)/);
});

test('a rank above vLLM\'s default sets --max-lora-rank', () => {
  const plan = deployCheck(facts({ adapter: { rank: 64 } }), 'en');
  assert.equal(plan.maxLoraRank, 64);
  assert.match(plan.findings[0]!.message, /--max-lora-rank 64/);
  // The boundary: 16 is within the default.
  assert.equal(deployCheck(facts({ adapter: { rank: 16 } }), 'en').maxLoraRank, undefined);
});

test('modules_to_save with lm_head or embeddings blocks a vLLM LoRA deploy and says to deploy the merged model', () => {
  const plan = deployCheck(facts({ adapter: { rank: 8, modulesToSave: ['lm_head', 'embed_tokens', 'score_x'] } }), 'en');
  assert.equal(plan.blocked, true);
  const finding = plan.findings.find((f) => f.code === 'check.modulesToSave')!;
  assert.equal(finding.severity, 'blocker');
  assert.match(finding.message, /lm_head, embed_tokens \(modules_to_save\).*merged/);
  // The trainer's serve (PEFT) loads them: no blocker without vLLM.
  assert.equal(deployCheck(facts({ backend: { vllm: null }, adapter: { modulesToSave: ['lm_head'] } }), 'en').blocked, false);
});

test('prompt methods and GPU-less backends go to the trainer\'s serve, saying why', () => {
  assert.equal(deployCheck(facts({ adapter: { peftType: 'P_TUNING' } }), 'en').server, 'trainer');
  assert.deepEqual(codes(facts({ adapter: { peftType: 'PREFIX_TUNING' } })).slice(0, 1), ['info:check.promptMethod']);
  assert.match(deployCheck(facts({ adapter: { peftType: 'PREFIX_TUNING' } }), 'zh-cn').findings[0]!.message, /Prefix-Tuning 适配器/);
  const noGpu = deployCheck(facts({ backend: { gpus: [] } }), 'en');
  assert.equal(noGpu.server, 'trainer');
  assert.deepEqual(noGpu.findings.map((f) => f.code), ['check.noGpuVllm']);
  assert.deepEqual(codes(facts({ backend: { vllm: null, gpus: [] } })), ['warning:check.cpuOnly']);
});

test('the chat template: differs (warning), unknown on either side (info, says which), none served (blocker)', () => {
  const differs = deployCheck(facts({ backend: { templateSha256: 'b'.repeat(64) } }), 'en').findings[0]!;
  assert.equal(differs.code, 'check.templateDiffers');
  assert.match(differs.message, /bbbbbbbbbbbb… vs aaaaaaaaaaaa…/);
  const { trainedTemplateSha256: _, ...noTrained } = facts();
  assert.match(deployCheck(noTrained, 'en').findings[0]!.message, /the job did not record its template/);
  assert.match(deployCheck(facts({ backend: { templateSha256: undefined } }), 'zh-cn').findings[0]!.message, /无法读取/);
  assert.deepEqual(codes(facts({ backend: { templateSha256: null } })).slice(0, 1), ['blocker:check.noTemplate']);
});

test('memory: too large for the largest GPU (with headroom), unknown weights or GPUs said so', () => {
  const big = deployCheck(facts({ backend: { weightsBytes: 21 * GIB, gpus: [...gpu(16), ...gpu(24)] } }), 'en').findings;
  assert.deepEqual(big.map((f) => f.code), ['check.tooLarge']);
  assert.match(big[0]!.message, /21\.0 GiB.*about 25\.2 GiB.*24\.0 GiB/);
  assert.deepEqual(codes(facts({ backend: { weightsBytes: 19 * GIB } })), ['info:check.fits']);
  assert.match(deployCheck(facts({ backend: { gpus: undefined } }), 'en').findings[0]!.message, /nvidia-smi did not answer/);
  const slurm = deployCheck(facts({ backend: { gpus: undefined, slurm: true } }), 'en');
  assert.equal(slurm.server, 'vllm', 'a Slurm node\'s GPUs are unknown, not absent');
  assert.match(slurm.findings[0]!.message, /Slurm picks the node when the job starts/);
  assert.match(deployCheck(facts({ backend: { weightsBytes: undefined } }), 'zh-cn').findings[0]!.message, /没有找到权重文件/);
});

test('adapterFacts reads adapter_config.json and ignores malformed fields', () => {
  assert.deepEqual(adapterFacts({ peft_type: 'LORA', r: 32, modules_to_save: ['lm_head', 3] }), { peftType: 'LORA', rank: 32, modulesToSave: ['lm_head'] });
  assert.deepEqual(adapterFacts({ r: '8', peft_type: 1 }), {});
  assert.deepEqual(adapterFacts(null), {});
  assert.deepEqual(adapterFacts({ r: -1 }), {});
});

test('bytesText, and every deploy message in both languages with the same placeholders', () => {
  assert.equal(bytesText(512 * 1024 ** 2), '512.0 MiB');
  assert.equal(bytesText(1.5 * GIB), '1.5 GiB');
  for (const key of deployMessageKeys()) {
    const holes = (locale: 'en' | 'zh-cn') => (deployMessage(locale, key).match(/\{\w+\}/g) ?? []).sort().join();
    assert.equal(holes('zh-cn'), holes('en'), key);
  }
});

