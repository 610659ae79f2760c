import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { JobRecord } from '../../shared/job';

export const JOBS_DIR = path.join('.finetune', 'jobs');

/** A job folder as found on disk: its record, or why it could not be read (never thrown). */
export type StoredJob =
  | { id: string; dir: string; record: JobRecord }
  | { id: string; dir: string; problem: string };

/** Reads every `<root>/.finetune/jobs/<id>/job.json`, newest first; unreadable ones say why. */
export async function listJobs(root: string): Promise<StoredJob[]> {
  const jobsDir = path.join(root, JOBS_DIR);
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
  const file = path.join(dir, 'job.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return { id, dir, problem: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
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
