// The trainer on an SSH host: the trainer package and the datasets uploaded into workDir by content hash, the run
// detached there (src/backends/remote/detached.ts) so it outlives the connection, its events read by byte offset
// over SFTP (src/backends/remote/remoteRuns.ts, shared with the Slurm backend). Reads, status and cancel reconnect
// with backoff (SshSession.retrying); the launch never repeats.
import type { Backend, LaunchRequest, RunState } from '../backend';
import type { RemoteRunHandle, RunHandle } from '../../shared/job';
import type { SshBackendConfig } from '../../shared/backendConfig';
import { trainerInvocation } from '../local/launcher';
import { tokenFor } from '../local/runToken';
import { cancelRemoteRun, launchDetached, remoteRunState } from '../remote/detached';
import { RemoteRuns, RemoteRunsBackend, withPythonPath, type RemoteTrainer } from '../remote/remoteRuns';
import type { SshSession } from './session';

export type { RemoteTrainer };

export interface SshBackendOptions {
  name: string;
  config: Pick<SshBackendConfig, 'python' | 'setup' | 'workDir'>;
  session: SshSession;
  /** This machine's run secret (src/backends/local/runToken.ts): remote runs carry a token derived from it. */
  runSecret: string;
  trainer: RemoteTrainer;
  /** Where fetched artifacts go on this machine when the caller names no file. */
  cacheDir: string;
  /** Grace period between SIGTERM and SIGKILL on cancel. */
  cancelGraceMs?: number;
}

export class SshBackend extends RemoteRunsBackend implements Backend {
  readonly kind = 'ssh' as const;

  constructor(private readonly options: SshBackendOptions) {
    super(new RemoteRuns({ kind: 'ssh', name: options.name, config: options.config, host: options.session, trainer: options.trainer, cacheDir: options.cacheDir }));
  }

  private get session(): SshSession {
    return this.options.session;
  }

  private token(runDir: string): string {
    return tokenFor(this.options.runSecret, runDir);
  }

  async start(request: LaunchRequest): Promise<RunHandle> {
    const run = await this.runs.prepare(request);
    const { argv, env } = trainerInvocation(this.options.config.python, run.entryArgs, request.command, run.configFile, request.devices);
    const pid = await launchDetached(this.session, {
      runDir: run.runDir,
      argv: withPythonPath(run.trainerDir, argv),
      env,
      token: this.token(run.runDir),
      setup: this.options.config.setup,
    });
    const handle: RemoteRunHandle = { backend: 'ssh', backendName: this.options.name, pid, runDir: run.runDir, command: argv };
    return handle;
  }

  async status(handle: RunHandle): Promise<RunState> {
    const runDir = await this.runs.ownRunDir(handle);
    return this.session.retrying((c) => remoteRunState(c, runDir, this.token(runDir)));
  }

  async cancel(handle: RunHandle): Promise<void> {
    const runDir = await this.runs.ownRunDir(handle);
    return this.session.retrying((c) => cancelRemoteRun(c, runDir, this.token(runDir), this.options.cancelGraceMs));
  }
}
