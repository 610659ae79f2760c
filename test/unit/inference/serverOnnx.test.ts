// The local server over the real local engine (a toy ONNX model in its worker thread, tinyModel.ts) with real HTTP:
// answers streamed and not, read back by our own client, equal token for token to generating directly; 8 concurrent
// streams each with its own correct answer; and `finetune-studio serve` end to end (spawned, its URL line read, one
// request, SIGTERM).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createOnnxEngine, type OnnxEngine } from '../../../src/inference/onnx';
import { startChatServer, type ChatServer } from '../../../src/inference/server';
import { chatCompletion, listModels } from '../../../src/inference/openaiClient';
import { EndpointEngine } from '../../../src/inference/endpointEngine';
import { writeTinyModelFolder } from './tinyModel';
import { generateWorkerScript, tempRoot } from './helpers';

const root = tempRoot('serve');
const dir = writeTinyModelFolder(path.join(root, 'tiny'), { layers: 2 });
const TOKEN = 'onnx-server-token-0123456789';
const prompts = Array.from({ length: 8 }, (_, i) => [{ role: 'user' as const, content: `Question ${i}: ${'why '.repeat(i + 1)}is the sky blue?` }]);

describe('local server over the ONNX engine', () => {
  let engine: OnnxEngine;
  let server: ChatServer;
  const direct: string[] = [];

  before(async () => {
    engine = await createOnnxEngine(dir, { workerScript: generateWorkerScript() });
    for (const p of prompts) direct.push((await engine.generate(p, { maxTokens: 12, temperature: 0 }, () => undefined)).text);
    server = await startChatServer({ engine, token: TOKEN, defaults: { temperature: 0 } });
  });
  after(async () => {
    await server.stop();
    await engine.dispose();
  });

  it('lists the model under its folder name', async () => {
    assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: TOKEN }), ['tiny']);
  });

  it('streams and non-streams the same greedy answer as the engine gives directly, with token usage', async () => {
    const remote = new EndpointEngine({ baseUrl: server.url, model: 'tiny', apiKey: TOKEN });
    const streamed = await remote.generate(prompts[0]!, { maxTokens: 12, temperature: 0 }, () => undefined);
    assert.equal(streamed.text, direct[0]);
    assert.equal(streamed.finishReason, 'length');
    const rendered = await engine.render(prompts[0]!);
    assert.equal(streamed.promptTokens, rendered.tokens);
    const whole = await chatCompletion(prompts[0]!, { baseUrl: server.url, model: 'tiny', apiKey: TOKEN, maxTokens: 12, retries: 0 });
    assert.equal(whole, direct[0]);
  });

  it('8 concurrent streams all complete, each with its own prompt\'s answer', async () => {
    const remote = new EndpointEngine({ baseUrl: server.url, model: 'tiny', apiKey: TOKEN });
    const results = await Promise.all(prompts.map((p) => remote.generate(p, { maxTokens: 12, temperature: 0 }, () => undefined)));
    assert.deepEqual(results.map((r) => r.text), direct);
    assert.ok(results.every((r) => r.finishReason === 'length'));
    assert.equal(new Set(direct).size > 1, true, 'the prompts get different answers, so a mix-up would show');
  });
});

describe('finetune-studio serve (the built CLI)', () => {
  const CLI = 'dist/cli.js';
  const env = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' };

  it('prints the URL, serves with the token written to a new 0600 token file, and stops cleanly on SIGTERM', { skip: !existsSync(CLI) && 'dist/cli.js is not built' }, async () => {
    const tokenFile = path.join(root, 'token.txt');
    const child = spawn(process.execPath, [CLI, 'serve', '--model', dir, '--token-file', tokenFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    const url = await out.line(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    assert.ok(token.length >= 32);
    assert.doesNotMatch(out.stdout(), new RegExp(token), 'a token kept in a file is not printed');
    const answer = await chatCompletion(prompts[0]!, { baseUrl: url, model: 'tiny', apiKey: token, temperature: 0, maxTokens: 5, retries: 0 });
    assert.ok(answer.length > 0);
    const refused = await fetch(`${url}/models`);
    assert.equal(refused.status, 401);
    await refused.arrayBuffer();
    child.kill('SIGTERM');
    assert.equal(await out.exit, 0);
    assert.match(out.stdout(), /Stopped\./);
    assert.equal(out.stderr(), '');
  });

  it('without a token file it prints a generated token once; a port in use and a bad option say so', { skip: !existsSync(CLI) && 'dist/cli.js is not built' }, async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--model', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    const url = await out.line(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const token = await out.line(/^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await listModels({ baseUrl: url, apiKey: token }), ['tiny']);
    const port = new URL(url).port;
    const clash = spawn(process.execPath, [CLI, 'serve', '--model', dir, '--port', port], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const clashOut = collect(clash);
    assert.equal(await clashOut.exit, 1);
    assert.match(clashOut.stderr(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    child.kill('SIGINT');
    assert.equal(await out.exit, 0);
    const bad = collect(spawn(process.execPath, [CLI, 'serve', '--model', dir, '--port', '70000'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    assert.equal(await bad.exit, 2);
    assert.match(bad.stderr(), /--port must be a whole number from 0 to 65535, not 70000/);
  });

  it('refuses a token file that is too short, before loading the model', { skip: !existsSync(CLI) && 'dist/cli.js is not built' }, async () => {
    const short = path.join(root, 'short.txt');
    writeFileSync(short, 'abc\n');
    const r = collect(spawn(process.execPath, [CLI, 'serve', '--model', dir, '--token-file', short], { env: { ...env, LANG: 'zh_CN.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] }));
    assert.equal(await r.exit, 1);
    assert.match(r.stderr(), /中的令牌只有 3 个字符/);
  });
});

/** A child's output as it comes: `line(re)` resolves with the first stdout line matching. */
function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = stdout.split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); check(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    line: (re: RegExp) => Promise.race([
      new Promise<string>((resolve) => { waiters.push({ re, resolve }); check(); }),
      exit.then((code) => { throw new Error(`serve exited (${code}) before printing ${re}: ${stderr}`); }),
    ]),
  };
}

