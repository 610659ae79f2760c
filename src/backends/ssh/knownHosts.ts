// Host keys as OpenSSH keeps them in known_hosts: plain and hashed (`|1|salt|hash`) host patterns, `[host]:port`
// for other ports than 22, wildcards and negations, and the @revoked marker. Pure functions: connection.ts reads
// the file and asks checkHostKey; the editor shows `fingerprint` when a key is unknown.
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash` entry. */
  hosts: string;
  keyType: string;
  /** The public key blob (the base64 field, decoded). */
  key: Buffer;
  /** 1-based line number in the file, for messages. */
  line: number;
}

export type HostKeyVerdict =
  | { kind: 'known' }
  /** No line for this host with this key type: the user decides, seeing the fingerprint. */
  | { kind: 'unknown'; otherTypes: string[] }
  /** The host is known with another key of the same type: refused (a possible man in the middle). */
  | { kind: 'changed'; line: number }
  /** This key is marked @revoked. */
  | { kind: 'revoked'; line: number };

/** Lines that are not entries (comments, blanks, malformed) are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 0 || fields[0] === '' || fields[0]!.startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@cert-authority' || fields[0] === '@revoked') marker = fields.shift()!.slice(1) as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key: Buffer.from(b64, 'base64'), line: i + 1 });
  });
  return entries;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether a known_hosts host field names `name` (as knownHostName gives it). */
export function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) {
      if (negated) return false; // a negated match overrides any other
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside a public key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:<base64 without padding>`, exactly as `ssh-keygen -lf` and ssh's prompt print it. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Looks a host's key up; `name` as knownHostName gives it. */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const keyType = keyTypeOf(blob);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostMatches(e.hosts, name));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  if (forHost.some((e) => !e.marker && e.key.equals(blob))) return { kind: 'known' };
  const sameType = forHost.find((e) => !e.marker && e.keyType === keyType);
  if (sameType) return { kind: 'changed', line: sameType.line };
  return { kind: 'unknown', otherTypes: [...new Set(forHost.filter((e) => !e.marker).map((e) => e.keyType))] };
}

/** The known_hosts line that trusts this key for this host. */
export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** Key types known for `name`, so the client can ask the server for one of those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => !e.marker && hostMatches(e.hosts, name)).map((e) => e.keyType))];
}
