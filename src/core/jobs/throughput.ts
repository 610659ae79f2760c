// A backend's training throughput (tokens per second) from an earlier job there, for the time-limit check before a
// Slurm submission: an earlier run of the same model, dataset, method and batch took `secondsPerStep` for each of its
// steps, and its steps covered the dataset's tokens once per epoch. Pure: the caller lists the jobs.
import type { JobRecord } from '../../shared/job';
import { JobSpec } from '../../shared/jobSpec';
import type { RunConfig } from '../../shared/trainerConfig';
import { toTrainConfig } from './trainConfig';

/** What must match for another run's pace to stand for this one's. */
const SAME = ['model_name_or_path', 'method', 'train_file', 'eval_file', 'eval_share', 'per_device_train_batch_size',
  'gradient_accumulation_steps', 'max_length', 'over_length', 'packing'] as const;

export interface EarlierRun {
  /** Tokens per second over all its devices. */
  tokensPerSecond: number;
  /** The job it comes from (its name). */
  job: string;
}

/**
 * Tokens per second from the newest of `jobs` that ran on the Slurm backend `backendName` with the same model,
 * data, method, batch and devices as `config`/`devices` and timed its steps; `tokensPerEpoch` is this dataset's
 * (the same file, so the same for that run). Undefined when none did.
 */
export function throughputFromEarlierJob(
  jobs: readonly JobRecord[], workspaceRoot: string, backendName: string, config: RunConfig, devices: unknown, tokensPerEpoch: number,
): EarlierRun | undefined {
  const newestFirst = [...jobs].sort((a, b) => (b.startedAt ?? b.createdAt).localeCompare(a.startedAt ?? a.createdAt));
  for (const record of newestFirst) {
    const p = record.progress;
    if (record.run?.backend !== 'slurm' || record.run.backendName !== backendName || !p?.secondsPerStep || !(p.totalSteps > 0)) continue;
    const spec = JobSpec.safeParse(record.spec);
    if (!spec.success || JSON.stringify(spec.data.backend.devices) !== JSON.stringify(devices)) continue;
    const then = toTrainConfig(spec.data, { workspaceRoot });
    if (then.max_steps > 0 || SAME.some((k) => JSON.stringify(then[k]) !== JSON.stringify(config[k]))) continue;
    const seconds = p.totalSteps * p.secondsPerStep;
    return { tokensPerSecond: (tokensPerEpoch * then.num_train_epochs) / seconds, job: record.name };
  }
  return undefined;
}
