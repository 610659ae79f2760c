// How to reach a `finetune.backends` entry over SSH now: a `Host` alias of ~/.ssh/config resolved (host name, port,
// user, identity file), ~ expanded, known_hosts defaulting to ~/.ssh/known_hosts. The passphrase of an encrypted key
// comes from the caller (the editor's SecretStorage, or the CLI's environment), never from the entry.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SlurmBackendConfig, SshBackendConfig } from '../../shared/backendConfig';
import { expandHome, type SshConnectOptions } from './connection';
import { resolveSshHost } from './sshConfig';

/** An entry reached over SSH: an SSH host, or a Slurm cluster's login node given by its host. */
export type SshReachable = (SshBackendConfig | SlurmBackendConfig) & { host: string };

export async function sshTarget(entry: SshReachable, passphrase?: string): Promise<SshConnectOptions> {
  const sshConfig = await fs.readFile(path.join(os.homedir(), '.ssh', 'config'), 'utf8').catch(() => '');
  const resolved = resolveSshHost(entry.host, sshConfig);
  const identityFile = entry.identityFile ?? resolved.identityFile;
  return {
    host: resolved.hostName,
    port: entry.port !== 22 ? entry.port : (resolved.port ?? 22),
    username: entry.user ?? resolved.user ?? os.userInfo().username,
    ...(identityFile ? { identityFile: expandHome(identityFile) } : {}),
    ...(passphrase ? { passphrase } : {}),
    knownHostsFile: entry.knownHostsFile ?? path.join(os.homedir(), '.ssh', 'known_hosts'),
  };
}
