// Jobs from start to end: checks Python/packages/GPUs, then creates the job folder (a pre-flight that fails leaves
// none behind: the user is told why, and nothing was run), launches the trainer on its backend, follows its events
// (src/backends/jobs/: the same launch and follow loop as `finetune-studio job`), re-attaches after a reload,
// cancels, continues from a checkpoint. Nothing in `.finetune/` is trusted: an untrusted workspace re-attaches to
// nothing, signals nothing and writes nothing there; in a trusted one a job is followed only when its folder holds
// no links and its run folder lies inside it, and a process is signalled only when it carries the run's token
// (src/backends/local/processes.ts).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../../platform/dispose';
import { requireTrust, unsafePathText } from '../../platform/workspaceTrust';
import type { Config } from '../../platform/config';
import { resolvePython } from '../../platform/pythonInterpreter';
import { JobFollower } from '../../backends/jobs/follower';
import { createJob, devicesFor, failJob, jobTrainConfig, launchJob, unsafeJobFolder, type NewJob } from '../../backends/jobs/launch';
import type { Backend } from '../../backends/backend';
import { PythonNotFound, TrainerCheckFailed } from '../../backends/backend';
import { runTrainerTool, type TrainerLauncher } from '../../backends/local/launcher';
import { createBackend, UnknownBackend } from '../../backends/registry';
import { SlurmError } from '../../backends/slurm/messages';
import { reviewSbatchScript } from './remote/sbatchReview';
import { coreLocale } from '../../platform/locale';
import type { RemoteBackends } from './remote/remoteBackends';
import { loadRunSecret } from '../../backends/local/runToken';
import { pathExists, UnsafePath } from '../../core/safeFiles';
import { baseModelProblem, inspectBaseModel } from '../../core/models/baseModel';
import { checkHubModel } from '../../core/models/hubReach';
import { listJobs, readJobRecord, writeJob } from '../../core/jobs/jobStore';
import { FINISHED, type JobRecord, type RunHandle } from '../../shared/job';
import type { JobSpec } from '../../shared/jobSpec';
import { TRAINER_PACKAGES } from '../../shared/trainerCheck';

export interface StartOptions {
  /** The `*.ftjob.json` the spec came from, if any (recorded in job.json). */
  specFile?: vscode.Uri;
  /** Continue training from this checkpoint folder. */
  resumeFrom?: string;
}

export interface JobEnded {
  dir: string;
  record: JobRecord;
}

/** Why a job did not start: its pre-flight failed (no Python, missing packages, no GPU and the CPU declined). */
export interface PreflightFailure {
  /** The job's name, from its spec. */
  name: string;
  error: string;
  fix?: string;
}

const TICK_MS = 500;

export class JobRunner extends Disposable {
  private readonly followers = new Map<string, JobFollower>();
  private readonly endedEmitter = this.register(new vscode.EventEmitter<JobEnded>());
  private readonly changedEmitter = this.register(new vscode.EventEmitter<void>());
  private readonly preflightEmitter = this.register(new vscode.EventEmitter<PreflightFailure>());
  /** A followed job ended (succeeded, failed or cancelled). */
  readonly onDidEnd = this.endedEmitter.event;
  /** A followed job's record changed. */
  readonly onDidChange = this.changedEmitter.event;
  /** A job was not started because its pre-flight failed (the user was told why; no job folder was made). */
  readonly onDidFailPreflight = this.preflightEmitter.event;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private secret: Promise<string> | undefined;

  /** `storageDir`: this machine's extension storage, which holds the secret that signs runs (runToken.ts). */
  constructor(
    private readonly config: Config,
    private readonly extensionPath: string,
    private readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
    /** The `finetune.backends` entries (SSH hosts); without it only this machine runs jobs. */
    private readonly remote?: RemoteBackends,
  ) {
    super();
    this.register({ dispose: () => clearInterval(this.timer) });
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reattachAll()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reattachAll()));
  }

  /** Running jobs this window follows. */
  get running(): JobRecord[] {
    return [...this.followers.values()].map((f) => f.record);
  }

  /** True in a trusted workspace; otherwise says that nothing is launched in an untrusted one. */
  mayLaunch(): boolean {
    return requireTrust(vscode.l10n.t('run or stop training jobs'));
  }

  /** Starts a job for a validated spec; undefined when it could not start (the user has been told why). */
  async start(folder: vscode.WorkspaceFolder, spec: JobSpec, options: StartOptions = {}): Promise<JobRecord | undefined> {
    if (!this.mayLaunch()) return undefined;
    const refused = (error: string, fix?: string): Promise<undefined> => {
      this.log.error(`job "${spec.name}" not started: ${error}${fix ? ` (${fix})` : ''}`);
      this.preflightEmitter.fire({ name: spec.name, error, ...(fix ? { fix } : {}) });
      return Promise.resolve(undefined);
    };
    const root = folder.uri.fsPath;
    const job: NewJob = {
      spec,
      ...(options.specFile ? { specFile: vscode.workspace.asRelativePath(options.specFile, false) } : {}),
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    };
    const trainConfig = jobTrainConfig(root, job);
    const inputs = await this.inputProblem(folder, spec, trainConfig.train_file);
    if (inputs) {
      void this.explain(inputs.error, inputs.fix, inputs.demo ? 'demo' : 'none');
      return refused(inputs.error, inputs.fix);
    }
    const prepared = await this.prepareBackend(folder, spec, refused);
    if (!prepared) return undefined;
    const { backend, devices } = prepared;

    // The job folder only once the pre-flight passed; from here on a failure is the job's, recorded in it.
    const { dir, record: queued } = await createJob(root, job);
    this.changedEmitter.fire();
    let launched;
    try {
      launched = await launchJob(root, dir, queued, job, backend, devices);
    } catch (err) {
      // Slurm's refusals (a partition that does not exist, a declined script) carry their text in both languages.
      const detail = err instanceof SlurmError ? err.text(coreLocale()) : (err as Error).message;
      const msg = vscode.l10n.t('Could not launch the trainer: {0}', detail);
      void vscode.window.showErrorMessage(msg);
      await failJob(dir, queued, msg);
      this.changedEmitter.fire();
      this.log.error(`job ${queued.id}: ${msg}`);
      return undefined;
    }
    const { record, handle } = launched;
    this.log.info(`job ${record.id} started: ${handle.command.join(' ')} (pid ${handle.pid})`);
    await this.follow(dir, record, handle);
    return record;
  }

  /**
   * What keeps the job's inputs from being used, before any job folder exists: the training set, and for a local job
   * the base model (a folder with config.json and weights; a hub id in the cache or on a reachable hub).
   */
  private async inputProblem(folder: vscode.WorkspaceFolder, spec: JobSpec, trainFile: string): Promise<{ error: string; fix?: string; demo?: boolean } | undefined> {
    if (!(await pathExists(trainFile))) return { error: vscode.l10n.t('The training dataset {0} does not exist.', trainFile) };
    if (spec.backend.kind !== 'local') return undefined;
    const fix = vscode.l10n.t('Pick a model folder with config.json and weights, or run "Fine-tune: Create Demo Model" for a tiny one that trains on a CPU in minutes.');
    const info = await inspectBaseModel(spec.baseModel, folder.uri.fsPath);
    if (info.kind === 'hub') {
      const reach = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking for {0} on the hub…', spec.baseModel) },
        () => checkHubModel(spec.baseModel),
      );
      if (reach.ok) return undefined;
      const hubFix = vscode.l10n.t('Use a local model folder, or "Fine-tune: Create Demo Model" to try the loop offline.');
      switch (reach.why) {
        case 'offline':
          return { error: vscode.l10n.t('{0} is not in the Hugging Face cache ({1}) and downloads are off (HF_HUB_OFFLINE).', spec.baseModel, reach.cache), fix: hubFix, demo: true };
        case 'unknown':
          return { error: vscode.l10n.t('The hub at {0} has no model {1} ({2}).', reach.endpoint, spec.baseModel, reach.detail ?? ''), fix: hubFix, demo: true };
        case 'gated':
          return { error: vscode.l10n.t('The hub at {0} refused {1} ({2}): it is private or gated, or does not exist.', reach.endpoint, spec.baseModel, reach.detail ?? ''), fix: vscode.l10n.t('Set HF_TOKEN for a gated model, or check the id.'), demo: true };
        case 'unreachable':
          return { error: vscode.l10n.t('Cannot reach {0} to download {1} ({2}), and it is not in the Hugging Face cache ({3}).', reach.endpoint, spec.baseModel, reach.detail ?? '', reach.cache), fix: hubFix, demo: true };
      }
    }
    switch (baseModelProblem(info)) {
      case 'missing':
        return { error: vscode.l10n.t('The base model folder {0} does not exist.', info.path), fix, demo: true };
      case 'noConfig':
        return { error: vscode.l10n.t('{0} has no config.json: it holds no model to train (tokenizer files only?).', info.path), fix, demo: true };
      case 'noWeights':
        return { error: vscode.l10n.t('{0} has no weights (*.safetensors or *.bin).', info.path), fix, demo: true };
      default:
        return undefined;
    }
  }

  /**
   * The backend for a spec, checked: Python, the trainer's packages and the GPUs. Undefined after telling the user
   * what is wrong and calling `fail` with the reason and the fix. Writes nothing.
   */
  async prepareBackend(
    folder: vscode.WorkspaceFolder,
    spec: JobSpec,
    fail: (error: string, fix?: string) => Promise<undefined>,
  ): Promise<{ backend: Backend; devices: 'cpu' | 'auto' | number[] } | undefined> {
    let python: string;
    let source: string;
    let backend: Backend;
    if (spec.backend.kind === 'local') {
      ({ python, source } = await resolvePython(this.config, folder));
      backend = await this.backend('local', python);
    } else {
      const { kind, name } = spec.backend;
      const entry = this.remote?.entry(name);
      if (!this.remote || !entry || entry.kind !== kind) {
        const problems = this.remote?.entries().problems ?? [];
        const msg = vscode.l10n.t('No {0} backend named "{1}" in the finetune.backends setting.', kind, name) + (problems.length ? ` ${problems.join('; ')}` : '');
        const fix = vscode.l10n.t('Add it to finetune.backends, or choose another backend.');
        void this.explain(msg, fix, 'none');
        return fail(msg, fix);
      }
      python = entry.python;
      source = `finetune.backends "${name}"`;
      const refused = await this.remote.connect(name); // a Slurm entry without a host: this machine, nothing to connect
      if (refused) {
        void this.explain(refused.error, refused.fix, 'none');
        return fail(refused.error, refused.fix);
      }
      try {
        backend = await this.backend(kind, python, name);
      } catch (err) {
        if (!(err instanceof UnknownBackend)) throw err;
        void this.explain(err.message, undefined, 'none');
        return fail(err.message);
      }
    }
    const devices = await this.preflight(backend, python, source, spec.backend.devices, fail);
    return devices === undefined ? undefined : { backend, devices };
  }

  private async preflight(
    backend: Backend,
    python: string,
    source: string,
    wanted: 'cpu' | 'auto' | number[],
    fail: (error: string, fix?: string) => Promise<undefined>,
  ): Promise<'cpu' | 'auto' | number[] | undefined> {
    let check;
    try {
      check = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking Python, packages and GPUs…') },
        () => backend.check(),
      );
    } catch (err) {
      if (err instanceof PythonNotFound) {
        const msg = vscode.l10n.t('Python not found: {0} (from {1}).', python, source);
        const fix = vscode.l10n.t('Set finetune.python.path to a Python 3.10+ with {0}, or select an interpreter in the Python extension.', TRAINER_PACKAGES.join(', '));
        void this.explain(msg, fix, 'settings');
        return fail(msg, fix);
      }
      const msg = err instanceof TrainerCheckFailed ? err.message : String(err);
      void this.explain(msg, undefined, 'log');
      return fail(msg);
    }
    const usable = devicesFor(check, wanted);
    if ('devices' in usable) return usable.devices;
    if (usable.kind === 'packages') {
      const msg = vscode.l10n.t('Python {0} (from {1}) lacks the packages the trainer needs: {2}.', check.executable, source, usable.missing.join(', '));
      const fix = `${quoteArg(check.executable)} -m pip install ${TRAINER_PACKAGES.join(' ')}`;
      void this.explain(msg, fix, 'copy');
      return fail(msg, fix);
    }
    if (usable.kind === 'gpusAbsent') {
      const { absent, present } = usable;
      const msg = present.length === 0
        ? vscode.l10n.t('No CUDA GPU found, but the job asks for GPU {0}.', absent.join(', '))
        : vscode.l10n.t('GPU {0} not found: this machine has GPU {1}.', absent.join(', '), present.join(', '));
      const fix = vscode.l10n.t('Choose the GPUs this machine has, or "cpu" for tiny models.');
      void this.explain(msg, fix, 'none');
      return fail(msg, fix);
    }
    // No GPU and any device will do: train on the CPU only when the user says so.
    const onCpu = vscode.l10n.t('Train on the CPU');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('No CUDA GPU found on this machine.'),
      { modal: true, detail: this.noGpuAdvice() },
      onCpu,
    );
    if (answer !== onCpu) return fail(vscode.l10n.t('No CUDA GPU found on this machine.'), vscode.l10n.t('Run it on a machine with a GPU, or set the backend devices to "cpu".'));
    return 'cpu';
  }

  /** Training on the CPU suits tiny models only: name the GPU backends configured, or how to add one. */
  private noGpuAdvice(): string {
    const backends = this.remote?.entries().backends ?? [];
    const cpu = vscode.l10n.t('Training on the CPU is only practical for tiny models.');
    if (backends.length === 0) {
      return `${cpu} ${vscode.l10n.t('For real ones, train where the GPUs are: add an SSH host or a Slurm cluster with "Fine-tune: Add SSH Backend…" (the finetune.backends setting) and name it in the job\'s backend.')}`;
    }
    const names = backends.map((b) => `${b.name} (${b.kind})`).join(', ');
    const first = backends[0]!;
    return `${cpu} ${vscode.l10n.t('Your GPU backends: {0}. Name one in the job\'s backend, e.g. "backend": {"kind": "{1}", "name": "{2}"}.', names, first.kind, first.name)}`;
  }

  private async explain(message: string, fix: string | undefined, action: 'settings' | 'copy' | 'log' | 'demo' | 'none'): Promise<void> {
    const button =
      action === 'settings' ? vscode.l10n.t('Open Settings')
        : action === 'copy' ? vscode.l10n.t('Copy Install Command')
          : action === 'log' ? vscode.l10n.t('Show Log')
            : action === 'demo' ? vscode.l10n.t('Create Demo Model') : undefined;
    // Another Python may already have the packages: offer to pick it wherever Python is the problem.
    const select = action === 'settings' || action === 'copy' ? vscode.l10n.t('Select Python Interpreter…') : undefined;
    const buttons = [button, select].filter((b): b is string => b !== undefined);
    const choice = await vscode.window.showErrorMessage(fix ? `${message} ${fix}` : message, ...buttons);
    if (!choice) return;
    if (choice === select) return selectInterpreter();
    if (action === 'settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'finetune.python.path');
    if (action === 'copy' && fix) await vscode.env.clipboard.writeText(fix);
    if (action === 'log') this.log.show();
    if (action === 'demo') await vscode.commands.executeCommand('finetune.createDemoModel');
  }

  /**
   * Runs a trainer tool command on this machine (not a job) with the job's Python, after the same check of Python and
   * packages; its JSON answer, or undefined after telling the user what went wrong.
   */
  async runTrainerTool(folder: vscode.WorkspaceFolder, args: string[], title: string): Promise<Record<string, unknown> | undefined> {
    if (!this.mayLaunch()) return undefined;
    const { python, source } = await resolvePython(this.config, folder);
    const launcher = this.launcher(python);
    const backend = await this.backend('local', python);
    const ready = await this.preflight(backend, python, source, 'cpu', () => Promise.resolve(undefined));
    if (ready === undefined) return undefined;
    try {
      const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => runTrainerTool(launcher, args));
      if (typeof answer['error'] === 'string') {
        void this.explain(answer['error'], typeof answer['fix'] === 'string' ? answer['fix'] : undefined, 'log');
        this.log.error(`${args[0]}: ${answer['error']}`);
        return undefined;
      }
      return answer;
    } catch (err) {
      this.log.error(`${args[0]}: ${String(err)}`);
      void this.explain(err instanceof Error ? err.message : String(err), undefined, 'log');
      return undefined;
    }
  }

  /** Cancels a running job: the whole process group ends; the job is marked cancelled when it has. */
  async cancel(dir: string): Promise<boolean> {
    if (!this.mayLaunch()) return false;
    const follower = this.followers.get(dir);
    const record = follower?.record ?? (await readJobRecord(dir));
    if (!record.run || FINISHED.includes(record.status)) return false;
    const problem = await this.unsafeJobFolder(dir, record.run);
    if (problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" was not cancelled: {1}', record.name, problem));
      return false;
    }
    if (follower) follower.cancelRequested = true;
    await (await this.backendFor(record.run)).cancel(record.run);
    if (!follower) {
      await writeJob(dir, { ...record, status: 'cancelled', endedAt: new Date().toISOString() });
      this.changedEmitter.fire();
    }
    return true;
  }

  /**
   * Why a job folder must not be followed or its run signalled, or undefined when it may: a link where a follower
   * writes, or a run folder outside the job's own folder (a record may name any path).
   */
  async unsafeJobFolder(dir: string, run: RunHandle): Promise<string | undefined> {
    const unsafe = await unsafeJobFolder(dir, run);
    return unsafe ? unsafePathText(unsafe) : undefined;
  }

  /**
   * Re-attaches to every running job of the open folders: reads its events from the saved offset on. Only in a
   * trusted workspace (trust granted later re-attaches then), and only to jobs whose folder passes unsafeJobFolder.
   */
  async reattachAll(): Promise<number> {
    if (!vscode.workspace.isTrusted) return 0;
    let count = 0;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      for (const job of await listJobs(folder.uri.fsPath)) {
        if (!('record' in job) || this.followers.has(job.dir)) continue;
        const { record } = job;
        if (record.status === 'queued' && !record.run) {
          await writeJob(job.dir, { ...record, status: 'failed', error: vscode.l10n.t('VS Code closed before the job was launched.'), endedAt: new Date().toISOString() });
          continue;
        }
        if (record.status !== 'running' || !record.run) continue;
        const problem = await this.unsafeJobFolder(job.dir, record.run);
        if (problem) {
          this.log.warn(`not re-attaching to job ${job.dir}: ${problem}`);
          void vscode.window.showWarningMessage(vscode.l10n.t('Job "{0}" is not followed: {1}', record.name, problem));
          continue;
        }
        if (await JobFollower.followedElsewhere(job.dir)) continue;
        try {
          await this.follow(job.dir, record, record.run);
        } catch (err) {
          // A remote backend no longer in the settings: the other jobs are still followed.
          this.log.warn(`not re-attaching to job ${job.dir}: ${(err as Error).message}`);
          void vscode.window.showWarningMessage(vscode.l10n.t('Job "{0}" is not followed: {1}', record.name, (err as Error).message));
          continue;
        }
        count++;
      }
    }
    if (count > 0) this.log.info(`re-attached to ${count} running job(s)`);
    return count;
  }

  private async follow(dir: string, record: JobRecord, handle: RunHandle): Promise<void> {
    const backend = await this.backendFor(handle);
    const follower = new JobFollower(dir, record, handle, backend, {
      changed: () => this.changedEmitter.fire(),
      problem: (message) => this.log.warn(`job ${record.id}: ${message}`),
      logTail: (lines) => backend.logTail(handle, lines),
      reasons: {
        exitCode: (code, tail) => vscode.l10n.t('The trainer exited with code {0}.', String(code ?? '?')) + (tail ? `\n${tail}` : ''),
        lost: (reason) => vscode.l10n.t('The trainer process is gone: {0}.', reason),
        runFolderGone: runFolderGoneText,
      },
    });
    this.followers.set(dir, follower);
    this.changedEmitter.fire();
    this.timer ??= setInterval(() => void this.tickAll(), TICK_MS);
  }

  private async tickAll(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const [dir, follower] of this.followers) {
        let outcome;
        try {
          outcome = await follower.tick();
        } catch (err) {
          this.log.error(`following ${dir}: ${(err as Error).message}`);
          if (err instanceof UnsafePath) {
            // A link planted while following: stop writing there at once.
            this.followers.delete(dir);
            void vscode.window.showWarningMessage(vscode.l10n.t('Job "{0}" is not followed: {1}', follower.record.name, unsafePathText(err)));
            this.changedEmitter.fire();
          }
          continue;
        }
        if (!outcome) continue;
        this.followers.delete(dir);
        if (outcome === 'job-folder-deleted') {
          const run = follower.record.run;
          if (run) await (await this.backendFor(run)).cancel(run).catch(() => undefined);
          void vscode.window.showWarningMessage(vscode.l10n.t('The folder of job "{0}" was deleted, so its trainer was stopped.', follower.record.name));
        } else {
          this.endedEmitter.fire({ dir, record: follower.record });
        }
        this.changedEmitter.fire();
      }
    } finally {
      this.ticking = false;
      if (this.followers.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }
  }

  /** The trainer launcher for this machine; FINETUNE_TRAINER_ENTRY (tests) names a stand-in script. */
  private launcher(python: string): TrainerLauncher {
    const entryScript = process.env.FINETUNE_TRAINER_ENTRY;
    return { python, trainerDir: path.join(this.extensionPath, 'trainer'), ...(entryScript ? { entryScript } : {}) };
  }

  /** The secret that signs runs on every backend (runToken.ts), read once; deploy signs its runs with it too. */
  runSecret(): Promise<string> {
    this.secret ??= loadRunSecret(this.storageDir).catch((err: unknown) => {
      this.secret = undefined; // try again next time
      throw err;
    });
    return this.secret;
  }

  private async backend(kind: JobSpec['backend']['kind'] | RunHandle['backend'], python: string, name?: string): Promise<Backend> {
    const remote = this.remote;
    const named = remote ? { ssh: (n: string) => remote.sshOptions(n), slurm: (n: string) => remote.slurmOptions(n, reviewSbatchScript) } : {};
    return createBackend(kind, { launcher: (p) => this.launcher(p), runSecret: await this.runSecret(), ...named }, python, name);
  }

  /** A `finetune.backends` entry's backend (the Test Connection command). */
  namedBackend(kind: 'ssh' | 'slurm', name: string, python: string): Promise<Backend> {
    return this.backend(kind, python, name);
  }

  /** The backend a run is on (for its status, events, log, checkpoints and artifacts). */
  backendFor(handle: RunHandle): Promise<Backend> {
    // Status, events and cancel of a run need no Python; the launcher's python only matters for start/check.
    return this.backend(handle.backend, handle.command[0] ?? 'python3', handle.backend === 'local' ? undefined : handle.backendName);
  }
}

/** Why a job or task failed whose run folder went away under it (its trainer is stopped). */
export function runFolderGoneText(runDir: string): string {
  return vscode.l10n.t('The run folder {0} was deleted while the job was running; the trainer was stopped.', runDir);
}

/** Quotes a path for a POSIX shell command line the user may copy. */
function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The Python extension's interpreter picker when it is installed; otherwise the finetune.python.path setting. */
async function selectInterpreter(): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('python.setInterpreter')) await vscode.commands.executeCommand('python.setInterpreter');
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'finetune.python.path');
}
