// SshConnection against a real sshd: argv quoting (nothing in a word ever runs), setup lines, stdin, exit codes,
// abort, SFTP, and host keys (unknown → fingerprint → accepted; changed; hashed known_hosts; wrong login key).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { acceptHostKey, HostKeyChanged, HostKeyUnknown, SshAuthFailed, SshConnection } from '../../src/backends/ssh/connection';
import { scratchDir, skipWithoutSshd, sshdEnv, target, trustedLine } from './sshTarget';

const HOSTILE = [
  'two words',
  "it's",
  '"double"',
  '$(touch MARK)',
  '`touch MARK`',
  '; touch MARK',
  'a\ntouch MARK',
  "'; touch MARK; '",
  '$HOME ${HOME} \\ \\\\',
  '微调 données ünïcödé',
  '*',
  '-n',
  '',
  '|| touch MARK &',
];

async function withConnection<T>(fn: (c: SshConnection) => Promise<T>): Promise<T> {
  const c = await SshConnection.connect(target());
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

test('argv words reach the command exactly as given, and nothing in them runs', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('quote');
  await withConnection(async (c) => {
    const words = HOSTILE.map((w) => w.replaceAll('MARK', path.join(dir, 'marker')));
    const result = await c.exec(['printf', '%s\\0', ...words]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\0').slice(0, -1), words);
    // In a folder named with the same hostile text, through cd and a setup line.
    const hostileDir = path.join(dir, "job $(touch MARK) `touch MARK`; 'x' \n 微调".replaceAll('MARK', path.join(dir, 'marker')));
    const made = await c.exec(['mkdir', '-p', hostileDir], { setup: ['export FT_TEST_VALUE="set by setup"'] });
    assert.equal(made.code, 0, made.stderr);
    const pwd = await c.exec(['sh', '-c', 'cd "$1" && pwd && printf %s "$FT_TEST_VALUE"', 'sh', hostileDir], { setup: ['export FT_TEST_VALUE="set by setup"'] });
    assert.equal(pwd.stdout, `${hostileDir}\nset by setup`);
  });
  assert.equal(existsSync(path.join(dir, 'marker')), false, 'a word was run as code');
});

test('stdin, exit codes and a failing setup line', { skip: skipWithoutSshd }, async () => {
  await withConnection(async (c) => {
    const cat = await c.exec(['cat'], { stdin: 'héllo\nwörld\n' });
    assert.deepEqual(cat, { code: 0, stdout: 'héllo\nwörld\n', stderr: '' });
    assert.equal((await c.exec(['sh', '-c', 'exit 3'])).code, 3);
    const setup = await c.exec(['true'], { setup: ['false'] });
    assert.equal(setup.code, 97);
  });
});

test('abort ends the remote command, not only the channel', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('abort');
  const pidFile = path.join(dir, 'pid');
  await withConnection(async (c) => {
    const controller = new AbortController();
    const running = c.exec(['sh', '-c', 'echo $$ > "$1"; exec sleep 60', 'sh', pidFile], { signal: controller.signal });
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    assert.equal((await running).code, null);
    let alive = true;
    for (let i = 0; i < 250 && alive; i++) {
      try {
        process.kill(pid, 0);
        alive = !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        await new Promise((r) => setTimeout(r, 20));
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, `the remote command (pid ${pid}) still runs after abort`);
  });
});

test('SFTP: mkdir -p, atomic write, read from an offset, stat', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('sftp');
  await withConnection(async (c) => {
    const nested = path.join(dir, 'a b', "c'd", 'e');
    await c.mkdirp(nested);
    const file = path.join(nested, 'f.txt');
    await c.writeFileAtomic(file, 'first');
    await c.writeFileAtomic(file, '0123456789');
    assert.equal(readFileSync(file, 'utf8'), '0123456789');
    assert.equal((await c.readFrom(file, 4, 3))?.toString(), '456');
    assert.equal((await c.readFrom(file, 10, 100))?.length, 0);
    assert.equal(await c.readFrom(path.join(nested, 'absent'), 0, 10), undefined);
    assert.deepEqual({ ...(await c.stat(file)), mtimeMs: 0 }, { size: 10, isDirectory: false, mtimeMs: 0 });
    assert.equal(await c.stat(path.join(dir, 'absent')), undefined);
    // A long read: many chunks in flight, put together in order.
    const big = randomBytes(1_234_567);
    writeFileSync(path.join(dir, 'big'), big);
    assert.ok((await c.readFrom(path.join(dir, 'big'), 4321, 1_000_000))?.equals(big.subarray(4321, 1_004_321)));
    assert.ok((await c.readFrom(path.join(dir, 'big'), 1_200_000, 1_000_000))?.equals(big.subarray(1_200_000)));
  });
});

test('an unknown host key is refused with its SHA256 fingerprint, and trusted once accepted', { skip: skipWithoutSshd }, async () => {
  const options = target('');
  const err = await SshConnection.connect(options).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof HostKeyUnknown, String(err));
  const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', sshdEnv!.FT_SSHD_HOST_PUB!], { encoding: 'utf8' }).split(' ')[1];
  assert.equal(err.fingerprint, expected);
  assert.equal(readFileSync(options.knownHostsFile, 'utf8'), '', 'nothing is trusted without the caller saying so');
  await acceptHostKey(err);
  const c = await SshConnection.connect(options);
  assert.equal((await c.exec(['echo', 'ok'])).stdout, 'ok\n');
  c.close();
});

test('a changed host key is refused and known_hosts stays as it was', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('changed');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'other')]);
  const [type, key] = readFileSync(path.join(dir, 'other.pub'), 'utf8').split(/\s+/);
  const known = `# a comment\n[${sshdEnv!.FT_SSHD_HOST}]:${sshdEnv!.FT_SSHD_PORT} ${type} ${key}\n`;
  const options = target(known);
  const err = await SshConnection.connect(options).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof HostKeyChanged, String(err));
  assert.equal(err.line, 2);
  assert.match(err.message, /changed/);
  assert.equal(readFileSync(options.knownHostsFile, 'utf8'), known);
});

test('hashed known_hosts entries (ssh-keygen -H) are matched', { skip: skipWithoutSshd }, async () => {
  const options = target(trustedLine() + '\n');
  execFileSync('ssh-keygen', ['-H', '-f', options.knownHostsFile], { stdio: 'ignore' });
  assert.match(readFileSync(options.knownHostsFile, 'utf8'), /^\|1\|/);
  const c = await SshConnection.connect(options);
  c.close();
});

test('a key the server does not know is a login failure, not a retry', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('wrongkey');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
  const err = await SshConnection.connect({ ...target(), identityFile: path.join(dir, 'id') }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof SshAuthFailed, String(err));
  writeFileSync(path.join(dir, 'not-a-key'), 'hello');
  const bad = await SshConnection.connect({ ...target(), identityFile: path.join(dir, 'not-a-key') }).then(() => undefined, (e: unknown) => e);
  assert.ok(bad instanceof SshAuthFailed, String(bad));
});

test('an encrypted key needs its passphrase (passed in by the caller)', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('passphrase');
  const key = path.join(dir, 'id');
  writeFileSync(key, readFileSync(sshdEnv!.FT_SSHD_KEY!), { mode: 0o600 });
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', key], { stdio: 'ignore' });
  const without = await SshConnection.connect({ ...target(), identityFile: key }).then(() => undefined, (e: unknown) => e);
  assert.ok(without instanceof SshAuthFailed && /passphrase|encrypted/i.test(without.message), String(without));
  const c = await SshConnection.connect({ ...target(), identityFile: key, passphrase: 'correct horse' });
  c.close();
});

test('without a key file the SSH agent is asked', { skip: skipWithoutSshd }, async () => {
  const dir = scratchDir('agent');
  const sock = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', [sshdEnv!.FT_SSHD_KEY!], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const { identityFile: _unused, ...options } = target();
    const c = await SshConnection.connect({ ...options, agent: sock });
    assert.equal((await c.exec(['echo', 'via agent'])).stdout, 'via agent\n');
    c.close();
    const none = await SshConnection.connect({ ...options, agent: '' }).then(() => undefined, (e: unknown) => e);
    assert.ok(none instanceof SshAuthFailed, String(none));
  } finally {
    agent.kill();
  }
});
