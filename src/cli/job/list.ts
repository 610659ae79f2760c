// `finetune-studio job list [--json]`: the jobs of `.finetune/jobs/` under the current folder, newest first, as a
// table (or their records as JSON); an unreadable job folder is listed with the reason.
import * as path from 'node:path';
import { JOBS_DIR, listJobs } from '../../core/jobs/jobStore';
import type { Locale } from '../../core/dataset/types';
import type { JobRecord } from '../../shared/job';
import type { CliIo } from '../io';
import { jobCliMessage } from './messages';
import { displayWidth } from '../displayWidth';

export async function listCommand(io: CliIo, locale: Locale, json: boolean): Promise<number> {
  const jobs = await listJobs(io.cwd);
  if (json) {
    io.stdout(JSON.stringify(jobs.map((j) => ('record' in j ? { id: j.id, dir: j.dir, record: j.record } : j)), null, 2) + '\n');
    return 0;
  }
  if (jobs.length === 0) {
    io.stdout(`${jobCliMessage(locale, 'list.empty', { dir: path.join(io.cwd, JOBS_DIR) })}\n`);
    return 0;
  }
  const say = (key: Parameters<typeof jobCliMessage>[1], params: Record<string, string | number> = {}) => jobCliMessage(locale, key, params);
  const header = [say('list.id'), say('list.status'), say('list.progress'), say('list.loss'), say('list.backend'), say('list.created')];
  const rows = jobs.map((job) => ('record' in job ? row(job.record, locale) : [job.id, say('list.unreadable', { problem: job.problem })]));
  io.stdout(table([header, ...rows]));
  return 0;
}

/** A job's status in words: a run stopped on a signal (with its reason) is told apart from a cancelled one. */
export function statusText(record: JobRecord, locale: Locale): string {
  if (record.status === 'cancelled' && record.stopReason) return jobCliMessage(locale, 'status.stopped', { reason: record.stopReason });
  return jobCliMessage(locale, `status.${record.status}`);
}

function row(record: JobRecord, locale: Locale): string[] {
  const run = record.run;
  return [
    record.id,
    statusText(record, locale),
    record.progress ? `${record.progress.step}/${record.progress.totalSteps}` : '-',
    record.latestLoss !== undefined ? record.latestLoss.toFixed(4) : '-',
    !run || run.backend === 'local' ? (run ? 'local' : '-') : `${run.backend}:${run.backendName}`,
    record.createdAt.replace('T', ' ').slice(0, 16),
  ];
}

/** Columns padded to their widest cell (a Chinese character is two columns wide); the last column is not padded. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell)); });
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)))).join('  ')).join('\n') + '\n';
}
