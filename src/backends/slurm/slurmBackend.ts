// The trainer as a Slurm batch job: the run folder prepared in workDir as for SSH (src/backends/remote/remoteRuns.ts:
// uploads by content hash, config, events read by byte offset), an sbatch script written beside it and submitted on
// the login node, reached over SSH (an entry with a host) or run on this machine (LocalHost). State comes from Slurm
// first and the run folder's exit_code second; the job id is read from the run folder, never from the job record, so
// a record from a cloned repository cannot make cancel touch another of the user's jobs.
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import type { Backend, LaunchRequest, RunState } from '../backend';
import { SLURM_JOB_ID, type RemoteRunHandle, type RunHandle } from '../../shared/job';
import type { SlurmBackendConfig, SlurmDefaults } from '../../shared/backendConfig';
import type { Locale } from '../../core/dataset/types';
import { RemoteRuns, RemoteRunsBackend, type RemoteHost, type RemoteTrainer } from '../remote/remoteRuns';
import { runFile } from '../remote/layout';
import type { RemoteExec } from '../remote/exec';
import { describeStatus, isActive, type SlurmJobStatus } from './jobState';
import { SlurmError, slurmMessage } from './messages';
import { sbatchScript } from './sbatchScript';
import { SlurmCluster } from './slurmCluster';

export interface SlurmBackendOptions {
  name: string;
  config: Pick<SlurmBackendConfig, 'python' | 'setup' | 'workDir' | 'slurm'>;
  /** The login node: an SshSession, or LocalHost when VS Code runs there. */
  host: RemoteHost;
  trainer: RemoteTrainer;
  /** Where fetched artifacts go on this machine when the caller names no file. */
  cacheDir: string;
  /**
   * Shows the sbatch script before submission; resolves to the script to submit (edited or not), or undefined when
   * the user does not submit it (`request`: the job it runs, for warnings). Without it the script is submitted as
   * generated (the CLI, tests).
   */
  review?: (script: string, scriptFile: string, request?: LaunchRequest) => Promise<string | undefined>;
  /** Every Slurm state read, for the Jobs view (pending reason, expected start, attempt). */
  onStatus?: (handle: RunHandle, status: SlurmJobStatus | undefined) => void;
  /** The language of the reasons given in RunState.lost. */
  locale?: Locale;
}

/** Files the backend adds to a run folder (beside the script's SLURM_FILES). */
export const SLURM_RUN_FILES = { jobId: 'slurm_job_id', script: 'job.sbatch' } as const;

/**
 * check() (RemoteRunsBackend) runs the trainer's check through the setup lines on the login node, which may have no
 * GPU and other modules than the compute nodes: the probe (SlurmCluster.startProbe) is what sees the compute nodes.
 */
export class SlurmBackend extends RemoteRunsBackend implements Backend {
  readonly kind = 'slurm' as const;

  constructor(private readonly options: SlurmBackendOptions) {
    super(new RemoteRuns({ kind: 'slurm', name: options.name, config: options.config, host: options.host, trainer: options.trainer, cacheDir: options.cacheDir }));
  }

  private get host(): RemoteHost {
    return this.options.host;
  }

  private get locale(): Locale {
    return this.options.locale ?? 'en';
  }

  async start(request: LaunchRequest): Promise<RunHandle> {
    const slurm = this.resources(request.devices);
    // With requeue, each attempt after the first resumes from the newest checkpoint (none at first: a fresh start).
    const resume = slurm.requeue && request.command === 'train' && !request.config.resume_from_checkpoint ? { resume_from_checkpoint: 'latest' } : {};
    const run = await this.runs.prepare(request, resume);
    const scriptFile = posix.join(run.runDir, SLURM_RUN_FILES.script);
    let script = sbatchScript({
      name: `ft-${path.basename(path.dirname(path.resolve(request.runDir)))}`,
      runDir: run.runDir,
      python: this.options.config.python,
      trainer: [...run.entryArgs, request.command, '--config', run.configFile],
      trainerDir: run.trainerDir,
      setup: this.options.config.setup,
      slurm,
    });
    if (this.options.review) {
      const reviewed = await this.options.review(script, scriptFile, request);
      if (reviewed === undefined) throw new SlurmError('review.cancelled');
      script = reviewed;
    }
    await this.host.writeFileAtomic(scriptFile, script);
    // Submitted once: a dropped connection here must not queue a second job.
    const id = await this.cluster(this.host).submit(script, slurm);
    await this.host.writeFileAtomic(posix.join(run.runDir, SLURM_RUN_FILES.jobId), `${id}\n`);
    const handle: RemoteRunHandle = {
      backend: 'slurm',
      backendName: this.options.name,
      // No process on the login node: the job id stands in for the pid (the record shows it; nothing signals it).
      pid: Number(id.split('_')[0]),
      runDir: run.runDir,
      command: [this.options.config.python, ...run.entryArgs, request.command, '--config', run.configFile],
      slurmJobId: id,
    };
    return handle;
  }

  /**
   * Slurm's commands on the login node, run through the setup lines as the check and the job are: a cluster may put
   * sbatch on PATH only after `module load slurm`, or need SLURM_CONF set.
   */
  private cluster(exec: RemoteExec): SlurmCluster {
    const setup = this.options.config.setup;
    return new SlurmCluster({ exec: (argv, options = {}) => exec.exec(argv, { ...options, setup: options.setup ?? setup }) });
  }

  /** The backend's defaults, with the GPUs a job asked for: none on 'cpu', as many as it lists. */
  private resources(devices: LaunchRequest['devices']): SlurmDefaults {
    const slurm = this.options.config.slurm;
    if (devices === 'cpu') return { ...slurm, gpus: 0 };
    if (Array.isArray(devices)) return { ...slurm, gpus: devices.length };
    return slurm;
  }

  /** The job id the run folder holds (written at submission). */
  private async jobId(runDir: string): Promise<string | undefined> {
    const text = (await this.host.readFrom(posix.join(runDir, SLURM_RUN_FILES.jobId), 0, 64))?.toString('utf8').trim();
    return text && SLURM_JOB_ID.test(text) ? text : undefined;
  }

  /** Slurm's view of the run (undefined when Slurm no longer knows it). */
  async slurmStatus(handle: RunHandle): Promise<SlurmJobStatus | undefined> {
    const id = await this.jobId(await this.runs.ownRunDir(handle));
    return id ? this.stateOf(handle, id) : undefined;
  }

  private async stateOf(handle: RunHandle, id: string): Promise<SlurmJobStatus | undefined> {
    const status = await this.host.retrying((c) => this.cluster(c).state(id));
    this.options.onStatus?.(handle, status);
    return status;
  }

  async status(handle: RunHandle): Promise<RunState> {
    const runDir = await this.runs.ownRunDir(handle);
    const id = await this.jobId(runDir);
    if (!id) return { state: 'lost', reason: slurmMessage(this.locale, 'state.noJobId', { runDir }) };
    const status = await this.stateOf(handle, id);
    if (status && isActive(status.phase)) return { state: 'running' };
    if (!status || status.phase === 'completed' || status.phase === 'failed') {
      // The batch shell's own record first (Slurm's exit code is the shell's; a requeued attempt writes none).
      const code = await this.exitCode(runDir);
      if (code !== undefined) return { state: 'exited', code };
      if (status?.exitCode !== undefined) return { state: 'exited', code: status.exitCode };
      return { state: 'lost', reason: slurmMessage(this.locale, 'state.forgotten', { id }) };
    }
    // Cancelled, timed out, node failure, preempted, out of memory: Slurm ended it; say how in plain words.
    return { state: 'lost', reason: describeStatus(status, this.locale) };
  }

  private async exitCode(runDir: string): Promise<number | undefined> {
    const text = (await this.host.readFrom(runFile(runDir, 'exitCode'), 0, 32))?.toString('utf8').trim();
    return text && /^-?\d+$/.test(text) ? Number(text) : undefined;
  }

  /** scancel: Slurm sends TERM to the batch shell, which passes it to the trainer (it stops cleanly), KILL after KillWait. */
  async cancel(handle: RunHandle): Promise<void> {
    const runDir = await this.runs.ownRunDir(handle);
    const id = await this.jobId(runDir);
    if (!id) return;
    await this.host.retrying((c) => this.cluster(c).cancel(id));
  }
}
