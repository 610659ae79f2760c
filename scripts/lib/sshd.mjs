// A private OpenSSH server on 127.0.0.1 for the backends tier: its own host key, its own authorized_keys with a
// fresh client key, the current user (root on CI), no PAM, no strict modes, internal-sftp. Nothing of the machine's
// own sshd or ~/.ssh is touched. startSshd() resolves once the port accepts connections.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { spawnGroup } from './proc.mjs';
import { freePort, tempDir } from './common.mjs';

export const SSHD = '/usr/sbin/sshd';

/** The Debian packages startSshd needs (installed by scripts/test-backends.mjs where missing). */
export const sshdPackages = () => (existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen') ? [] : ['openssh-server', 'openssh-client']);


function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function keygen(file, type = 'ed25519') {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'finetune-test', '-f', file], { stdio: 'ignore' });
}

/**
 * Starts sshd; returns {port, env, stop}. env (for the tests): FT_SSHD_HOST, FT_SSHD_PORT, FT_SSHD_USER, FT_SSHD_KEY
 * (the client's private key), FT_SSHD_HOST_PUB (the server's public host key), FT_SSHD_DIR (a scratch folder).
 */
export async function startSshd() {
  const dir = tempDir('sshd');
  const user = userInfo().username;
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'client_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub')));
  if (process.getuid?.() === 0) {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation folder
    // sshd without PAM refuses an account whose password field is locked ("!"); "*" means no password login.
    const shadow = existsSync('/etc/shadow') ? readFileSync('/etc/shadow', 'utf8') : '';
    if (new RegExp(`^${user}:!`, 'm').test(shadow)) execFileSync('usermod', ['-p', '*', user], { stdio: 'ignore' });
  }
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    'Subsystem sftp internal-sftp',
    'MaxStartups 100',
    'MaxSessions 100',
    'LogLevel ERROR',
    '',
  ].join('\n'));
  const logFile = join(dir, 'sshd.log');
  const log = openSync(logFile, 'a');
  // Every stdio stream redirected: an inherited pipe would keep whoever reads this script's output waiting.
  const server = spawnGroup(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = false;
  server.exited.then(() => (exited = true), () => (exited = true));
  for (let i = 0; !(await accepts(port)); i++) {
    if (exited || i > 100) {
      await server.stop();
      throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const env = {
    FT_SSHD_HOST: '127.0.0.1',
    FT_SSHD_PORT: String(port),
    FT_SSHD_USER: user,
    FT_SSHD_KEY: join(dir, 'client_ed25519'),
    FT_SSHD_HOST_PUB: join(dir, 'host_ed25519.pub'),
    FT_SSHD_DIR: dir,
  };
  return { port, env, stop: () => server.stop() };
}
