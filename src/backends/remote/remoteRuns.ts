// What the SSH and Slurm backends share about runs in a remote workDir (src/backends/remote/layout.ts): the trainer
// package and datasets uploaded by content hash, the run's config written there, its events read by byte offset,
// its log, checkpoints and small files fetched back, and the trainer's check run through the backend's setup lines.
// Only records whose run folder is directly under <workDir>/runs are ever read from or acted on.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import { PythonNotFound, RunFolderGone, TrainerCheckFailed, type LaunchRequest, type RunArtifact } from '../backend';
import type { RunHandle } from '../../shared/job';
import { TrainerCheck } from '../../shared/trainerCheck';
import { ARTIFACT_FILES, RUN_FILES } from '../runFiles';
import { writeFileAtomic } from '../../core/safeFiles';
import { SETUP_FAILED, type RemoteExec } from './exec';
import { tailLines, type RemoteFiles } from './files';
import { resolveWorkDir, remoteLayout, remoteRunDir, runFile, type RemoteLayout } from './layout';
import { lastJsonLine, lastLines } from '../processOutput';
import { uploadDataset, uploadPackage, type PackageUpload } from './upload';

/** The machine a remote backend works on: an SSH session, or this machine when it is a Slurm login node. */
export interface RemoteHost extends RemoteExec, RemoteFiles {
  /** The login's home folder (a workDir may start with ~/). */
  home(): Promise<string>;
  /** Runs `fn` again after a dropped connection: only for what may safely run twice. */
  retrying<T>(fn: (c: RemoteExec & RemoteFiles) => Promise<T>): Promise<T>;
}

export interface RemoteTrainer {
  /** What to upload: the finetune_trainer package folder (and, in tests, a stand-in script). */
  upload: PackageUpload;
  /** The arguments after python: `-m finetune_trainer`, or a stand-in script's file name (found in the upload). */
  entry?: { script: string };
}

/** The trainer package in `trainerDir` (the extension's or the CLI's `trainer/`), or the tests' stand-in script. */
export function remoteTrainer(trainerDir: string, standIn: string | undefined): RemoteTrainer {
  return {
    upload: { folders: [path.join(trainerDir, 'finetune_trainer')], ...(standIn ? { files: [standIn] } : {}) },
    ...(standIn ? { entry: { script: path.basename(standIn) } } : {}),
  };
}

/** What an SSH or Slurm backend named `name` needs besides its config: the trainer to upload and its file cache. */
export function remoteDeps(trainerDir: string, standIn: string | undefined, storageDir: string, name: string): { trainer: RemoteTrainer; cacheDir: string } {
  return { trainer: remoteTrainer(trainerDir, standIn), cacheDir: path.join(storageDir, 'remote-files', name) };
}

export interface RemoteRunsOptions {
  kind: 'ssh' | 'slurm';
  /** The `finetune.backends` name. */
  name: string;
  config: { python: string; setup: readonly string[]; workDir: string };
  host: RemoteHost;
  trainer: RemoteTrainer;
  /** Where fetched artifacts go on this machine when the caller names no file. */
  cacheDir: string;
}

/** A run folder prepared by `prepare`: the config written, the trainer there. */
export interface PreparedRun {
  runDir: string;
  configFile: string;
  /** The uploaded trainer's folder (for PYTHONPATH). */
  trainerDir: string;
  /** The arguments after python that run the trainer's CLI. */
  entryArgs: string[];
}

const MAX_CHUNK = 8 * 1024 * 1024;
const KIND_LABEL = { ssh: 'SSH', slurm: 'Slurm' } as const;

export class RemoteRuns {
  private layoutPromise?: Promise<RemoteLayout>;
  private trainerRoot?: Promise<string>;

  constructor(private readonly options: RemoteRunsOptions) {}

  private get host(): RemoteHost {
    return this.options.host;
  }

  /** "the SSH backend "lab"", for messages. */
  get label(): string {
    return `the ${KIND_LABEL[this.options.kind]} backend "${this.options.name}"`;
  }

  layout(): Promise<RemoteLayout> {
    this.layoutPromise ??= (async () => {
      return remoteLayout(await resolveWorkDir(this.options.config.workDir, this.host));
    })();
    this.layoutPromise.catch(() => (this.layoutPromise = undefined));
    return this.layoutPromise;
  }

  /** The uploaded trainer's folder (for PYTHONPATH), uploading it once per backend object when it is not there. */
  trainerDir(): Promise<string> {
    this.trainerRoot ??= (async () => (await uploadPackage(this.host, await this.layout(), this.options.trainer.upload)).remotePath)();
    this.trainerRoot.catch(() => (this.trainerRoot = undefined));
    return this.trainerRoot;
  }

  entryArgs(root: string): string[] {
    const entry = this.options.trainer.entry;
    return entry ? [posix.join(root, entry.script)] : ['-m', 'finetune_trainer'];
  }

  /**
   * A record's run folder, when it is one of this backend's (directly under workDir/runs): a job record may come
   * from a cloned repository and name any remote path, which is then never read from or acted on.
   */
  async ownRunDir(handle: RunHandle): Promise<string> {
    const { runs } = await this.layout();
    const dir = handle.runDir;
    const base = posix.basename(dir);
    if (handle.backend !== this.options.kind || posix.dirname(dir) !== runs || !/^[A-Za-z0-9._-]+$/.test(base) || /^\.+$/.test(base)) {
      throw new Error(`${dir} is not a run folder of ${this.label} (its runs are in ${runs})`);
    }
    return dir;
  }

  /** `python -m finetune_trainer check` through the setup lines on the host, with the uploaded trainer. */
  async check(): Promise<TrainerCheck> {
    const root = await this.trainerDir();
    const python = this.options.config.python;
    const result = await this.host.exec(withPythonPath(root, [python, ...this.entryArgs(root), 'check']), { setup: this.options.config.setup });
    if (result.code === SETUP_FAILED) throw new TrainerCheckFailed(`A setup line failed on the remote side: ${lastLines(result.stderr || result.stdout)}`);
    if (result.code === 127 || (result.code !== 0 && /not found|No such file/i.test(result.stderr) && !result.stdout.trim())) {
      throw new PythonNotFound(python, lastLines(result.stderr) || `exit ${result.code}`);
    }
    const line = lastJsonLine(result.stdout);
    if (result.code !== 0 || !line) {
      throw new TrainerCheckFailed(`${python} -m finetune_trainer check failed on the remote side (exit ${result.code}): ${lastLines(result.stderr || result.stdout)}`);
    }
    try {
      return TrainerCheck.parse(JSON.parse(line));
    } catch (e) {
      throw new TrainerCheckFailed(`unexpected output of the trainer check: ${(e as Error).message}`);
    }
  }

  /**
   * The run folder for a launch, with the datasets and the trainer uploaded and the config written (`extra` on top
   * of the request's, e.g. resume_from_checkpoint for a requeued Slurm job). Nothing is started.
   */
  async prepare(request: LaunchRequest, extra: Partial<LaunchRequest['config']> = {}): Promise<PreparedRun> {
    const layout = await this.layout();
    const runDir = remoteRunDir(layout, request.runDir);
    await this.host.mkdirp(runDir);
    const config = { ...request.config, ...extra };
    // An output folder comes from a job record (export writes into the job's own output): only inside workDir,
    // so a record from a cloned repository cannot make the trainer write elsewhere in the user's account.
    if (config.output_dir !== undefined && !isInside(layout.workDir, config.output_dir)) {
      throw new Error(`The output folder ${config.output_dir} is outside the workDir ${layout.workDir} of ${this.label}.`);
    }
    await this.assertRemoteModel(config.model_name_or_path);
    config.train_file = (await uploadDataset(this.host, this.host, layout, request.config.train_file)).remotePath;
    if (request.config.eval_file) config.eval_file = (await uploadDataset(this.host, this.host, layout, request.config.eval_file)).remotePath;
    const configFile = runFile(runDir, 'config');
    const full = { ...config, output_dir: config.output_dir ?? this.outputDir(runDir), events_file: runFile(runDir, 'events') };
    await this.host.writeFileAtomic(configFile, JSON.stringify(full, null, 2) + '\n');
    const trainerDir = await this.trainerDir();
    return { runDir, configFile, trainerDir, entryArgs: this.entryArgs(trainerDir) };
  }

  /** A base model given as a path must be on the remote side: models are never copied from this machine. */
  private async assertRemoteModel(model: string): Promise<void> {
    if (!posix.isAbsolute(model)) return; // a hub id
    if (!(await this.host.stat(model))) {
      throw new Error(`The base model ${model} is not on ${this.label}: give a folder on the remote side, or a hub id.`);
    }
  }

  async readEvents(handle: RunHandle, offset: number): Promise<Buffer> {
    const runDir = await this.ownRunDir(handle);
    const bytes = await this.host.readFrom(runFile(runDir, 'events'), offset, MAX_CHUNK);
    if (bytes) return bytes;
    if (await this.host.stat(runDir)) return Buffer.alloc(0); // not written yet
    throw new RunFolderGone(runDir);
  }

  async logTail(handle: RunHandle, lines: number): Promise<string> {
    const runDir = await this.ownRunDir(handle).catch(() => undefined);
    return runDir ? tailLines(this.host, runFile(runDir, 'log'), lines) : '';
  }

  outputDir(runDir: string): string {
    return posix.join(runDir, RUN_FILES.output);
  }

  async checkpoints(handle: RunHandle): Promise<{ step: number; path: string }[]> {
    const output = this.outputDir(await this.ownRunDir(handle));
    const result = await this.host.retrying((c) =>
      c.exec(['sh', '-c', 'cd "$1" 2>/dev/null || exit 0; for d in checkpoint-*; do [ -d "$d" ] && echo "$d"; done; exit 0', 'sh', output]),
    );
    const found: { step: number; path: string }[] = [];
    for (const name of result.stdout.split('\n')) {
      const m = /^checkpoint-(\d+)$/.exec(name.trim());
      if (m) found.push({ step: Number(m[1]), path: posix.join(output, m[0]) });
    }
    return found.sort((a, b) => b.step - a.step);
  }

  /** Small files come back (copied whole); checkpoints and weights stay remote. */
  async fetchArtifact(handle: RunHandle, artifact: RunArtifact, localPath?: string): Promise<string | undefined> {
    const remote = posix.join(await this.ownRunDir(handle), ARTIFACT_FILES[artifact]);
    const st = await this.host.stat(remote);
    if (!st || st.isDirectory) return undefined;
    const chunks: Buffer[] = [];
    for (let offset = 0; ; ) {
      const bytes = await this.host.readFrom(remote, offset, MAX_CHUNK);
      if (!bytes || bytes.length === 0) break;
      chunks.push(bytes);
      offset += bytes.length;
    }
    const key = createHash('sha256').update(`${this.options.name}\0${handle.runDir}`).digest('hex').slice(0, 16);
    const target = localPath ?? path.join(this.options.cacheDir, key, ARTIFACT_FILES[artifact]);
    await writeFileAtomic(target, Buffer.concat(chunks)); // makes its folders, never through a link
    return target;
  }
}

/** The Backend methods the SSH and Slurm backends answer alike, from the run folder in workDir. */
export abstract class RemoteRunsBackend {
  constructor(protected readonly runs: RemoteRuns) {}

  /** The trainer's check through the setup lines (on a Slurm cluster: the login node's). */
  check(): Promise<TrainerCheck> {
    return this.runs.check();
  }

  readEvents(handle: RunHandle, offset: number): Promise<Buffer> {
    return this.runs.readEvents(handle, offset);
  }

  logTail(handle: RunHandle, lines: number): Promise<string> {
    return this.runs.logTail(handle, lines);
  }

  outputDir(runDir: string): string {
    return this.runs.outputDir(runDir);
  }

  checkpoints(handle: RunHandle): Promise<{ step: number; path: string }[]> {
    return this.runs.checkpoints(handle);
  }

  fetchArtifact(handle: RunHandle, artifact: RunArtifact, localPath?: string): Promise<string | undefined> {
    return this.runs.fetchArtifact(handle, artifact, localPath);
  }
}

/** Runs argv with `dir` put first on PYTHONPATH (keeping what the setup lines set). */
export function withPythonPath(dir: string, argv: readonly string[]): string[] {
  return ['sh', '-c', 'PYTHONPATH="$1${PYTHONPATH:+:$PYTHONPATH}"; export PYTHONPATH; shift; exec "$@"', 'sh', dir, ...argv];
}

function isInside(dir: string, target: string): boolean {
  const normalized = posix.normalize(target);
  return posix.isAbsolute(normalized) && normalized.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
