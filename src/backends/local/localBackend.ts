// Runs the trainer on this machine, detached from VS Code: a shell wrapper in its own process group starts the
// trainer, records its exit code in the run folder, and outlives a reload of VS Code. The events file, the
// trainer's log and the exit code are all read from the run folder, so a new window can re-attach at any time.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RunFolderGone, type Backend, type LaunchRequest, type RunArtifact, type RunState } from '../backend';
import type { RunHandle } from '../../shared/job';
import { runTrainerCheck, trainerArgs, type TrainerLauncher } from './launcher';
import { runIsAlive, signalGroup, waitForRunExit } from './processes';
import { runToken } from './runToken';
import { copyFileAtomic, mkdirNoFollow, openAppendNoFollow, pathExists, writeFileAtomic } from '../../core/safeFiles';
import type { TrainerCheck } from '../../shared/trainerCheck';
import { ARTIFACT_FILES, EXIT_CODE_WRAPPER, RUN_FILES, RUN_TOKEN_ENV, WRAPPER_NAME } from '../runFiles';

export class LocalBackend implements Backend {
  readonly kind = 'local' as const;

  /**
   * `runSecret` (runToken.ts) signs each run's processes: only processes carrying the token of a run folder are
   * ever reported running or signalled.
   */
  constructor(
    private readonly launcher: TrainerLauncher,
    private readonly runSecret: string,
  ) {}

  private token(handle: Pick<RunHandle, 'runDir'>): string {
    return runToken(this.runSecret, handle.runDir);
  }

  check(): Promise<TrainerCheck> {
    return runTrainerCheck(this.launcher);
  }

  async start(request: LaunchRequest): Promise<RunHandle> {
    await mkdirNoFollow(request.runDir);
    const configFile = path.join(request.runDir, RUN_FILES.config);
    const config = { ...request.config, output_dir: request.config.output_dir ?? this.outputDir(request.runDir), events_file: path.join(request.runDir, RUN_FILES.events) };
    await writeFileAtomic(configFile, JSON.stringify(config, null, 2) + '\n');
    const { argv, env } = trainerArgs(this.launcher, request.command, configFile, request.devices);
    env[RUN_TOKEN_ENV] = this.token(request);
    const log = await openAppendNoFollow(path.join(request.runDir, RUN_FILES.log));
    try {
      const child = spawn('/bin/sh', ['-c', EXIT_CODE_WRAPPER, WRAPPER_NAME, ...argv], {
        cwd: request.runDir,
        detached: true, // its own process group: survives the window, and cancel can end the whole tree
        stdio: ['ignore', log.fd, log.fd],
        env,
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('spawn', () => resolve(child.pid!));
      });
      child.unref();
      return { backend: 'local', pid, runDir: request.runDir, command: argv };
    } finally {
      await log.close();
    }
  }

  async readEvents(handle: RunHandle, offset: number): Promise<Buffer> {
    const file = path.join(handle.runDir, RUN_FILES.events);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (await pathExists(handle.runDir)) return Buffer.alloc(0); // not written yet
      throw new RunFolderGone(handle.runDir);
    }
    try {
      const { size } = await fh.stat();
      const length = Math.min(Math.max(0, size - offset), 8 * 1024 * 1024);
      if (length === 0) return Buffer.alloc(0);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async status(handle: RunHandle): Promise<RunState> {
    // The wrapper may have been killed while the trainer goes on: any verified process of the group counts.
    if (await runIsAlive(handle.pid, this.token(handle))) return { state: 'running' };
    try {
      const text = (await fs.readFile(path.join(handle.runDir, RUN_FILES.exitCode), 'utf8')).trim();
      const code = Number.parseInt(text, 10);
      return { state: 'exited', code: Number.isFinite(code) ? code : null };
    } catch {
      if (!(await pathExists(handle.runDir))) return { state: 'lost', reason: 'run folder deleted' };
      return { state: 'lost', reason: 'the trainer process ended without recording an exit code (killed?)' };
    }
  }

  async cancel(handle: RunHandle): Promise<void> {
    const token = this.token(handle);
    // A group holding no process with this run's token is not ours to signal (a record may name any pid).
    if (!(await runIsAlive(handle.pid, token))) return;
    signalGroup(handle.pid, 'SIGTERM');
    if (await waitForRunExit(handle.pid, token, 10_000)) return;
    signalGroup(handle.pid, 'SIGKILL');
    await waitForRunExit(handle.pid, token, 5_000);
  }

  async logTail(handle: RunHandle, lines: number): Promise<string> {
    try {
      const fh = await fs.open(path.join(handle.runDir, RUN_FILES.log), 'r');
      try {
        const { size } = await fh.stat();
        const length = Math.min(size, 64 * 1024);
        const buffer = Buffer.alloc(length);
        await fh.read(buffer, 0, length, size - length);
        return buffer.toString('utf8').split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
      } finally {
        await fh.close();
      }
    } catch {
      return '';
    }
  }

  outputDir(runDir: string): string {
    return path.join(runDir, RUN_FILES.output);
  }

  async checkpoints(handle: RunHandle): Promise<{ step: number; path: string }[]> {
    const output = this.outputDir(handle.runDir);
    const found: { step: number; path: string }[] = [];
    for (const entry of await fs.readdir(output, { withFileTypes: true }).catch(() => [])) {
      const m = /^checkpoint-(\d+)$/.exec(entry.name);
      if (m && entry.isDirectory()) found.push({ step: Number(m[1]), path: path.join(output, entry.name) });
    }
    return found.sort((a, b) => b.step - a.step);
  }

  async fetchArtifact(handle: RunHandle, artifact: RunArtifact, localPath?: string): Promise<string | undefined> {
    const file = path.join(handle.runDir, ARTIFACT_FILES[artifact]);
    if (!(await pathExists(file))) return undefined;
    if (localPath === undefined || path.resolve(file) === path.resolve(localPath)) return file;
    // A link at localPath is replaced, never written through.
    await copyFileAtomic(file, localPath);
    return localPath;
  }

}
