// A job from its spec to a running trainer, without any editor: the job folder and its queued record, the launch on
// a backend (the record then says running, with the run's handle), or the failure recorded. The editor's JobRunner
// (src/features/jobs/runner.ts) and `finetune-studio job start` both go through here, then follow with JobFollower.
import * as path from 'node:path';
import type { Backend } from '../backend';
import { JOB_FILES, JOBS_DIR, newJobId, writeJob } from '../../core/jobs/jobStore';
import { toTrainConfig } from '../../core/jobs/trainConfig';
import { assertInside, assertNoLinks, UnsafePath } from '../../core/safeFiles';
import type { JobRecord, RunHandle } from '../../shared/job';
import type { JobSpec } from '../../shared/jobSpec';
import { missingPackages, type TrainerCheck } from '../../shared/trainerCheck';

/** The files a follower writes in a job folder (each checked before following: none may be a link). */
export const FOLLOWER_WRITES = [JOB_FILES.record, JOB_FILES.events, JOB_FILES.follower] as const;

export interface NewJob {
  spec: JobSpec;
  /** The `*.ftjob.json` it came from, relative to the workspace root (recorded in job.json). */
  specFile?: string;
  /** Continue training from this checkpoint folder. */
  resumeFrom?: string;
}

/** The trainer config of a job in the workspace at `root` (paths of the spec resolved against it). */
export function jobTrainConfig(root: string, job: NewJob): ReturnType<typeof toTrainConfig> {
  return toTrainConfig(job.spec, { workspaceRoot: root, resumeFromCheckpoint: job.resumeFrom ?? null });
}

/** Makes the job folder `<root>/.finetune/jobs/<id>/` and writes its queued record. */
export async function createJob(root: string, job: NewJob, now = new Date()): Promise<{ dir: string; record: JobRecord }> {
  const { spec } = job;
  const id = await newJobId(root, spec.name, now);
  const dir = path.join(root, JOBS_DIR, id);
  const record: JobRecord = {
    id,
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    method: spec.method,
    baseModel: spec.baseModel,
    status: 'queued',
    createdAt: now.toISOString(),
    spec: spec as unknown as Record<string, unknown>,
    ...(job.specFile ? { specFile: job.specFile } : {}),
    ...(job.resumeFrom ? { resumedFrom: job.resumeFrom } : {}),
  };
  await writeJob(dir, record);
  return { dir, record };
}

/**
 * Launches the job's trainer on its backend (run folder `<dir>/run`, or its place on a remote backend) and records
 * it as running. The backend's error is thrown as it is, for the caller to word and to record with failJob.
 */
export async function launchJob(
  root: string,
  dir: string,
  record: JobRecord,
  job: NewJob,
  backend: Backend,
  devices: 'cpu' | 'auto' | number[],
): Promise<{ record: JobRecord; handle: RunHandle }> {
  const handle = await backend.start({ command: 'train', runDir: path.join(dir, 'run'), config: jobTrainConfig(root, job), devices });
  const running: JobRecord = { ...record, status: 'running', startedAt: new Date().toISOString(), run: handle };
  await writeJob(dir, running);
  return { record: running, handle };
}

/** Records why a job failed before or while launching. */
export async function failJob(dir: string, record: JobRecord, error: string, fix?: string): Promise<JobRecord> {
  const failed: JobRecord = { ...record, status: 'failed', error, ...(fix ? { errorFix: fix } : {}), endedAt: new Date().toISOString() };
  await writeJob(dir, failed);
  return failed;
}

/**
 * Why a job folder must not be followed or its run signalled, or undefined when it may: a link where a follower
 * writes, or a run folder outside the job's own folder (a record may name any path).
 */
export async function unsafeJobFolder(dir: string, run: RunHandle): Promise<UnsafePath | undefined> {
  try {
    for (const name of FOLLOWER_WRITES) await assertNoLinks(path.join(dir, name));
    // A remote run folder is on the remote side; its backend acts only on folders of its own workDir.
    if (run.backend === 'local') await assertInside(dir, run.runDir, 'the run folder');
    return undefined;
  } catch (err) {
    if (err instanceof UnsafePath) return err;
    throw err;
  }
}

/** What the backend's check says against running the job on the devices it asks for (each caller words it). */
export type DeviceProblem =
  | { kind: 'packages'; missing: string[] }
  | { kind: 'gpusAbsent'; absent: number[]; present: number[] }
  /** No GPU and the job may use any device: the editor asks whether to train on the CPU; the CLI refuses. */
  | { kind: 'noGpu' };

/** The devices to launch on, or why not. */
export function devicesFor(check: TrainerCheck, wanted: 'cpu' | 'auto' | number[]): { devices: 'cpu' | 'auto' | number[] } | DeviceProblem {
  const missing = missingPackages(check);
  if (missing.length > 0) return { kind: 'packages', missing };
  const gpus = check.cuda.available ? check.cuda.devices.map((d) => d.index) : [];
  if (Array.isArray(wanted)) {
    const absent = wanted.filter((i) => !gpus.includes(i));
    return absent.length > 0 ? { kind: 'gpusAbsent', absent, present: gpus } : { devices: wanted };
  }
  if (wanted === 'cpu') return { devices: 'cpu' };
  if (gpus.length === 0) return { kind: 'noGpu' };
  return { devices: gpus.length > 1 ? gpus : 'auto' };
}
