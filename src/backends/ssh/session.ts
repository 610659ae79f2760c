// An SSH connection that comes back: connected on first use, and after a drop (network, sleeping laptop) connected
// again with backoff, each attempt reported (the Jobs view says "reconnecting…"). Only reads are retried through
// `retrying`; a command that may have started something (a launch) is never sent twice.
import type { Duplex } from 'node:stream';
import type { ExecOptions, ExecResult } from '../remote/exec';
import type { RemoteStat } from '../remote/files';
import type { RemoteHost } from '../remote/remoteRuns';
import { SshConnection, SshConnectionLost, type SshConnectOptions } from './connection';

export interface ReconnectAttempt {
  /** 1 for the first retry. */
  attempt: number;
  /** How long it waits before this attempt. */
  delayMs: number;
  error: string;
}

export interface SessionOptions {
  /** Called before each reconnect attempt; and with undefined once connected again. */
  onReconnect?: (attempt: ReconnectAttempt | undefined) => void;
  /** Attempts after a drop before giving up (each later one waits longer, up to maxDelayMs). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SshSession implements RemoteHost {
  private current?: Promise<SshConnection>;
  private disposed = false;

  /** `target`: the options, or how to get them at each connect (settings, ~/.ssh/config and secrets may change). */
  constructor(private readonly target: SshConnectOptions | (() => Promise<SshConnectOptions>), private readonly options: SessionOptions = {}) {}

  /** The live connection, connecting if there is none (host key and login errors are thrown as they are). */
  connection(): Promise<SshConnection> {
    if (this.disposed) return Promise.reject(new SshConnectionLost('The SSH session was closed.'));
    const existing = this.current;
    if (!existing) return this.reconnectNow();
    // Callers that find the same dead connection share one new connection.
    const replace = (): Promise<SshConnection> => (this.current === existing || !this.current ? this.reconnectNow() : this.connection());
    return existing.then((c) => (c.closed ? replace() : c), replace);
  }

  private reconnectNow(): Promise<SshConnection> {
    const target = this.target;
    const next = (typeof target === 'function' ? target() : Promise.resolve(target)).then((t) => SshConnection.connect(t));
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = undefined;
    });
    return next;
  }

  /**
   * Runs `fn` on the connection; when the connection is lost under it, reconnects with backoff and runs it again.
   * Only for what may safely run twice (reads, status, idempotent writes).
   */
  async retrying<T>(fn: (c: SshConnection) => Promise<T>): Promise<T> {
    const max = this.options.maxAttempts ?? 8;
    const base = this.options.baseDelayMs ?? 1000;
    const cap = this.options.maxDelayMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      let conn: SshConnection | undefined;
      try {
        conn = await this.connection();
        const value = await fn(conn);
        if (attempt > 0) this.options.onReconnect?.(undefined);
        return value;
      } catch (err) {
        const lost = err instanceof SshConnectionLost || (conn?.closed ?? false);
        if (!lost || this.disposed || attempt >= max) throw err;
        const delayMs = Math.min(cap, base * 2 ** attempt);
        this.options.onReconnect?.({ attempt: attempt + 1, delayMs, error: (err as Error).message });
        await sleep(delayMs);
      }
    }
  }

  /** Not retried: the command may have run before the connection dropped. */
  async exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return (await this.connection()).exec(argv, options);
  }

  /** A stream to `host:port` as the remote side reaches it, connecting again first when the connection dropped. */
  async forwardOut(host: string, port: number): Promise<Duplex> {
    return (await this.connection()).forwardOut(host, port);
  }

  stat(p: string): Promise<RemoteStat | undefined> {
    return this.retrying((c) => c.stat(p));
  }

  readFrom(p: string, offset: number, maxBytes: number): Promise<Buffer | undefined> {
    return this.retrying((c) => c.readFrom(p, offset, maxBytes));
  }

  writeFileAtomic(p: string, data: Buffer | string): Promise<void> {
    return this.retrying((c) => c.writeFileAtomic(p, data));
  }

  uploadFile(localPath: string, p: string): Promise<void> {
    return this.retrying((c) => c.uploadFile(localPath, p));
  }

  mkdirp(p: string): Promise<void> {
    return this.retrying((c) => c.mkdirp(p));
  }

  realpath(p: string): Promise<string> {
    return this.retrying((c) => c.realpath(p));
  }

  /** SFTP starts in the login's home folder. */
  home(): Promise<string> {
    return this.realpath('.');
  }

  close(): void {
    this.disposed = true;
    void this.current?.then((c) => c.close(), () => undefined);
    this.current = undefined;
  }
}
