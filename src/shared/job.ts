// The record of a training job as stored in `.finetune/jobs/<id>/job.json`, written by src/features/jobs/runner.ts.
// Readers must accept records written by newer versions, so unknown fields pass through.
import * as z from 'zod';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;
export const FINISHED: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** A Slurm job id: digits, and _N for an array task. */
export const SLURM_JOB_ID = /^\d+(_\d+)?$/;

export const TrainingMethod = z.enum(['lora', 'full', 'p_tuning', 'prefix_tuning']);
export type TrainingMethod = z.infer<typeof TrainingMethod>;

/** Where a running job's process is, enough to re-attach after VS Code reloads. */
export const LocalRunHandle = z.looseObject({
  backend: z.literal('local'),
  /** The process group leader (a shell that records the trainer's exit code). */
  pid: z.number().int().positive(),
  /** The trainer's run folder: its events.jsonl, trainer.log, exit_code and output/. */
  runDir: z.string().min(1),
  command: z.array(z.string()),
});

/** A run on an SSH host or a Slurm cluster: its folder there, and which `finetune.backends` entry reaches it. */
export const RemoteRunHandle = z.looseObject({
  backend: z.enum(['ssh', 'slurm']),
  /** The name of the `finetune.backends` entry. */
  backendName: z.string().min(1),
  /** The remote process group leader (for display: status and cancel read it from the run folder there). */
  pid: z.number().int().positive(),
  /** The run folder on the remote side (a POSIX path there). */
  runDir: z.string().min(1),
  command: z.array(z.string()),
  slurmJobId: z.string().regex(SLURM_JOB_ID).optional(),
});
export type RemoteRunHandle = z.infer<typeof RemoteRunHandle>;

export const RunHandle = z.discriminatedUnion('backend', [LocalRunHandle, RemoteRunHandle]);
export type RunHandle = z.infer<typeof RunHandle>;

export const JobRecord = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Absent for runs imported from other tools' logs. */
  method: TrainingMethod.optional(),
  baseModel: z.string().min(1),
  status: JobStatus,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  progress: z
    .object({
      step: z.number().int().nonnegative(),
      totalSteps: z.number().int().positive(),
      /** Recent seconds per step, for the ETA. */
      secondsPerStep: z.number().nonnegative().optional(),
    })
    .optional(),
  latestLoss: z.number().optional(),
  error: z.string().optional(),
  errorFix: z.string().optional(),
  /** The trainer's class of the failure (oom, dataset, config…): the editor says the fix in the user's language. */
  errorKind: z.string().optional(),
  /**
   * Why a cancelled run stopped on a signal, as the trainer's done event says it (time_limit: a scheduler's warning
   * before its time limit or a preemption; terminated; interrupted). With a checkpoint saved on the way out (in
   * `checkpoints`) the run was stopped to be continued, not given up.
   */
  stopReason: z.string().optional(),
  /** The job spec it was started from (src/shared/jobSpec.ts), kept as written. */
  spec: z.record(z.string(), z.unknown()).optional(),
  specFile: z.string().optional(),
  resumedFrom: z.string().optional(),
  run: RunHandle.optional(),
  checkpoints: z.array(z.object({ step: z.number().int().nonnegative(), path: z.string() })).optional(),
  artifacts: z.record(z.string(), z.string()).optional(),
  /** Eval runs of this job's model (folders under .finetune/evals/), oldest first. */
  evals: z.array(z.string()).optional(),
  /** A run trained elsewhere: the log it was imported from (trainer_state.json, trainer_log.jsonl or events.jsonl). */
  importedFrom: z.string().optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;
