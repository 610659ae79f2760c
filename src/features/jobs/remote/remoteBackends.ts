// The `finetune.backends` entries as the jobs feature uses them: one SSH session per backend (kept while its entry
// is unchanged), hosts of ~/.ssh/config resolved, passphrases from SecretStorage only, an unknown host key shown
// with its fingerprint and trusted only when the user says so, a changed one refused, and reconnect attempts
// reported so the Jobs view can say "reconnecting…".
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../../../platform/dispose';
import type { Config } from '../../../platform/config';
import { BackendConfig } from '../../../shared/backendConfig';
import type { RunHandle } from '../../../shared/job';
import { SshSession, type ReconnectAttempt } from '../../../backends/ssh/session';
import { acceptHostKey, HostKeyChanged, HostKeyUnknown, SshAuthFailed, type SshConnectOptions } from '../../../backends/ssh/connection';
import { sshTarget, type SshReachable } from '../../../backends/ssh/sshTarget';
import type { SshBackendOptions } from '../../../backends/ssh/sshBackend';
import { remoteDeps, type RemoteHost, type RemoteTrainer } from '../../../backends/remote/remoteRuns';
import { LocalHost } from '../../../backends/remote/localHost';
import type { SlurmBackendOptions } from '../../../backends/slurm/slurmBackend';
import { explainPending, type SlurmJobStatus } from '../../../backends/slurm/jobState';
import { slurmMessage } from '../../../backends/slurm/messages';
import { coreLocale } from '../../../platform/locale';
import { SlurmCluster, type ProbeRequest } from '../../../backends/slurm/slurmCluster';
import { resolveWorkDir } from '../../../backends/remote/layout';
import type { LaunchRequest } from '../../../backends/backend';

/** Why a backend did not connect, at which step, and what to do. */
export interface ConnectFailure {
  step: 'connect' | 'hostKey' | 'login';
  error: string;
  fix?: string;
}

const passphraseKey = (name: string) => `finetune.backends.passphrase/${name}`;

/** Shows a Slurm job's sbatch script before submission, with notes (warnings) on it; the script to submit, or undefined. */
export type SbatchReview = (script: string, scriptFile: string, notes: string[]) => Promise<string | undefined>;

/** What to warn about before a Slurm job on `name` is submitted (the probe's problems, a short time limit). */
export type ReviewNotes = (name: string, script: string, request: LaunchRequest) => Promise<string[]>;

export class RemoteBackends extends Disposable {
  private readonly sessions = new Map<string, { key: string; session: SshSession }>();
  private readonly attempts = new Map<string, ReconnectAttempt>();
  /** The last Slurm state read of each Slurm run (by backend and run folder), for the Jobs view. */
  private readonly slurmStates = new Map<string, SlurmJobStatus>();
  /** This machine, for Slurm entries without a host (VS Code runs on the login node). */
  private readonly localHost = new LocalHost();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** A backend started or stopped reconnecting. */
  readonly onDidChangeConnection = this.changed.event;

  constructor(
    private readonly config: Config,
    private readonly secrets: vscode.SecretStorage,
    private readonly extensionPath: string,
    private readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register({ dispose: () => this.sessions.forEach(({ session }) => session.close()) });
  }

  /** The valid entries, and what is wrong with the others (index, name and the field). */
  entries(): { backends: BackendConfig[]; problems: string[] } {
    const raw = this.config.backends;
    const backends: BackendConfig[] = [];
    const problems: string[] = [];
    raw.forEach((entry, i) => {
      const parsed = BackendConfig.safeParse(entry);
      if (parsed.success) backends.push(parsed.data);
      else {
        const name = (entry as { name?: unknown } | null)?.name;
        const where = `finetune.backends[${i}]${typeof name === 'string' ? ` ("${name}")` : ''}`;
        problems.push(...parsed.error.issues.map((issue) => `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`));
      }
    });
    return { backends, problems };
  }

  entry(name: string): BackendConfig | undefined {
    return this.entries().backends.find((b) => b.name === name);
  }

  /** "reconnecting… (attempt n)" while the backend's connection is being re-established. */
  reconnectingText(name: string): string | undefined {
    const attempt = this.attempts.get(name);
    return attempt ? vscode.l10n.t('reconnecting… (attempt {0})', attempt.attempt) : undefined;
  }

  /** How to reach an SSH entry now, with its stored passphrase. */
  private async target(entry: SshReachable): Promise<SshConnectOptions> {
    return sshTarget(entry, await this.secrets.get(passphraseKey(entry.name)));
  }

  private session(entry: SshReachable): SshSession {
    const key = JSON.stringify(entry);
    const cached = this.sessions.get(entry.name);
    if (cached?.key === key) return cached.session;
    cached?.session.close();
    const session = new SshSession(() => this.target(entry), {
      onReconnect: (attempt) => {
        if (attempt) {
          this.attempts.set(entry.name, attempt);
          this.log.warn(`backend ${entry.name}: connection lost (${attempt.error}); reconnecting, attempt ${attempt.attempt} in ${attempt.delayMs} ms`);
        } else {
          this.attempts.delete(entry.name);
          this.log.info(`backend ${entry.name}: reconnected`);
        }
        this.changed.fire();
      },
    });
    this.sessions.set(entry.name, { key, session });
    return session;
  }

  /** Where an entry's commands run: its SSH session, or this machine for a Slurm entry without a host. */
  private host(entry: BackendConfig): RemoteHost {
    return entry.host === undefined ? this.localHost : this.session(entry as SshReachable);
  }

  /** Runs argv on the backend through its setup lines (the Test Connection command's Python step). */
  async exec(name: string, argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const entry = this.entry(name);
    if (!entry) throw new Error(`no backend "${name}"`);
    return this.host(entry).exec(argv, { setup: entry.setup });
  }

  /** The trainer package to upload (FINETUNE_TRAINER_ENTRY: the tests' stand-in trainer, as for the local backend) and the file cache. */
  private remoteDeps(name: string): { trainer: RemoteTrainer; cacheDir: string } {
    return remoteDeps(path.join(this.extensionPath, 'trainer'), process.env.FINETUNE_TRAINER_ENTRY, this.storageDir, name);
  }

  /** What the registry needs to build the SSH backend of that name (undefined: no such SSH entry). */
  sshOptions(name: string): Omit<SshBackendOptions, 'runSecret'> | undefined {
    const entry = this.entry(name);
    if (entry?.kind !== 'ssh') return undefined;
    return { name, config: entry, session: this.session(entry), ...this.remoteDeps(name) };
  }

  /** Set once the jobs feature is wired: what the sbatch review warns about. */
  reviewNotes?: ReviewNotes;

  /** A Slurm entry's commands on its login node (through its setup lines) and the probe request for its defaults. */
  async slurmProbe(name: string): Promise<{ cluster: SlurmCluster; request: ProbeRequest } | undefined> {
    const entry = this.entry(name);
    if (entry?.kind !== 'slurm') return undefined;
    const host = this.host(entry);
    const workDir = await resolveWorkDir(entry.workDir, host);
    const cluster = new SlurmCluster({ exec: (argv, options = {}) => host.exec(argv, { ...options, setup: options.setup ?? entry.setup }) });
    return { cluster, request: { workDir, python: entry.python, setup: entry.setup, slurm: entry.slurm } };
  }

  /** What the registry needs to build the Slurm backend of that name (undefined: no such Slurm entry). */
  slurmOptions(name: string, show?: SbatchReview): SlurmBackendOptions | undefined {
    const entry = this.entry(name);
    if (entry?.kind !== 'slurm') return undefined;
    // The review shows the script with what to know before submitting it (the probe's problems, a short --time).
    const review: SlurmBackendOptions['review'] = show && (async (script, scriptFile, request) => {
      const notes = this.reviewNotes && request ? await this.reviewNotes(name, script, request) : [];
      return show(script, scriptFile, notes);
    });
    return {
      name,
      config: entry,
      host: this.host(entry),
      ...this.remoteDeps(name),
      locale: coreLocale(),
      ...(review ? { review } : {}),
      onStatus: (handle, status) => this.slurmStateRead(handle, status),
    };
  }

  private slurmStateRead(handle: RunHandle, status: SlurmJobStatus | undefined): void {
    const key = slurmKey(handle);
    const before = this.slurmStates.get(key);
    if (status) this.slurmStates.set(key, status);
    else this.slurmStates.delete(key);
    if (JSON.stringify(before) !== JSON.stringify(status)) this.changed.fire();
  }

  /**
   * A Slurm run's state for the Jobs view: why a pending job waits and what the user can change, in plain words,
   * with its expected start; and the attempt, after a requeue.
   */
  slurmNote(handle: RunHandle): string | undefined {
    const status = handle.backend === 'slurm' ? this.slurmStates.get(slurmKey(handle)) : undefined;
    if (!status) return undefined;
    const locale = coreLocale();
    const parts: (string | undefined)[] = [];
    if (status.phase === 'pending') {
      const { reason, start } = explainPending(status, locale);
      parts.push(reason, start);
    }
    if (status.attempt > 1) parts.push(slurmMessage(locale, 'state.attempt', { attempt: status.attempt }));
    return parts.filter(Boolean).join(' ') || undefined;
  }

  /**
   * Connects (once per session) with the user in the loop: an unknown host key is shown with its fingerprint and
   * trusted only on "Trust"; a changed key is refused with a warning; an encrypted key asks for its passphrase (kept
   * in SecretStorage). Resolves to an error text (and a fix) when it did not connect.
   */
  async connect(name: string): Promise<ConnectFailure | undefined> {
    const entry = this.entry(name);
    if (entry?.kind === 'slurm' && entry.host === undefined) return undefined; // the login node is this machine
    if (!entry) return { step: 'connect', error: vscode.l10n.t('No SSH backend named "{0}" in the finetune.backends setting.', name), fix: vscode.l10n.t('Add it to finetune.backends, or choose another backend.') };
    const reach = entry as SshReachable;
    const session = this.session(reach);
    for (let round = 0; round < 3; round++) {
      try {
        await session.connection();
        return undefined;
      } catch (err) {
        if (err instanceof HostKeyUnknown) {
          const trust = vscode.l10n.t('Trust and Connect');
          const answer = await vscode.window.showWarningMessage(
            vscode.l10n.t('The authenticity of host {0} cannot be established.', err.port === 22 ? err.host : `${err.host}:${err.port}`),
            { modal: true, detail: vscode.l10n.t('Its {0} key fingerprint is {1}. Compare it with the one the server\'s administrator gives you; trusting it adds it to {2}.', err.keyType, err.fingerprint, err.knownHostsFile) },
            trust,
          );
          if (answer !== trust) return { step: 'hostKey', error: vscode.l10n.t('The host key of {0} was not trusted.', reach.host), fix: vscode.l10n.t('Check the fingerprint {0} with the server\'s administrator, then connect again.', err.fingerprint) };
          await acceptHostKey(err);
          continue;
        }
        if (err instanceof HostKeyChanged) {
          return {
            step: 'hostKey',
            error: vscode.l10n.t('The host key of {0} has changed ({1}); the connection was refused. Someone could be intercepting it.', reach.host, err.fingerprint),
            fix: vscode.l10n.t('If the server was reinstalled, confirm the new key with its administrator and remove line {0} of {1}.', err.line, err.knownHostsFile),
          };
        }
        if (err instanceof SshAuthFailed && /passphrase|encrypted/i.test(err.message)) {
          const passphrase = await vscode.window.showInputBox({ password: true, ignoreFocusOut: true, prompt: vscode.l10n.t('The passphrase of the SSH key for backend "{0}"', name) });
          if (!passphrase) return { step: 'login', error: err.message, fix: vscode.l10n.t('Enter the key\'s passphrase, or load the key into ssh-agent.') };
          await this.secrets.store(passphraseKey(name), passphrase);
          continue;
        }
        if (err instanceof SshAuthFailed) return { step: 'login', error: err.message, fix: vscode.l10n.t('Set identityFile to a key the server accepts (ssh-copy-id puts yours there), or load it into ssh-agent.') };
        return { step: 'connect', error: (err as Error).message, fix: vscode.l10n.t('Check host and port, and that you can reach the server (VPN?).') };
      }
    }
    return { step: 'login', error: vscode.l10n.t('Could not connect to backend "{0}".', name) };
  }
}

const slurmKey = (handle: RunHandle) => `${handle.backend === 'local' ? '' : handle.backendName}\0${handle.runDir}`;
