// `job follow`, `job cancel` and `job logs` on a job of the current folder: its record (untrusted: read bounded,
// never through a link), the backend its run is on, and the checks the editor makes before it follows or signals
// anything (src/backends/jobs/launch.ts unsafeJobFolder; a local run's processes verified by their token).
import * as path from 'node:path';
import type { Backend } from '../../backends/backend';
import { unsafeJobFolder } from '../../backends/jobs/launch';
import { groupExists } from '../../backends/local/processes';
import { JOBS_DIR, readJobRecord } from '../../core/jobs/jobStore';
import { pathExists } from '../../core/safeFiles';
import type { JobRecord, RunHandle } from '../../shared/job';
import { resolveBackendEntry } from './backendEntry';
import type { JobCommandContext } from './context';
import { jobCliMessage } from './messages';
import { STORAGE_ENV } from './state';

export interface RunningJob {
  dir: string;
  record: JobRecord;
  handle: RunHandle;
  backend: Backend;
}

/** The job folder and record of `id` under the current folder, or what is wrong. */
export async function findJob(ctx: JobCommandContext, id: string): Promise<{ dir: string; record: JobRecord } | { error: string }> {
  const jobsDir = path.join(ctx.io.cwd, JOBS_DIR);
  const dir = path.join(jobsDir, id);
  if (!(await pathExists(dir))) return { error: jobCliMessage(ctx.locale, 'job.notFound', { id, dir: jobsDir }) };
  try {
    return { dir, record: await readJobRecord(dir) };
  } catch (err) {
    return { error: jobCliMessage(ctx.locale, 'job.unreadable', { id, problem: (err as Error).message }) };
  }
}

/**
 * The job's run and its backend: a remote run's `finetune.backends` entry from --backend (a name or a file) or by the
 * run's own backend name in the workspace settings, connected. Refused when the folder is unsafe to act on.
 */
export async function jobRun(ctx: JobCommandContext, dir: string, record: JobRecord, backendOption?: string): Promise<RunningJob | { error: string }> {
  const { locale } = ctx;
  const handle = record.run;
  if (!handle) return { error: jobCliMessage(locale, 'job.neverLaunched', { id: record.id }) };
  const unsafe = await unsafeJobFolder(dir, handle);
  if (unsafe) return { error: jobCliMessage(locale, 'job.unsafe', { id: record.id, problem: unsafe.message }) };
  if (handle.backend === 'local') {
    // Status and cancel need no Python; the launcher's only matters for start and check.
    return { dir, record, handle, backend: await ctx.backends.backend('local', handle.command[0] ?? 'python3') };
  }
  const found = await resolveBackendEntry(ctx.io.cwd, backendOption, handle.backendName, locale);
  if ('error' in found) return found;
  const { entry, source } = found;
  if (entry.name !== handle.backendName || entry.kind !== handle.backend) {
    return { error: jobCliMessage(locale, 'backend.nameMismatch', { id: record.id, name: `${handle.backend} "${handle.backendName}"`, source, given: `${entry.kind} "${entry.name}"` }) };
  }
  const refused = await ctx.backends.connect(entry);
  if (refused) return { error: refused };
  return { dir, record, handle, backend: await ctx.backends.backend(entry.kind, entry.python, entry) };
}

/**
 * Why this command must leave a local run alone: its process group is alive, but none of its processes carries the
 * token this command's run secret gives (started by the editor with its own secret): following would take it for
 * a lost run and record it as failed.
 */
export async function unverifiableRun(ctx: JobCommandContext, run: RunningJob): Promise<string | undefined> {
  const { handle } = run;
  if (handle.backend !== 'local') return undefined;
  const state = await run.backend.status(handle);
  if (state.state !== 'lost' || !groupExists(handle.pid)) return undefined;
  return jobCliMessage(ctx.locale, 'job.unverifiable', { id: run.record.id, pid: handle.pid, env: STORAGE_ENV });
}
