// A run the trainer stopped cleanly before its end (exit 124: a Slurm time limit or a preemption), with a checkpoint
// saved on the way out: the Jobs view says where it stopped and offers to continue from there.
import type { JobRecord } from '../../shared/job';

/** The step a cleanly stopped job can continue from; undefined for any other job (running, finished, failed). */
export function stoppedAtStep(record: JobRecord): { step: number | undefined } | undefined {
  if (!record.stopReason || record.status === 'running' || record.status === 'queued') return undefined;
  const steps = (record.checkpoints ?? []).map((c) => c.step);
  // The newest checkpoint is where training goes on; without one recorded, the last step the events reported.
  return { step: steps.length ? Math.max(...steps) : record.progress?.step };
}
