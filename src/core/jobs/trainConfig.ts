import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { JobSpec } from '../../shared/jobSpec';
import type { RunConfig } from '../../shared/trainerConfig';

/** What a spec's paths are relative to, and where training resumes from. (Where a run's files go is its backend's.) */
export interface RunPaths {
  /** The workspace folder the spec's relative paths are relative to. */
  workspaceRoot: string;
  resumeFromCheckpoint?: string | null;
}

/** A folder that exists (relative to the workspace, or absolute) is a local model; otherwise a hub id stays as is. */
export function resolveModel(baseModel: string, workspaceRoot: string): string {
  const local = path.resolve(workspaceRoot, baseModel);
  if (existsSync(local) || path.isAbsolute(baseModel) || /^[.~]/.test(baseModel)) return local;
  return baseModel;
}

/** The trainer's resolved configuration for a job spec (see src/shared/trainerConfig.ts), for a backend to place. */
export function toTrainConfig(spec: JobSpec, where: RunPaths): RunConfig {
  const h = spec.hyperparameters;
  const devices = spec.backend.devices;
  const inWorkspace = (p: string) => path.resolve(where.workspaceRoot, p);
  return {
    model_name_or_path: resolveModel(spec.baseModel, where.workspaceRoot),
    method: spec.method,
    train_file: inWorkspace(spec.dataset.train),
    eval_file: spec.dataset.eval ? inWorkspace(spec.dataset.eval) : null,
    eval_share: spec.dataset.eval ? 0 : spec.dataset.evalShare,
    num_train_epochs: h.epochs,
    max_steps: h.maxSteps,
    learning_rate: h.learningRate,
    per_device_train_batch_size: h.batchSize,
    gradient_accumulation_steps: h.gradientAccumulation,
    max_length: h.maxLength,
    over_length: h.overLength,
    packing: h.packing,
    group_by_length: h.groupByLength,
    warmup_ratio: h.warmupRatio,
    weight_decay: h.weightDecay,
    lora_rank: h.loraRank,
    lora_alpha: h.loraAlpha,
    lora_dropout: h.loraDropout,
    lora_target_modules: h.loraTargetModules,
    num_virtual_tokens: h.virtualTokens,
    precision: h.precision,
    gradient_checkpointing: h.gradientCheckpointing,
    logging_steps: h.loggingSteps,
    eval_steps: h.evalSteps,
    save_steps: h.saveSteps,
    seed: h.seed,
    device: devices === 'cpu' ? 'cpu' : 'auto',
    export_format: 'merged',
    export_dtype: 'fp32',
    resume_from_checkpoint: where.resumeFromCheckpoint ?? null,
  };
}
