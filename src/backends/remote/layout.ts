// Where things live under a remote backend's workDir (POSIX paths on that side):
//   <workDir>/runs/<run name>/      a run folder (RUN_FILES: config.json, events.jsonl, trainer.log, pid, exit_code, output/)
//   <workDir>/datasets/<sha256>/    an uploaded dataset, keyed by its content
//   <workDir>/trainer/<hash>/       the trainer package (finetune_trainer/), keyed by the hash of its files
import * as posix from 'node:path/posix';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { RUN_FILES } from '../runFiles';

export interface RemoteLayout {
  workDir: string;
  runs: string;
  datasets: string;
  trainer: string;
}

export function remoteLayout(workDir: string): RemoteLayout {
  if (!posix.isAbsolute(workDir)) throw new Error(`workDir must be an absolute path on the remote side (or start with ~/): ${workDir}`);
  const root = posix.normalize(workDir).replace(/\/+$/, '') || '/';
  return { workDir: root, runs: posix.join(root, 'runs'), datasets: posix.join(root, 'datasets'), trainer: posix.join(root, 'trainer') };
}

/** A file of a remote run folder. */
export function runFile(runDir: string, file: keyof typeof RUN_FILES): string {
  return posix.join(runDir, RUN_FILES[file]);
}

/**
 * The remote run folder for a run whose folder on this machine is `localRunDir` (`.finetune/jobs/<id>/run`, or a
 * task's folder): the job id and folder name, made safe, plus a hash of the whole path, so two workspaces never
 * share one.
 */
export function remoteRunDir(layout: RemoteLayout, localRunDir: string): string {
  const resolved = path.resolve(localRunDir);
  const readable = `${path.basename(path.dirname(resolved))}-${path.basename(resolved)}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, 10);
  return posix.join(layout.runs, `${readable}-${hash}`);
}

/** A leading `~/` in a workDir is the login's home folder (`home` as the remote side says it). */
export function expandRemoteHome(dir: string, home: string): string {
  if (dir === '~') return home;
  return dir.startsWith('~/') ? posix.join(home, dir.slice(2)) : dir;
}

/** A workDir with its leading `~` expanded; the host is asked for its home folder only when there is one. */
export async function resolveWorkDir(dir: string, host: { home(): Promise<string> }): Promise<string> {
  return dir === '~' || dir.startsWith('~/') ? expandRemoteHome(dir, await host.home()) : dir;
}
