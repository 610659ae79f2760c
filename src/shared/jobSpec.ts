// A job as the user describes it: the Start Job form fills one in, and a `*.ftjob.json` file keeps one as code.
// The JSON schema for `*.ftjob.json` (completion and validation in the editor) is generated from this zod schema
// at build time (schemas/ftjob.schema.json); the extension turns a spec into the trainer's TrainConfig.
import * as z from 'zod';
import { TrainingMethod } from './job';
import { OverLength, Precision } from './trainerConfig';
import { HYPERPARAMETER_DEFAULTS } from './hyperDefaults';
import { BackendName } from './backendConfig';

const Devices = z
  .union([z.literal('auto'), z.literal('cpu'), z.array(z.number().int().nonnegative()).min(1)])
  .default('auto')
  .describe('"auto" (every GPU, else CPU), "cpu", or GPU indices; more than one GPU trains through torchrun');

export const BackendSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), devices: Devices }),
  z.strictObject({
    kind: z.literal('ssh'),
    name: BackendName.describe('an entry of the finetune.backends setting'),
    devices: Devices,
  }),
  z.strictObject({
    kind: z.literal('slurm'),
    name: BackendName.describe('an entry of the finetune.backends setting'),
    devices: Devices,
  }),
]);
export type BackendSpec = z.infer<typeof BackendSpec>;

export const Hyperparameters = z.strictObject({
  epochs: z.number().positive().max(1000).default(3),
  learningRate: z.number().positive().max(1).default(2e-4),
  batchSize: z.number().int().positive().default(4).describe('per device'),
  gradientAccumulation: z.number().int().positive().default(4),
  maxLength: z.number().int().positive().default(4096).describe('tokens; longer samples are dropped or truncated'),
  overLength: OverLength.default('drop'),
  packing: z.boolean().default(false),
  groupByLength: z.boolean().default(true),
  warmupRatio: z.number().min(0).max(1).default(0.03),
  weightDecay: z.number().min(0).default(0),
  loraRank: z.number().int().positive().default(HYPERPARAMETER_DEFAULTS.loraRank),
  loraAlpha: z.number().positive().default(HYPERPARAMETER_DEFAULTS.loraAlpha),
  loraDropout: z.number().min(0).max(1).default(HYPERPARAMETER_DEFAULTS.loraDropout),
  loraTargetModules: z.array(z.string().min(1)).nullable().default(null).describe('null: chosen for the architecture'),
  virtualTokens: z.number().int().positive().default(HYPERPARAMETER_DEFAULTS.virtualTokens).describe('P-Tuning and Prefix-Tuning'),
  precision: Precision.default('auto'),
  gradientCheckpointing: z.boolean().default(true),
  loggingSteps: z.number().int().positive().default(1),
  evalSteps: z.number().int().positive().default(50),
  saveSteps: z.number().int().positive().default(100),
  seed: z.number().int().default(42),
  maxSteps: z.number().int().default(-1).describe('-1: run the epochs'),
});
export type Hyperparameters = z.infer<typeof Hyperparameters>;

export const JobSpec = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  method: TrainingMethod.default('lora'),
  baseModel: z.string().trim().min(1).describe('a local model folder (relative to the workspace or absolute) or a hub id'),
  dataset: z.strictObject({
    train: z.string().min(1).describe('training data, relative to the workspace folder'),
    eval: z.string().min(1).optional().describe('evaluation data; without it, evalShare of train is held out'),
    evalShare: z.number().min(0).max(0.5).default(0.1),
  }),
  hyperparameters: Hyperparameters.prefault({}),
  backend: BackendSpec.prefault({ kind: 'local' }),
});
export type JobSpec = z.infer<typeof JobSpec>;
export type JobSpecInput = z.input<typeof JobSpec>;
