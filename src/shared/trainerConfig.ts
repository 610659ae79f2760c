// The resolved configuration the extension hands to the trainer (`python -m finetune_trainer train --config F`).
// Python twin: the TrainConfig dataclass in trainer/finetune_trainer/config.py (it names this file). Both read the
// same example, test/fixtures/trainer/config.json; the Python side rejects unknown keys, so the two cannot drift.
// Paths are absolute on the machine that runs the trainer.
import * as z from 'zod';
import { TrainingMethod } from './job';

export const OverLength = z.enum(['drop', 'truncate']);
export const Precision = z.enum(['auto', 'bf16', 'fp16', 'fp32']);
/** What `export` writes: merged safetensors, an ONNX folder for the local engine (checked against torch), or an Ollama Modelfile. */
export const ExportFormat = z.enum(['merged', 'onnx', 'ollama']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const TrainConfig = z.strictObject({
  model_name_or_path: z.string().min(1),
  method: TrainingMethod,
  train_file: z.string().min(1),
  eval_file: z.string().nullable(),
  eval_share: z.number().min(0).max(0.5).describe('share of the training set held out for evaluation when no eval_file'),
  output_dir: z.string().min(1),
  events_file: z.string().min(1),
  num_train_epochs: z.number().positive(),
  max_steps: z.number().int().describe('-1: from the epochs'),
  learning_rate: z.number().positive(),
  per_device_train_batch_size: z.number().int().positive(),
  gradient_accumulation_steps: z.number().int().positive(),
  max_length: z.number().int().positive(),
  over_length: OverLength,
  packing: z.boolean(),
  group_by_length: z.boolean(),
  warmup_ratio: z.number().min(0).max(1),
  weight_decay: z.number().min(0),
  lora_rank: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().min(0).max(1),
  lora_target_modules: z.array(z.string()).nullable().describe('null: chosen per architecture'),
  num_virtual_tokens: z.number().int().positive(),
  precision: Precision,
  gradient_checkpointing: z.boolean(),
  logging_steps: z.number().int().positive(),
  eval_steps: z.number().int().positive(),
  save_steps: z.number().int().positive(),
  seed: z.number().int(),
  device: z.enum(['auto', 'cpu', 'cuda']),
  export_format: ExportFormat,
  export_dtype: z.enum(['fp32', 'fp16']).describe('weights of an onnx export'),
  resume_from_checkpoint: z.string().nullable(),
});
export type TrainConfig = z.infer<typeof TrainConfig>;

/** A trainer config before a backend places it in a run folder: the backend sets where the events (and, unless
 * given, the output) go. */
export type RunConfig = Omit<TrainConfig, 'events_file' | 'output_dir'> & { output_dir?: string };
