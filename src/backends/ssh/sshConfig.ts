// Hosts of ~/.ssh/config, as Remote-SSH offers them: a backend's `host` may be a `Host` alias, resolved here to its
// HostName, Port, User and IdentityFile. `Match exec` lines are never evaluated (they would run shell commands).
import { parse } from 'ssh-config';

export interface SshHostSettings {
  hostName: string;
  port?: number;
  user?: string;
  identityFile?: string;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** What ~/.ssh/config (its text) says about `alias`; the alias itself as the host name when nothing does. */
export function resolveSshHost(alias: string, configText: string): SshHostSettings {
  let computed: Record<string, string | string[]> = {};
  try {
    computed = parse(configText).compute(alias, { ignoreCase: true, matchExec: false });
  } catch {
    // An unreadable config is as if there were none; ssh itself would complain, we still connect to the name.
  }
  const port = Number(first(computed.port));
  const hostName = first(computed.hostname)?.replace(/%h/g, alias) ?? alias;
  const user = first(computed.user);
  const identityFile = first(computed.identityfile);
  return {
    hostName,
    ...(Number.isInteger(port) && port > 0 && port < 65536 ? { port } : {}),
    ...(user ? { user } : {}),
    ...(identityFile ? { identityFile } : {}),
  };
}

/** The concrete `Host` names of a config (no wildcards, no negations), to offer when adding a backend. */
export function sshConfigHosts(configText: string): string[] {
  const hosts = new Set<string>();
  for (const line of configText.split(/\r?\n/)) {
    const m = /^\s*Host\s+(.+)$/i.exec(line);
    if (!m) continue;
    for (const name of m[1]!.trim().split(/\s+/)) if (!/[*?!]/.test(name)) hosts.add(name);
  }
  return [...hosts];
}
