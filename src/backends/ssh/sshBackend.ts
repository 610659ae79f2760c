// The trainer on an SSH host: the trainer package and the datasets uploaded into workDir by content hash, the run
// detached there (src/backends/remote/detached.ts) so it outlives the connection, its events read by byte offset
// over SFTP. Reads, status and cancel reconnect with backoff (SshSession.retrying); the launch never repeats.
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import { PythonNotFound, RunFolderGone, TrainerCheckFailed, type Backend, type LaunchRequest, type RunArtifact, type RunState } from '../backend';
import type { RemoteRunHandle, RunHandle } from '../../shared/job';
import { TrainerCheck } from '../../shared/trainerCheck';
import type { SshBackendConfig } from '../../shared/backendConfig';
import { trainerInvocation } from '../local/launcher';
import { tokenFor } from '../local/runToken';
import { ARTIFACT_FILES, RUN_FILES } from '../runFiles';
import { cancelRemoteRun, launchDetached, remoteRunState } from '../remote/detached';
import { expandRemoteHome, remoteLayout, remoteRunDir, runFile, type RemoteLayout } from '../remote/layout';
import { uploadDataset, uploadPackage, type PackageUpload } from '../remote/upload';
import { writeFileAtomic } from '../../core/safeFiles';
import type { SshSession } from './session';

export interface RemoteTrainer {
  /** What to upload: the finetune_trainer package folder (and, in tests, a stand-in script). */
  upload: PackageUpload;
  /** The arguments after python: `-m finetune_trainer`, or a stand-in script's file name (found in the upload). */
  entry?: { script: string };
}

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

const MAX_EVENTS_CHUNK = 8 * 1024 * 1024;

/** Runs argv with `dir` put first on PYTHONPATH (keeping what the setup lines set). */
function withPythonPath(dir: string, argv: readonly string[]): string[] {
  return ['sh', '-c', 'PYTHONPATH="$1${PYTHONPATH:+:$PYTHONPATH}"; export PYTHONPATH; shift; exec "$@"', 'sh', dir, ...argv];
}

export class SshBackend implements Backend {
  readonly kind = 'ssh' as const;
  private layoutPromise?: Promise<RemoteLayout>;
  private trainerRoot?: Promise<string>;

  constructor(private readonly options: SshBackendOptions) {}

  private get session(): SshSession {
    return this.options.session;
  }

  private layout(): Promise<RemoteLayout> {
    this.layoutPromise ??= (async () => {
      const dir = this.options.config.workDir;
      const home = dir === '~' || dir.startsWith('~/') ? await this.session.realpath('.') : '';
      return remoteLayout(expandRemoteHome(dir, home));
    })();
    this.layoutPromise.catch(() => (this.layoutPromise = undefined));
    return this.layoutPromise;
  }

  /** The uploaded trainer's folder (for PYTHONPATH), uploading it once per backend object when it is not there. */
  private trainerDir(): Promise<string> {
    this.trainerRoot ??= (async () => (await uploadPackage(this.session, await this.layout(), this.options.trainer.upload)).remotePath)();
    this.trainerRoot.catch(() => (this.trainerRoot = undefined));
    return this.trainerRoot;
  }

  private entryArgs(root: string): string[] {
    const entry = this.options.trainer.entry;
    return entry ? [posix.join(root, entry.script)] : ['-m', 'finetune_trainer'];
  }

  /**
   * A record's run folder, when it is one of this backend's (directly under workDir/runs): a job record may come
   * from a cloned repository and name any remote path, which is then never read from or acted on.
   */
  private async ownRunDir(handle: RunHandle): Promise<string> {
    const { runs } = await this.layout();
    const dir = handle.runDir;
    if (handle.backend !== 'ssh' || posix.dirname(dir) !== runs || !/^[A-Za-z0-9._-]+$/.test(posix.basename(dir)) || /^\.+$/.test(posix.basename(dir))) {
      throw new Error(`${dir} is not a run folder of the SSH backend "${this.options.name}" (its runs are in ${runs})`);
    }
    return dir;
  }

  private token(runDir: string): string {
    return tokenFor(this.options.runSecret, runDir);
  }

  async check(): Promise<TrainerCheck> {
    const root = await this.trainerDir();
    const python = this.options.config.python;
    const result = await this.session.exec(withPythonPath(root, [python, ...this.entryArgs(root), 'check']), { setup: this.options.config.setup });
    if (result.code === 97) throw new TrainerCheckFailed(`A setup line failed on the remote side: ${lastLines(result.stderr || result.stdout)}`);
    if (result.code === 127 || (result.code !== 0 && /not found|No such file/i.test(result.stderr) && !result.stdout.trim())) {
      throw new PythonNotFound(python, lastLines(result.stderr) || `exit ${result.code}`);
    }
    const line = result.stdout.split(/\r?\n/).reverse().find((l) => l.trim().startsWith('{'));
    if (result.code !== 0 || !line) {
      throw new TrainerCheckFailed(`${python} -m finetune_trainer check failed on the remote side (exit ${result.code}): ${lastLines(result.stderr || result.stdout)}`);
    }
    try {
      return TrainerCheck.parse(JSON.parse(line));
    } catch (e) {
      throw new TrainerCheckFailed(`unexpected output of the trainer check: ${(e as Error).message}`);
    }
  }

  async start(request: LaunchRequest): Promise<RunHandle> {
    const layout = await this.layout();
    const runDir = remoteRunDir(layout, request.runDir);
    await this.session.mkdirp(runDir);
    const config = { ...request.config };
    // An output folder comes from a job record (export writes into the job's own output): only inside workDir,
    // so a record from a cloned repository cannot make the trainer write elsewhere in the user's account.
    if (config.output_dir !== undefined && !isInside(layout.workDir, config.output_dir)) {
      throw new Error(`The output folder ${config.output_dir} is outside the workDir ${layout.workDir} of the SSH backend "${this.options.name}".`);
    }
    await this.assertRemoteModel(config.model_name_or_path);
    config.train_file = (await uploadDataset(this.session, this.session, layout, request.config.train_file)).remotePath;
    if (request.config.eval_file) config.eval_file = (await uploadDataset(this.session, this.session, layout, request.config.eval_file)).remotePath;
    const configFile = runFile(runDir, 'config');
    const full = { ...config, output_dir: config.output_dir ?? this.outputDir(runDir), events_file: runFile(runDir, 'events') };
    await this.session.writeFileAtomic(configFile, JSON.stringify(full, null, 2) + '\n');
    const root = await this.trainerDir();
    const { argv, env } = trainerInvocation(this.options.config.python, this.entryArgs(root), request.command, configFile, request.devices);
    const pid = await launchDetached(this.session, {
      runDir,
      argv: withPythonPath(root, argv),
      env,
      token: this.token(runDir),
      setup: this.options.config.setup,
    });
    const handle: RemoteRunHandle = { backend: 'ssh', backendName: this.options.name, pid, runDir, command: argv };
    return handle;
  }

  /** A base model given as a path must be on the remote side: models are never copied from this machine. */
  private async assertRemoteModel(model: string): Promise<void> {
    if (!posix.isAbsolute(model)) return; // a hub id
    const there = await this.session.stat(model);
    if (!there) {
      throw new Error(`The base model ${model} is not on the SSH backend "${this.options.name}": give a folder on the remote side, or a hub id.`);
    }
  }

  async readEvents(handle: RunHandle, offset: number): Promise<Buffer> {
    const runDir = await this.ownRunDir(handle);
    const bytes = await this.session.readFrom(runFile(runDir, 'events'), offset, MAX_EVENTS_CHUNK);
    if (bytes) return bytes;
    if (await this.session.stat(runDir)) return Buffer.alloc(0); // not written yet
    throw new RunFolderGone(runDir);
  }

  async status(handle: RunHandle): Promise<RunState> {
    const runDir = await this.ownRunDir(handle);
    return this.session.retrying((c) => remoteRunState(c, runDir, this.token(runDir)));
  }

  async cancel(handle: RunHandle): Promise<void> {
    const runDir = await this.ownRunDir(handle);
    return this.session.retrying((c) => cancelRemoteRun(c, runDir, this.token(runDir), this.options.cancelGraceMs));
  }

  async logTail(handle: RunHandle, lines: number): Promise<string> {
    try {
      const file = runFile(await this.ownRunDir(handle), 'log');
      const size = (await this.session.stat(file))?.size ?? 0;
      const start = Math.max(0, size - 64 * 1024);
      const bytes = (await this.session.readFrom(file, start, 64 * 1024)) ?? Buffer.alloc(0);
      return bytes.toString('utf8').split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  outputDir(runDir: string): string {
    return posix.join(runDir, RUN_FILES.output);
  }

  async checkpoints(handle: RunHandle): Promise<{ step: number; path: string }[]> {
    const output = this.outputDir(await this.ownRunDir(handle));
    const result = await this.session.retrying((c) =>
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
    const st = await this.session.stat(remote);
    if (!st || st.isDirectory) return undefined;
    const chunks: Buffer[] = [];
    for (let offset = 0; ; ) {
      const bytes = await this.session.readFrom(remote, offset, MAX_EVENTS_CHUNK);
      if (!bytes || bytes.length === 0) break;
      chunks.push(bytes);
      offset += bytes.length;
    }
    const key = createHash('sha256').update(`${this.options.name}\0${handle.runDir}`).digest('hex').slice(0, 16);
    const target = localPath ?? path.join(this.options.cacheDir, key, ARTIFACT_FILES[artifact]);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, Buffer.concat(chunks));
    return target;
  }
}

function isInside(dir: string, target: string): boolean {
  const normalized = posix.normalize(target);
  return posix.isAbsolute(normalized) && normalized.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

function lastLines(text: string, n = 5): string {
  return text.trim().split(/\r?\n/).slice(-n).join('\n');
}
