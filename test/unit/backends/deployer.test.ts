// Deploying on this machine end to end with a stand-in for the trainer's serve (test/fixtures/trainer/fake_serve.py,
// no torch): the probe (python3, no vLLM → the trainer's serve), the token file, the detached launch, the health
// check, a chat request with the token, re-attaching by state, stopping; and a server that dies before it answers
// reported with its log's tail.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalHost } from '../../../src/backends/remote/localHost';
import { Deployer, DeployFailed, type DeployTarget } from '../../../src/backends/deploy/deployer';

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-deployer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FAKE = path.resolve('test/fixtures/trainer/fake_serve.py');

const model = path.join(dir, 'base model');
mkdirSync(model);
writeFileSync(path.join(model, 'model.safetensors'), Buffer.alloc(4096));
writeFileSync(path.join(model, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{{ messages }}' }));
const adapter = path.join(dir, 'adapter');
mkdirSync(adapter);
writeFileSync(path.join(adapter, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 64, modules_to_save: null }));

function target(env: NodeJS.ProcessEnv = process.env): DeployTarget {
  return {
    kind: 'local', name: 'local', host: new LocalHost(env), python: python!, setup: [], workDir: path.join(dir, 'work'),
    trainer: { upload: { folders: [], files: [FAKE] }, entry: { script: 'fake_serve.py' } }, runSecret: 'b'.repeat(64),
  };
}
const TOKEN = 'deploy-test-token-0123456789';

test('plan, start, answer with the token, state, stop', { skip: !python && 'no python3 here' }, async () => {
  const deployer = new Deployer(target());
  const request = { id: 'tiny-20261207-100000', model, adapter, servedModel: 'tiny', trainedTemplateSha256: 'c'.repeat(64) };
  const planned = await deployer.plan(request);
  assert.equal(planned.plan.server, 'trainer'); // no vLLM here
  assert.equal(planned.probe.facts.weightsBytes, 4096);
  assert.equal(planned.probe.facts.templateSha256?.length, 64);
  assert.ok(planned.plan.findings.some((f) => f.code === 'check.templateDiffers'), 'the trained template was another one');
  assert.equal(planned.plan.blocked, false);

  const running = await deployer.start(request, planned, TOKEN, { readyTimeoutMs: 60_000 });
  try {
    assert.match(running.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(running.tunnel, undefined, 'no tunnel on this machine');
    assert.equal(statSync(path.join(running.runDir, 'token')).mode & 0o777, 0o600);
    const unauthorised = await fetch(`${running.endpoint}/models`);
    assert.equal(unauthorised.status, 401);
    const models = (await (await fetch(`${running.endpoint}/models`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { data: { id: string }[]; args: { model: string; adapter: string } };
    assert.equal(models.data[0]!.id, 'tiny');
    assert.deepEqual(models.args, { model, adapter }, 'the folders arrived as given (a space in one)');
    const chat = await fetch(`${running.endpoint}/chat/completions`, {
      method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: '你好' }] }),
    });
    assert.equal(((await chat.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content, 'echo: 你好');
    assert.deepEqual(await deployer.state(running.runDir), { state: 'running' });
  } finally {
    await deployer.stop(running.runDir);
  }
  assert.notEqual((await deployer.state(running.runDir)).state, 'running');
  assert.equal(existsSync(path.join(running.runDir, 'token')), false, 'the token file is removed on stop');
});

test('a server that exits before it answers is reported with its log', { skip: !python && 'no python3 here' }, async () => {
  const deployer = new Deployer(target({ ...process.env, FAKE_SERVE_EXIT: '3' }));
  const request = { id: 'broken-20261207-100000', model, servedModel: 'broken' };
  const planned = await deployer.plan(request);
  await assert.rejects(deployer.start(request, planned, TOKEN, { readyTimeoutMs: 60_000 }), (err: Error) => {
    assert.ok(err instanceof DeployFailed);
    assert.match(err.message, /ended \(exit 3\)[\s\S]*cannot load the model/);
    return true;
  });
});
