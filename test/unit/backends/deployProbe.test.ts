// The deploy probe with this machine's python3 (standard library only): which chat template it hashes (the adapter's
// own tokenizer first, chat_template.jinja before tokenizer_config.json, a named list's default), the weight files'
// size, adapter_config.json, a hub id (nothing known), and failures said with the reason.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalExec } from '../../../src/backends/remote/localExec';
import { probeBackend, ProbeFailed } from '../../../src/backends/deploy/probe';

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
const skip = !python && 'no python3 here';
const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-probe-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const exec = new LocalExec();

function folder(name: string, files: Record<string, string | Buffer>): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(d, f), content);
  return d;
}

test('the template: chat_template.jinja first, then tokenizer_config.json; the adapter\'s own tokenizer before the base\'s', { skip }, async () => {
  const base = folder("base $(id) it's", {
    'model-00001.safetensors': Buffer.alloc(1000), 'model-00002.safetensors': Buffer.alloc(24), 'training_args.bin': Buffer.alloc(5000),
    'chat_template.jinja': 'JINJA', 'tokenizer_config.json': JSON.stringify({ chat_template: 'CONFIG' }),
  });
  const probed = await probeBackend(exec, python!, [], base);
  assert.equal(probed.facts.templateSha256, sha('JINJA'));
  assert.equal(probed.facts.weightsBytes, 1024, 'training_args.bin is no weight');
  assert.equal(probed.facts.vllm, null);
  assert.ok(probed.freePort > 0 && probed.freePort < 65536);
  assert.equal(probed.adapterConfig, undefined);

  const adapter = folder('adapter 微调', {
    'adapter_model.safetensors': Buffer.alloc(76), 'adapter_config.json': JSON.stringify({ peft_type: 'LORA', r: 8 }),
    'tokenizer_config.json': JSON.stringify({ chat_template: [{ name: 'tool_use', template: 'TOOLS' }, { name: 'default', template: 'DEFAULT' }] }),
  });
  const withAdapter = await probeBackend(exec, python!, [], base, adapter);
  assert.equal(withAdapter.facts.templateSha256, sha('DEFAULT'));
  assert.equal(withAdapter.facts.weightsBytes, 1100);
  assert.deepEqual(withAdapter.adapterConfig, { peft_type: 'LORA', r: 8 });
});

test('a tokenizer without a template is null (the check blocks); a hub id leaves both unknown', { skip }, async () => {
  const none = folder('no-template', { 'tokenizer_config.json': JSON.stringify({ eos_token: '</s>' }) });
  assert.equal((await probeBackend(exec, python!, [], none)).facts.templateSha256, null);
  const hub = await probeBackend(exec, python!, [], 'Qwen/Qwen3-0.6B');
  assert.ok(!('templateSha256' in hub.facts) && !('weightsBytes' in hub.facts), JSON.stringify(hub.facts));
});

test('a failing setup line or a missing python is a ProbeFailed saying why', { skip }, async () => {
  await assert.rejects(probeBackend(exec, python!, ['false'], dir), (err: Error) => err instanceof ProbeFailed && /setup line failed/.test(err.message));
  await assert.rejects(probeBackend(exec, '/nonexistent/python', [], dir), (err: Error) => err instanceof ProbeFailed && /exit 127/.test(err.message));
});
