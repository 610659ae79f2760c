// One SSH connection (ssh2): host key checked against known_hosts before anything is sent, login with a key file
// or the agent, remote commands as argv (RemoteExec, quoted by src/backends/remote/exec.ts) and the SFTP calls the
// remote backends need. SshSession (session.ts) reconnects with backoff on top of it.
import type { Client, ConnectConfig, ServerHostKeyAlgorithm, SFTPWrapper, Stats } from 'ssh2';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ExecOptions, ExecResult, RemoteExec } from '../remote/exec';
import { remoteCommandLine, shellScript } from '../remote/exec';
import type { RemoteFiles, RemoteStat } from '../remote/files';
import { checkHostKey, fingerprintSha256, knownHostName, knownHostsLine, knownKeyTypes, keyTypeOf, parseKnownHosts } from './knownHosts';

export interface SshConnectOptions {
  host: string;
  port: number;
  username: string;
  /** A private key file (a leading ~ is this user's home); without it (and without privateKey) the agent is asked. */
  identityFile?: string;
  privateKey?: Buffer | string;
  /** Only ever passed in by the caller (from SecretStorage or a prompt), never read from settings. */
  passphrase?: string;
  password?: string;
  /** The agent's socket; default SSH_AUTH_SOCK. */
  agent?: string;
  knownHostsFile: string;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

/** The server's key is not in known_hosts: show `fingerprint` and call acceptHostKey only if the user trusts it. */
export class HostKeyUnknown extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly fingerprint: string,
    /** The line acceptHostKey appends. */
    readonly knownHostsLine: string,
    readonly knownHostsFile: string,
  ) {
    super(`The host key of ${knownHostName(host, port)} is not known: ${keyType} ${fingerprint}`);
  }
}

/** known_hosts holds another key of the same type for this host (or this key is @revoked): always refused. */
export class HostKeyChanged extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly knownHostsFile: string,
    readonly line: number,
    readonly revoked = false,
  ) {
    super(
      revoked
        ? `The host key of ${knownHostName(host, port)} (${fingerprint}) is marked @revoked in ${knownHostsFile}:${line}; the connection was refused.`
        : `WARNING: the host key of ${knownHostName(host, port)} has changed (now ${keyType} ${fingerprint}; ${knownHostsFile}:${line} holds another). ` +
            'Someone could be intercepting the connection, or the server was reinstalled; the connection was refused.',
    );
  }
}

/** The server refused every credential offered. */
export class SshAuthFailed extends Error {}

/** The server could not be reached or the connection broke (worth retrying). */
export class SshConnectionLost extends Error {}

export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

/** Trusts the key a HostKeyUnknown error carried: appends its line to the known_hosts file it was checked against. */
export async function acceptHostKey(unknown: HostKeyUnknown): Promise<void> {
  const file = expandHome(unknown.knownHostsFile);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  await fs.appendFile(file, `${sep}${unknown.knownHostsLine}\n`, { mode: 0o600 });
}

// ssh2's host key algorithms in its default order; the types known_hosts has for the host go first.
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

function preferredHostKeyAlgorithms(known: string[]): ServerHostKeyAlgorithm[] {
  const wanted = new Set(known.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])));
  return [...HOST_KEY_ALGORITHMS.filter((a) => wanted.has(a)), ...HOST_KEY_ALGORITHMS.filter((a) => !wanted.has(a))];
}

const SFTP_STATUS_NO_SUCH_FILE = 2;
// How an abortable command reports its pid on stderr (control characters no program prints around a number).
const PID_TAG = '\\036FTPID';
const PID_LINE = /\x1eFTPID(\d+)\x1eFTPID\n/;
const isNoSuchFile = (err: unknown): boolean => (err as { code?: number } | null)?.code === SFTP_STATUS_NO_SUCH_FILE;

export class SshConnection implements RemoteExec, RemoteFiles {
  private sftpChannel?: Promise<SFTPWrapper>;
  private closedFlag = false;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(private readonly client: Client, readonly options: SshConnectOptions) {
    client.on('close', () => {
      this.closedFlag = true;
      for (const l of this.closeListeners.splice(0)) l();
    });
    client.on('error', () => undefined); // after ready, errors end in 'close'
  }

  /** Connects, checks the host key and logs in; throws HostKeyUnknown, HostKeyChanged, SshAuthFailed or SshConnectionLost. */
  static async connect(options: SshConnectOptions): Promise<SshConnection> {
    const knownHostsFile = expandHome(options.knownHostsFile);
    let knownText = '';
    try {
      knownText = await fs.readFile(knownHostsFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const entries = parseKnownHosts(knownText);
    const name = knownHostName(options.host, options.port);
    let privateKey = options.privateKey;
    if (privateKey === undefined && options.identityFile) {
      try {
        privateKey = await fs.readFile(expandHome(options.identityFile));
      } catch (err) {
        throw new SshAuthFailed(`Cannot read the identity file ${options.identityFile}: ${(err as Error).message}`);
      }
    }
    const agent = privateKey === undefined && options.password === undefined ? (options.agent ?? process.env.SSH_AUTH_SOCK) : undefined;
    if (privateKey === undefined && options.password === undefined && !agent) {
      throw new SshAuthFailed(`No way to log in to ${name}: set identityFile, or start an SSH agent (SSH_AUTH_SOCK is not set).`);
    }

    let refusal: Error | undefined;
    // Loaded on first use: ssh2 takes tens of milliseconds to load, which the extension's activation should not pay.
    const { Client: SshClient } = await import('ssh2');
    const client = new SshClient();
    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.username,
      ...(privateKey !== undefined ? { privateKey } : {}),
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(agent ? { agent } : {}),
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownKeyTypes(entries, name)) },
      hostVerifier: (blob: Buffer) => {
        const verdict = checkHostKey(entries, name, blob);
        const type = keyTypeOf(blob);
        const fingerprint = fingerprintSha256(blob);
        if (verdict.kind === 'known') return true;
        if (verdict.kind === 'unknown') {
          refusal = new HostKeyUnknown(options.host, options.port, type, fingerprint, knownHostsLine(name, blob), options.knownHostsFile);
        } else {
          refusal = new HostKeyChanged(options.host, options.port, type, fingerprint, options.knownHostsFile, verdict.line, verdict.kind === 'revoked');
        }
        return false;
      },
    };
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error & { level?: string }) => {
        if (failed) return; // a second error of the same attempt (a timeout, then the socket's)
        failed = true;
        client.removeAllListeners('ready');
        client.end();
        if (refusal) return reject(refusal);
        if (err.level === 'client-authentication') {
          return reject(new SshAuthFailed(`${options.username}@${name} refused the login (${err.message}).`));
        }
        if (privateKey !== undefined && /passphrase|encrypted|parse/i.test(err.message)) {
          return reject(new SshAuthFailed(`Cannot use the private key: ${err.message}`));
        }
        reject(new SshConnectionLost(`Cannot connect to ${name}: ${err.message}`));
      };
      client.once('ready', () => {
        client.removeListener('error', fail);
        // Small requests (an events read, a status) would otherwise wait on Nagle and delayed ACKs, 40 ms each.
        client.setNoDelay(true);
        resolve();
      });
      client.on('error', fail);
      try {
        client.connect(config);
      } catch (err) {
        fail(err as Error); // e.g. a key ssh2 cannot parse
      }
    });
    return new SshConnection(client, options);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    this.client.end();
  }

  /** Drops the connection at once, as a broken network would (the remote side sees the socket vanish). */
  destroy(): void {
    this.client.destroy();
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    // An abortable command first says its pid on stderr (taken out of what is returned): closing the channel alone
    // leaves it running (no SIGHUP without a terminal), and sshd refuses most signal requests, so abort kills it
    // by pid over another channel. The setup lines and the final `exec` keep that pid.
    const abortable = options.signal !== undefined;
    const script = (abortable ? `printf '${PID_TAG}%s${PID_TAG}\\n' "$$" >&2\n` : '') + shellScript(argv, options.setup);
    const command = remoteCommandLine(script);
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return resolve({ code: null, stdout: '', stderr: 'aborted' });
      if (this.closedFlag) return reject(new SshConnectionLost('The SSH connection is closed.'));
      this.client.exec(command, (err, stream) => {
        if (err) return reject(this.closedFlag ? new SshConnectionLost(err.message) : err);
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null = null;
        let settled = false;
        let aborted = false;
        let pid: string | undefined;
        const stderrText = () => {
          const text = Buffer.concat(errOut).toString('utf8');
          return abortable ? text.replace(PID_LINE, '') : text;
        };
        const kill = () => {
          if (pid) void this.exec(['kill', '-KILL', pid]).catch(() => undefined);
        };
        const finish = () => {
          if (settled) return;
          settled = true;
          options.signal?.removeEventListener('abort', abort);
          resolve({ code: aborted ? null : code, stdout: Buffer.concat(out).toString('utf8'), stderr: stderrText() });
        };
        const abort = () => {
          aborted = true;
          kill();
          stream.close();
          finish();
        };
        options.signal?.addEventListener('abort', abort, { once: true });
        stream.on('data', (b: Buffer) => out.push(b));
        stream.stderr.on('data', (b: Buffer) => {
          errOut.push(b);
          if (abortable && pid === undefined) {
            pid = PID_LINE.exec(Buffer.concat(errOut).toString('latin1'))?.[1];
            if (pid && aborted) kill(); // aborted before the pid came
          }
        });
        stream.on('exit', (exitCode: number | null) => {
          code = typeof exitCode === 'number' ? exitCode : null;
        });
        stream.on('close', finish);
        stream.on('error', () => undefined);
        stream.end(options.stdin ?? '');
      });
    });
  }

  /** A TCP stream to `host:port` as the remote side reaches it (what `ssh -L` forwards): a deployment's tunnel. */
  forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      if (this.closedFlag) return reject(new SshConnectionLost('The SSH connection is closed.'));
      this.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(this.closedFlag ? new SshConnectionLost(err.message) : err) : resolve(stream)));
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          this.sftpChannel = undefined;
          return reject(this.closedFlag ? new SshConnectionLost(err.message) : err);
        }
        sftp.on('close', () => (this.sftpChannel = undefined));
        resolve(sftp);
      });
    });
    return this.sftpChannel;
  }

  private async sftpCall<T>(fn: (sftp: SFTPWrapper, cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    const sftp = await this.sftp();
    return new Promise<T>((resolve, reject) =>
      fn(sftp, (err, value) => (err ? reject(this.closedFlag ? new SshConnectionLost(err.message) : err) : resolve(value as T))),
    );
  }

  /** Absolute path of a remote path (`.` is the login's home folder). */
  realpath(remotePath: string): Promise<string> {
    return this.sftpCall<string>((s, cb) => s.realpath(remotePath, cb));
  }

  async stat(remotePath: string): Promise<RemoteStat | undefined> {
    try {
      const st = await this.sftpCall<Stats>((s, cb) => s.stat(remotePath, cb));
      return { size: st.size, isDirectory: st.isDirectory(), mtimeMs: st.mtime * 1000 };
    } catch (err) {
      if (isNoSuchFile(err)) return undefined;
      throw err;
    }
  }

  async readFrom(remotePath: string, offset: number, maxBytes: number): Promise<Buffer | undefined> {
    let handle: Buffer;
    try {
      handle = await this.sftpCall<Buffer>((s, cb) => s.open(remotePath, 'r', cb));
    } catch (err) {
      if (isNoSuchFile(err)) return undefined;
      throw err;
    }
    try {
      const st = await this.sftpCall<Stats>((s, cb) => s.fstat(handle, cb));
      const length = Math.min(Math.max(0, st.size - offset), maxBytes);
      const buffer = Buffer.alloc(length);
      // Chunks within every server's packet limit, several requests in flight: catching up on a long events file
      // over a slow link costs round trips, not one per chunk.
      const CHUNK = 32 * 1024;
      const starts = Array.from({ length: Math.ceil(length / CHUNK) }, (_, i) => i * CHUNK);
      let end = length; // lowered where a chunk comes back short (the file cannot shrink, but be safe)
      const queue = [...starts];
      await Promise.all(
        Array.from({ length: Math.min(16, starts.length) }, async () => {
          for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
            const want = Math.min(CHUNK, length - at);
            const n = await this.sftpCall<number>((s, cb) => s.read(handle, buffer, at, want, offset + at, (e, bytes) => cb(e, bytes)));
            if (n < want) end = Math.min(end, at + n);
          }
        }),
      );
      return buffer.subarray(0, end);
    } finally {
      await this.sftpCall<void>((s, cb) => s.close(handle, cb)).catch(() => undefined);
    }
  }

  /** Writes to a temp file beside the target, then renames it over the target (readers never see half a file). */
  async writeFileAtomic(remotePath: string, data: Buffer | string): Promise<void> {
    const temp = `${remotePath}.${randomBytes(6).toString('hex')}.tmp`;
    await this.sftpCall<void>((s, cb) => s.writeFile(temp, data, { mode: 0o644 }, cb));
    await this.renameOver(temp, remotePath);
  }

  /** Uploads a local file through a temp file beside the target. */
  async uploadFile(localPath: string, remotePath: string): Promise<void> {
    const temp = `${remotePath}.${randomBytes(6).toString('hex')}.tmp`;
    await this.sftpCall<void>((s, cb) => s.fastPut(localPath, temp, cb));
    await this.renameOver(temp, remotePath);
  }

  private async renameOver(from: string, to: string): Promise<void> {
    try {
      // Plain SFTP rename refuses an existing target; OpenSSH's extension replaces it atomically.
      await this.sftpCall<void>((s, cb) => s.ext_openssh_rename(from, to, cb));
    } catch (err) {
      await this.sftpCall<void>((s, cb) => s.unlink(from, cb)).catch(() => undefined);
      throw err;
    }
  }

  async mkdirp(remotePath: string): Promise<void> {
    const parts = posix.normalize(remotePath).split('/');
    let current = remotePath.startsWith('/') ? '/' : '';
    for (const part of parts) {
      if (!part) continue;
      current = current === '' ? part : posix.join(current, part);
      const st = await this.stat(current);
      if (st?.isDirectory) continue;
      if (st) throw new Error(`${current} exists on the remote side and is not a folder`);
      try {
        await this.sftpCall<void>((s, cb) => s.mkdir(current, cb));
      } catch (err) {
        if (!(await this.stat(current))?.isDirectory) throw err; // made meanwhile by another upload is fine
      }
    }
  }
}
