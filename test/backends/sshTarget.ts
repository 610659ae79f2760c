// The private sshd scripts/test-backends.mjs started (scripts/lib/sshd.mjs), as connect options; the tests skip
// when run without it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SshConnectOptions } from '../../src/backends/ssh/connection';

export const sshdEnv = process.env.FT_SSHD_PORT ? process.env : undefined;
export const skipWithoutSshd = sshdEnv ? false : 'no test sshd (run through scripts/test-backends.mjs)';

const scratch: string[] = [];
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed when the test file's process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ft-ssh-${prefix}-`));
  scratch.push(dir);
  return dir;
}

/** The server's own host key as a known_hosts line. */
export function trustedLine(): string {
  const [type, key] = readFileSync(sshdEnv!.FT_SSHD_HOST_PUB!, 'utf8').trim().split(/\s+/);
  return `[${sshdEnv!.FT_SSHD_HOST}]:${sshdEnv!.FT_SSHD_PORT} ${type} ${key}`;
}

/** Options for the test sshd with a known_hosts file holding `knownHosts` (default: the server's key). */
export function target(knownHosts: string = trustedLine() + '\n'): SshConnectOptions {
  const file = path.join(scratchDir('known'), 'known_hosts');
  writeFileSync(file, knownHosts);
  return {
    host: sshdEnv!.FT_SSHD_HOST!,
    port: Number(sshdEnv!.FT_SSHD_PORT),
    username: sshdEnv!.FT_SSHD_USER!,
    identityFile: sshdEnv!.FT_SSHD_KEY!,
    knownHostsFile: file,
    readyTimeoutMs: 10_000,
  };
}
