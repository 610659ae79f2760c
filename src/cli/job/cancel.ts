// `finetune-studio job cancel <id>`: ends the run's whole process group (or scancel) as the editor's Cancel does.
// When no other process follows the job, this one drains the run's last events and settles the record.
import { JobFollower } from '../../backends/jobs/follower';
import { readJobRecord } from '../../core/jobs/jobStore';
import { FINISHED } from '../../shared/job';
import type { JobCommandContext } from './context';
import { followJob } from './follow';
import { statusText } from './list';
import { jobCliMessage } from './messages';
import { unverifiableRun, type RunningJob } from './runningJob';

export async function cancelCommand(ctx: JobCommandContext, run: RunningJob): Promise<number> {
  const { io, locale } = ctx;
  const { dir, record, handle, backend } = run;
  const fail = (message: string) => {
    io.stderr(`finetune-studio job cancel: ${message}\n`);
    return 1;
  };
  if (FINISHED.includes(record.status)) return fail(jobCliMessage(locale, 'job.notRunning', { id: record.id, status: statusText(record, locale) }));
  const unverifiable = await unverifiableRun(ctx, run);
  if (unverifiable) return fail(unverifiable);
  const followedElsewhere = await JobFollower.followedElsewhere(dir);
  await backend.cancel(handle);
  if (followedElsewhere) {
    io.stdout(`${jobCliMessage(locale, 'cancel.followedElsewhere', { id: record.id })}\n`);
    return 0;
  }
  await followJob(ctx, dir, record, handle, backend, { cancelRequested: true });
  // followJob said how it ended: cancelled, or otherwise when the run ended before the signal reached it.
  return (await readJobRecord(dir)).status === 'cancelled' ? 0 : 1;
}
