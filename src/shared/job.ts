// The record of a training job as stored in `.finetune/jobs/<id>/job.json`.
// The full job spec (hyperparameters, backend, datasets) grows with the training issue; readers must
// accept records written by newer versions, so unknown fields pass through.
import * as z from 'zod';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const TrainingMethod = z.enum(['lora', 'full', 'p_tuning', 'prefix_tuning']);
export type TrainingMethod = z.infer<typeof TrainingMethod>;

export const JobRecord = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  name: z.string().min(1),
  description: z.string().optional(),
  method: TrainingMethod,
  baseModel: z.string().min(1),
  status: JobStatus,
  createdAt: z.string(),
  progress: z.object({ step: z.number().int().nonnegative(), totalSteps: z.number().int().positive() }).optional(),
  latestLoss: z.number().optional(),
  error: z.string().optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;
