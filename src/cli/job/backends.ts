// The backends as the job CLI builds them: the same registry as the editor (src/backends/registry.ts), with what the
// editor takes from its storage and SecretStorage taken from the CLI's storage folder and the environment. Nothing
// here asks anything: an unknown host key is refused with its fingerprint and the command that trusts it.
import type { Locale } from '../../core/dataset/types';
import type { Backend } from '../../backends/backend';
import { createBackend, type BackendContext } from '../../backends/registry';
import { loadRunSecret } from '../../backends/local/runToken';
import type { TrainerLauncher } from '../../backends/local/launcher';
import { LocalHost } from '../../backends/remote/localHost';
import { remoteDeps, type RemoteHost, type RemoteTrainer } from '../../backends/remote/remoteRuns';
import { HostKeyChanged, HostKeyUnknown, SshAuthFailed, expandHome } from '../../backends/ssh/connection';
import { knownHostName } from '../../backends/ssh/knownHosts';
import { SshSession } from '../../backends/ssh/session';
import { sshTarget, type SshReachable } from '../../backends/ssh/sshTarget';
import { explainPending, type SlurmJobStatus } from '../../backends/slurm/jobState';
import type { BackendConfig } from '../../shared/backendConfig';
import { jobCliMessage } from './messages';

/** The passphrase of an encrypted SSH key, for the CLI (which has no SecretStorage); or load the key into ssh-agent. */
export const PASSPHRASE_ENV = 'FINETUNE_SSH_PASSPHRASE';

export interface CliBackendOptions {
  storageDir: string;
  trainerDir: string;
  env: NodeJS.ProcessEnv;
  locale: Locale;
  /** A line for the user on stderr: reconnect attempts, a Slurm job's pending reason. */
  note: (line: string) => void;
}

export class CliBackends {
  private readonly sessions = new Map<string, SshSession>();
  private secret: Promise<string> | undefined;
  private lastPending = '';

  constructor(private readonly o: CliBackendOptions) {}

  /** The backend of a kind: this machine with `python`, or the remote `entry`. */
  async backend(kind: 'local' | 'ssh' | 'slurm', python: string, entry?: BackendConfig): Promise<Backend> {
    this.secret ??= loadRunSecret(this.o.storageDir);
    const ctx: BackendContext = {
      launcher: (p) => this.launcher(p),
      runSecret: await this.secret,
      ssh: (name) => (entry?.kind === 'ssh' && entry.name === name
        ? { name, config: entry, session: this.session(entry as SshReachable), ...this.remoteDeps(name) }
        : undefined),
      slurm: (name) => (entry?.kind === 'slurm' && entry.name === name
        ? {
          name,
          config: entry,
          host: this.host(entry),
          ...this.remoteDeps(name),
          locale: this.o.locale,
          onStatus: (_handle, status) => this.pending(status),
        }
        : undefined),
    };
    return createBackend(kind, ctx, python, entry?.name);
  }

  /**
   * Connects to a remote entry before anything is sent there; an error text (with what to do) when it did not.
   * A Slurm entry without a host is this machine: nothing to connect.
   */
  async connect(entry: BackendConfig): Promise<string | undefined> {
    if (entry.host === undefined) return undefined;
    const say = (key: Parameters<typeof jobCliMessage>[1], params: Record<string, string | number>) => jobCliMessage(this.o.locale, key, params);
    try {
      await this.session(entry as SshReachable).connection();
      return undefined;
    } catch (err) {
      if (err instanceof HostKeyUnknown) {
        return say('ssh.hostKeyUnknown', {
          host: knownHostName(err.host, err.port),
          type: err.keyType,
          fingerprint: err.fingerprint,
          command: `ssh-keyscan -p ${err.port} -t ${err.keyType} ${err.host} >> ${expandHome(err.knownHostsFile)}`,
          file: expandHome(err.knownHostsFile),
        });
      }
      if (err instanceof HostKeyChanged) return say('ssh.hostKeyChanged', { message: err.message, line: err.line, file: expandHome(err.knownHostsFile) });
      if (err instanceof SshAuthFailed) return say('ssh.login', { message: err.message, env: PASSPHRASE_ENV });
      return say('ssh.connect', { name: entry.name, message: (err as Error).message });
    }
  }

  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  private launcher(python: string): TrainerLauncher {
    const standIn = this.o.env.FINETUNE_TRAINER_ENTRY;
    return { python, trainerDir: this.o.trainerDir, ...(standIn ? { entryScript: standIn } : {}) };
  }

  /** The trainer package to upload (FINETUNE_TRAINER_ENTRY: the tests' stand-in trainer, as for the local backend) and the file cache. */
  private remoteDeps(name: string): { trainer: RemoteTrainer; cacheDir: string } {
    return remoteDeps(this.o.trainerDir, this.o.env.FINETUNE_TRAINER_ENTRY, this.o.storageDir, name);
  }

  private host(entry: BackendConfig): RemoteHost {
    return entry.host === undefined ? new LocalHost() : this.session(entry as SshReachable);
  }

  private session(entry: SshReachable): SshSession {
    let session = this.sessions.get(entry.name);
    if (!session) {
      const passphrase = this.o.env[PASSPHRASE_ENV] || undefined;
      session = new SshSession(() => sshTarget(entry, passphrase), {
        onReconnect: (attempt) => this.o.note(attempt
          ? jobCliMessage(this.o.locale, 'ssh.reconnecting', { name: entry.name, attempt: attempt.attempt, error: attempt.error })
          : jobCliMessage(this.o.locale, 'ssh.reconnected', { name: entry.name })),
      });
      this.sessions.set(entry.name, session);
    }
    return session;
  }

  /** A pending Slurm job's reason in plain words, said once each time it changes. */
  private pending(status: SlurmJobStatus | undefined): void {
    if (!status || status.phase !== 'pending') return;
    const { reason, fix, start } = explainPending(status, this.o.locale);
    const line = [reason, fix, start].filter(Boolean).join(' ');
    if (line === this.lastPending) return;
    this.lastPending = line;
    this.o.note(line);
  }
}
