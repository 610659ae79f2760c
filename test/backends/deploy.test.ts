// Deploying the trainer's real `serve` on the test sshd (the same machine, reached over SSH): a tiny random Qwen3
// with a LoRA adapter, in a folder with a hostile name, started detached through the Deployer, asked through the
// SSH tunnel (ssh2 forwardOut) on this machine's 127.0.0.1, found again by a new session (after a "reload"),
// then stopped (the process group ends, the tunnel closes); and as a job of the loopback Slurm. Needs the trainer
// Python (FINETUNE_TRAINER_PYTHON).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SshSession } from '../../src/backends/ssh/session';
import { Deployer, type DeployTarget } from '../../src/backends/deploy/deployer';
import { LocalHost } from '../../src/backends/remote/localHost';
import { SlurmDefaults } from '../../src/shared/backendConfig';
import { scratchDir, skipWithoutSshd, target } from './sshTarget';

const PYTHON = process.env.FINETUNE_TRAINER_PYTHON;
const skip = skipWithoutSshd || (!PYTHON && 'NOT RUN: no trainer Python (FINETUNE_TRAINER_PYTHON)');
const REPO = path.resolve(__dirname, '..', '..', '..');
const TOKEN = 'tunnel-test-token-0123456789abcdef';

/** A tiny base and a LoRA adapter with non-zero weights, made with the trainer's Python. */
function makeModels(dir: string, marker: string): { base: string; adapter: string } {
  const base = path.join(dir, `base $(touch ${marker}) it's`);
  const adapter = path.join(dir, 'adapter 微调');
  execFileSync(PYTHON!, [path.join(REPO, 'trainer', 'tests', 'make_tiny_model.py'), base], { stdio: 'pipe' });
  execFileSync(PYTHON!, ['-c', [
    'import sys, torch',
    'from peft import LoraConfig, get_peft_model',
    'from transformers import AutoModelForCausalLM',
    'torch.manual_seed(1)',
    'm = get_peft_model(AutoModelForCausalLM.from_pretrained(sys.argv[1]), LoraConfig(r=32, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))',
    'm.save_pretrained(sys.argv[2])',
  ].join('\n'), base, adapter], { stdio: 'pipe' });
  return { base, adapter };
}

function deployTarget(session: SshSession, workDir: string): DeployTarget {
  return {
    kind: 'ssh', name: 'test-host', host: session, python: PYTHON!, setup: ['export FT_SETUP_SEEN=yes'], workDir, runSecret: 'c'.repeat(64),
    trainer: { upload: { folders: [path.join(REPO, 'trainer', 'finetune_trainer')] } },
  };
}

async function chat(endpoint: string, body: object, token = TOKEN): Promise<{ status: number; text: string }> {
  const r = await fetch(`${endpoint}/chat/completions`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

test('the trainer\'s serve of a tiny model on the SSH host, through the tunnel, re-attached, stopped', { skip, timeout: 300_000 }, async () => {
  const dir = scratchDir('deploy');
  const marker = `ft-deploy-marker-${path.basename(dir)}`;
  const { base, adapter } = makeModels(dir, marker);
  const workDir = path.join(dir, 'work');
  const session = new SshSession(target());
  const deployer = new Deployer(deployTarget(session, workDir));
  const request = { id: 'tiny-lora-20261207-100000', model: base, adapter, servedModel: 'tiny-lora', trainedTemplateSha256: 'd'.repeat(64) };
  const t0 = Date.now();
  const planned = await deployer.plan(request);
  assert.equal(planned.plan.server, 'trainer', 'no vLLM on the test host');
  assert.ok((planned.probe.facts.weightsBytes ?? 0) > 0);
  assert.equal(typeof planned.probe.facts.templateSha256, 'string');
  assert.deepEqual(planned.plan.findings.map((f) => f.code).filter((c) => c === 'check.templateDiffers'), ['check.templateDiffers']);

  const running = await deployer.start(request, planned, TOKEN, { readyTimeoutMs: 180_000 });
  const readyMs = Date.now() - t0;
  let stopped = false;
  let session2: SshSession | undefined;
  try {
    assert.ok(running.tunnel, 'a tunnel over SSH');
    assert.match(running.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const t1 = Date.now();
    const whole = await chat(running.endpoint, { model: 'tiny-lora', messages: [{ role: 'user', content: '你好' }], max_tokens: 8, temperature: 0 });
    const chatMs = Date.now() - t1;
    assert.equal(whole.status, 200, whole.text);
    const reply = JSON.parse(whole.text) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    assert.equal(reply.usage.completion_tokens, 8);
    const streamed = await chat(running.endpoint, { messages: [{ role: 'user', content: '你好' }], max_tokens: 8, temperature: 0, stream: true });
    const pieces = streamed.text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => (JSON.parse(l.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]!.delta.content ?? '');
    assert.equal(pieces.join(''), reply.choices[0]!.message.content, 'the stream says what the whole answer said');
    assert.ok(streamed.text.trimEnd().endsWith('data: [DONE]'));
    assert.equal((await chat(running.endpoint, { messages: [{ role: 'user', content: 'x' }] }, 'wrong-token-wrong-token')).status, 401);
    assert.equal((await chat(running.endpoint, { messages: 'nope' })).status, 400);
    console.log(`deploy over SSH: ready in ${readyMs} ms (probe, upload, model load), one 8-token answer through the tunnel in ${chatMs} ms`);

    // A "reload": a new session and deployer find the server running and tunnel to it again.
    await running.tunnel.close();
    session2 = new SshSession(target());
    const again = new Deployer(deployTarget(session2, workDir));
    assert.deepEqual(await again.state(running.runDir), { state: 'running' });
    const reach = await again.reach(running.remotePort);
    try {
      assert.equal((await chat(reach.endpoint, { messages: [{ role: 'user', content: '你好' }], max_tokens: 8, temperature: 0 })).status, 200);
    } finally {
      await reach.tunnel?.close();
    }
    await again.stop(running.runDir);
    stopped = true;
    assert.notEqual((await again.state(running.runDir)).state, 'running');
    assert.equal(existsSync(path.join(running.runDir, 'token')), false);
    for (const where of [os.homedir(), dir, workDir, running.runDir]) assert.equal(existsSync(path.join(where, marker)), false, `nothing in a folder name ran (${where})`);
  } finally {
    if (!stopped) await deployer.stop(running.runDir).catch(() => undefined);
    await running.tunnel?.close();
    session.close();
    session2?.close();
  }
});

test('the trainer\'s serve as a job on the loopback Slurm (login node: this machine), reached through its node\'s name, scancelled', {
  skip: (!process.env.SLURM_CONF && 'no test Slurm (SLURM_CONF)') || (!PYTHON && 'NOT RUN: no trainer Python (FINETUNE_TRAINER_PYTHON)'),
  timeout: 300_000,
}, async () => {
  const dir = scratchDir('slurm-deploy');
  const marker = `ft-deploy-marker-${path.basename(dir)}`;
  const { base, adapter } = makeModels(dir, marker);
  const deployer = new Deployer({
    kind: 'slurm', name: 'loopback', host: new LocalHost(), python: PYTHON!, setup: [], workDir: path.join(dir, 'work dir'), runSecret: 'c'.repeat(64),
    trainer: { upload: { folders: [path.join(REPO, 'trainer', 'finetune_trainer')] } }, slurm: SlurmDefaults.parse({ gpus: 0 }),
  });
  const request = { id: 'tiny-slurm-20261207-100000', model: base, adapter, servedModel: 'tiny-slurm' };
  const planned = await deployer.plan(request);
  assert.match(planned.plan.findings.map((f) => f.message).join('\n'), /Slurm picks the node/);
  const t0 = Date.now();
  const running = await deployer.start(request, planned, TOKEN, { readyTimeoutMs: 180_000 });
  try {
    assert.ok(running.slurmJobId && running.tunnel, 'a Slurm job, reached through a local tunnel');
    assert.match(running.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const whole = await chat(running.endpoint, { messages: [{ role: 'user', content: '你好' }], max_tokens: 4, temperature: 0 });
    assert.equal(whole.status, 200, whole.text);
    console.log(`deploy on Slurm: job ${running.slurmJobId} on ${running.remoteHost}:${running.remotePort}, answering in ${Date.now() - t0} ms`);
    assert.deepEqual(await deployer.state(running.runDir), { state: 'running' });
    assert.deepEqual(await deployer.serverAddress(running.runDir, 1), { host: running.remoteHost, port: running.remotePort });
  } finally {
    await deployer.stop(running.runDir);
    await running.tunnel?.close();
  }
  for (let i = 0; i < 60 && (await deployer.state(running.runDir)).state === 'running'; i++) await new Promise((r) => setTimeout(r, 500));
  assert.notEqual((await deployer.state(running.runDir)).state, 'running', 'scancel ended the job');
  assert.equal(existsSync(path.join(dir, marker)), false);
});
