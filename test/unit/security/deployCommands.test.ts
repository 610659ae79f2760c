// Issue 14 (deploy) under the security rules: the server's argv is built only through shellQuote, so hostile model
// folders and names arrive as the same bytes and run nothing; the bearer token never appears in any argv (it
// travels on stdin into a 0600 file, and vLLM gets it through its environment); the tunnel listens on 127.0.0.1
// only; stop acts only on the backend's own deployment folders.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellQuote } from '../../../src/backends/remote/exec';
import { LocalExec } from '../../../src/backends/remote/localExec';
import { LocalHost } from '../../../src/backends/remote/localHost';
import { serverArgv, servedModelName, tokenWriteArgv, type ServeSpec } from '../../../src/backends/deploy/serverCommand';
import { openTunnel } from '../../../src/backends/deploy/tunnel';
import { Deployer } from '../../../src/backends/deploy/deployer';
import { ENDPOINT_FILE, parseEndpointFile, slurmServeScript } from '../../../src/backends/deploy/slurmServe';
import { SlurmDefaults } from '../../../src/shared/backendConfig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-deploy-q-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MARK = path.join(dir, 'marker');
const HOSTILE = [`$(touch ${MARK})`, `a b'c"d\`touch ${MARK}\``, `x;touch ${MARK}`, `m\ntouch ${MARK}`, '微调 модель', '-rf'];
const TOKEN = 'secret-token-0123456789abcdef';

// A "python" that prints its argv and VLLM_API_KEY, NUL-separated.
const FAKE_PY = path.join(dir, 'fakepy');
writeFileSync(FAKE_PY, '#!/bin/sh\nprintf "%s\\0" "KEY=$VLLM_API_KEY" "$@"\n');
chmodSync(FAKE_PY, 0o755);
const TOKEN_FILE = path.join(dir, 'tok en');
writeFileSync(TOKEN_FILE, TOKEN + '\n');

function run(argv: string[]): string[] {
  const r = spawnSync('/bin/sh', ['-c', shellQuote(argv)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

for (const [i, hostile] of HOSTILE.entries()) {
  test(`hostile names reach the server as the same bytes: ${JSON.stringify(hostile)}`, () => {
    const spec: ServeSpec = { server: 'vllm', python: FAKE_PY, model: `/m/${hostile}`, adapter: `/a/${hostile}`, servedModel: servedModelName(hostile), port: 8000 + i, tokenFile: TOKEN_FILE, maxLoraRank: 64 };
    const vllm = run(serverArgv(spec));
    assert.deepEqual(vllm, [`KEY=${TOKEN}`, '-m', 'vllm.entrypoints.openai.api_server', '--model', `/m/${hostile}`, '--host', '127.0.0.1', '--port', String(8000 + i),
      '--enable-lora', '--lora-modules', `${spec.servedModel}=/a/${hostile}`, '--max-lora-rank', '64']);
    const trainer = run(serverArgv({ ...spec, server: 'trainer', trainer: { dir: path.join(dir, hostile), entryArgs: ['-m', 'finetune_trainer'] } }));
    assert.deepEqual(trainer, ['KEY=', '-m', 'finetune_trainer', 'serve', '--model', `/m/${hostile}`, '--adapter', `/a/${hostile}`,
      '--port', String(8000 + i), '--token-file', TOKEN_FILE, '--served-model-name', spec.servedModel]);
    assert.equal(existsSync(MARK), false, 'nothing in a name ran');
  });
}

test('the token is in no argv; a merged model is served under its own name', () => {
  const spec: ServeSpec = { server: 'vllm', python: 'python3', model: '/m', servedModel: 'merged', port: 1, tokenFile: TOKEN_FILE };
  const argv = serverArgv(spec);
  assert.ok(!shellQuote(argv).includes(TOKEN));
  assert.deepEqual(argv.slice(-2), ['--served-model-name', 'merged']);
  assert.ok(!argv.includes('--enable-lora'));
  assert.ok(!shellQuote(serverArgv({ ...spec, server: 'trainer', trainer: { dir: '/t', entryArgs: ['-m', 'finetune_trainer'] } })).includes(TOKEN));
  assert.throws(() => serverArgv({ ...spec, server: 'trainer' }), /needs the uploaded trainer/);
});

test('servedModelName keeps letters, digits, . _ - only', () => {
  assert.equal(servedModelName('my model=x/../$(id)'), 'my-model-x-..-id');
  assert.equal(servedModelName('微调'), 'model');
  assert.equal(servedModelName('Qwen3-0.6B_lora'), 'Qwen3-0.6B_lora');
});

test('the token file is written from stdin, readable by its owner only', async () => {
  const file = path.join(dir, "tok $(touch marker) ';x'");
  const result = await new LocalExec().exec(tokenWriteArgv(file), { stdin: TOKEN + '\n' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(file, 'utf8'), TOKEN + '\n');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(existsSync('marker') || existsSync(path.join(dir, 'marker')), false);
});

test('the tunnel listens on 127.0.0.1 only and carries bytes both ways', async () => {
  const echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoPort = (echo.address() as net.AddressInfo).port;
  const tunnel = await openTunnel(() => Promise.resolve(net.connect(echoPort, '127.0.0.1')));
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      const c = net.connect(tunnel.port, '127.0.0.1', () => c.end('ping 微调'));
      let got = '';
      c.on('data', (b) => (got += b.toString()));
      c.on('end', () => resolve(got));
      c.on('error', reject);
    });
    assert.equal(reply, 'ping 微调');
    // Not reachable on another address of this machine.
    const other = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (other) {
      const refused = await new Promise<boolean>((resolve) => {
        const c = net.connect(tunnel.port, other);
        c.on('connect', () => (c.destroy(), resolve(false)));
        c.on('error', () => resolve(true));
      });
      assert.equal(refused, true, `the tunnel answered on ${other}`);
    }
  } finally {
    await tunnel.close();
    echo.close();
  }
});

test('stop and state act only on the backend\'s own deployment folders', async () => {
  const deployer = new Deployer({ kind: 'local', name: 'local', host: new LocalHost(), python: 'python3', setup: [], workDir: dir, trainer: { upload: { folders: [] } }, runSecret: 'a'.repeat(64) });
  for (const bad of ['/etc', path.join(dir, 'runs', 'x'), path.join(dir, 'deployments', '..', 'x'), path.join(dir, 'deployments', 'a', 'b')]) {
    await assert.rejects(deployer.stop(bad), /not a deployment folder|not a deployment id/, bad);
  }
  await assert.rejects(deployer.runDir('../x'), /not a deployment id/);
});

test('the Slurm batch script: hostile names intact, the node and a free port written, the server exec\'d on them', () => {
  const hostile = HOSTILE[1]!;
  const runDir = path.join(dir, `run ${hostile.replace(/\//g, '_')}`);
  mkdirSync(runDir, { recursive: true });
  const script = slurmServeScript({
    name: hostile, runDir, slurm: SlurmDefaults.parse({ gpus: 1, requeue: true }), setup: ['export FT_SEEN=1'],
    spec: { server: 'trainer', python: FAKE_PY, model: `/m/${hostile}`, servedModel: 'tiny', tokenFile: TOKEN_FILE, trainer: { dir: path.join(dir, hostile), entryArgs: ['-m', 'finetune_trainer'] } },
  });
  assert.match(script, /#SBATCH --no-requeue/);
  assert.doesNotMatch(script, /--signal=/);
  assert.ok(!script.includes(TOKEN));
  // The fake python answers the free-port line too (it prints its argv), so give the script a python that can.
  const runnable = script.replace(shellQuote([FAKE_PY, '-c', 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])']), 'echo 43210');
  const r = spawnSync('/bin/bash', ['-c', runnable], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const endpoint = parseEndpointFile(readFileSync(path.join(runDir, ENDPOINT_FILE), 'utf8'));
  assert.deepEqual(endpoint, { host: os.hostname(), port: 43210 });
  const argv = readFileSync(path.join(runDir, 'trainer.log'), 'utf8').split('\0').slice(1, -1);
  assert.deepEqual(argv, ['-m', 'finetune_trainer', 'serve', '--model', `/m/${hostile}`, '--host', os.hostname(), '--port', '43210', '--token-file', TOKEN_FILE, '--served-model-name', 'tiny']);
  assert.equal(existsSync(MARK), false);
});

test('the endpoint file is read strictly', () => {
  assert.deepEqual(parseEndpointFile('node-01 8000\n'), { host: 'node-01', port: 8000 });
  for (const bad of ['', 'node 0', 'node 70000', 'no$de 80', 'a b c', 'node 80 x']) assert.equal(parseEndpointFile(bad), undefined, bad);
});
