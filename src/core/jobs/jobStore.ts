import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { JobRecord } from '../../shared/job';
import { readErrorReason } from '../regularFile';
import { assertNoLinks, mkdirNoFollow, readRecordFile, writeFileAtomic } from '../safeFiles';
import { slugStamp } from '../paths';

export const JOBS_DIR = path.join('.finetune', 'jobs');

/** What a job folder holds (its run folder, wherever the backend keeps it, is the backend's business). */
export const JOB_FILES = {
  /** The job's record. */
  record: 'job.json',
  /** Every event of its run, copied as it arrives: what the loss curve reads. */
  events: 'events.jsonl',
  /** The window that follows the job, and when it last said so. */
  follower: 'follower.json',
} as const;

/** A job folder as found on disk: its record, or why it could not be read (never thrown). */
export type StoredJob =
  | { id: string; dir: string; record: JobRecord }
  | { id: string; dir: string; problem: string };

/** Reads every `<root>/.finetune/jobs/<id>/job.json`, newest first; unreadable ones say why. */
export async function listJobs(root: string): Promise<StoredJob[]> {
  const jobsDir = path.join(root, JOBS_DIR);
  try {
    await assertNoLinks(jobsDir, root); // `.finetune` or `jobs` linked elsewhere: nothing there is ours
  } catch (err) {
    return [{ id: JOBS_DIR, dir: jobsDir, problem: (err as Error).message }];
  }
  let entries: string[];
  try {
    entries = (await fs.readdir(jobsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const jobs = await Promise.all(entries.map((id) => readJob(path.join(jobsDir, id), id)));
  return jobs.sort((a, b) => createdAt(b).localeCompare(createdAt(a)) || a.id.localeCompare(b.id));
}

async function readJob(dir: string, id: string): Promise<StoredJob> {
  const file = path.join(dir, JOB_FILES.record);
  let text: string;
  try {
    text = await readRecordFile(file);
  } catch (err) {
    return { id, dir, problem: `cannot read ${file}: ${readErrorReason(err, 'en')}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { id, dir, problem: `${file} is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = JobRecord.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { id, dir, problem: `${file}: ${first?.path.join('.') || '(root)'}: ${first?.message}` };
  }
  return { id, dir, record: parsed.data };
}

function createdAt(job: StoredJob): string {
  return 'record' in job ? job.record.createdAt : '';
}

/** Writes job.json atomically (a temp file renamed over it, never through a link), so a crash never leaves half a record. */
export async function writeJob(dir: string, record: JobRecord): Promise<void> {
  await writeFileAtomic(path.join(dir, JOB_FILES.record), JSON.stringify(record, null, 2) + '\n');
}

/** Reads one job folder's record, or throws with the reason. */
export async function readJobRecord(dir: string): Promise<JobRecord> {
  const job = await readJob(dir, path.basename(dir));
  if ('problem' in job) throw new Error(job.problem);
  return job.record;
}

/** A new job id: the name as a slug plus the time, unique among the existing folders. */
export async function newJobId(root: string, name: string, now = new Date()): Promise<string> {
  const stem = slugStamp(name, now, 'job');
  await mkdirNoFollow(path.join(root, JOBS_DIR), root);
  for (let n = 0; ; n++) {
    const id = `${stem}${n ? `-${n}` : ''}`;
    try {
      await fs.mkdir(path.join(root, JOBS_DIR, id)); // fails if taken: the id is reserved atomically
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
