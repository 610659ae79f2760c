// A run the trainer stopped cleanly before its end (exit 124: a Slurm time limit or a preemption), with a checkpoint
// saved on the way out: the Jobs view says where it stopped and offers to continue from there; `finetune job` exits
// with 124 for it.
import type { JobRecord } from '../../shared/job';

/**
 * Whether a job was stopped with a checkpoint: cancelled with the trainer's stop reason (a cancel by the user has
 * none) and a checkpoint recorded (the trainer records the one it saved on the way out).
 */
export function stoppedWithCheckpoint(record: JobRecord): boolean {
  return record.status === 'cancelled' && !!record.stopReason && (record.checkpoints?.length ?? 0) > 0;
}

/** The step a job stopped with a checkpoint continues from (its newest checkpoint's); undefined for any other job. */
export function stoppedAtStep(record: JobRecord): number | undefined {
  return stoppedWithCheckpoint(record) ? Math.max(...record.checkpoints!.map((c) => c.step)) : undefined;
}
