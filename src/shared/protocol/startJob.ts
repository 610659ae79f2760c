// Messages between the extension host (src/features/jobs/startJob/panel.ts) and the Start Job form
// (webview/startJob/main.ts). Both sides validate what they receive against these schemas.
// The form sends what it holds as a JobSpec input (numbers it could not read stay strings, so the host's zod
// JobSpec says what is wrong with them); the host validates it and answers with issues per field.
import * as z from 'zod';
import { TrainingMethod } from '../job';

/** A JobSpec input as the form holds it: validated by the host with the zod JobSpec, not here. */
export const FormSpec = z.record(z.string(), z.unknown());
export type FormSpec = z.infer<typeof FormSpec>;

export const DatasetRole = z.enum(['train', 'eval']);
export type DatasetRole = z.infer<typeof DatasetRole>;

/** One linter finding, with its 1-based line. */
export const Finding = z.object({ line: z.number().int().positive(), code: z.string(), message: z.string() });
export type Finding = z.infer<typeof Finding>;

export const DatasetCheck = z.object({
  /** As in the spec: relative to the workspace folder. */
  file: z.string(),
  state: z.enum(['checking', 'done', 'missing', 'failed']),
  samples: z.number().int().nonnegative().optional(),
  errorCount: z.number().int().nonnegative(),
  warningCount: z.number().int().nonnegative(),
  /** The first findings of each kind (the counts say how many there are in all). */
  errors: z.array(Finding),
  warnings: z.array(Finding),
  /** Token lengths, when a tokenizer is at hand; else why not. */
  tokens: z.object({ model: z.string(), p95: z.number(), p99: z.number(), max: z.number() }).optional(),
  note: z.string().optional(),
});
export type DatasetCheck = z.infer<typeof DatasetCheck>;

export const RecommendedField = z.enum(['epochs', 'learningRate', 'maxLength', 'batchSize', 'gradientAccumulation']);
export const Recommendations = z.object({
  values: z.record(RecommendedField, z.number()),
  reasons: z.record(RecommendedField, z.string()),
});
export type Recommendations = z.infer<typeof Recommendations>;

export const ModelChoice = z.object({ ref: z.string(), detail: z.string() });
export type ModelChoice = z.infer<typeof ModelChoice>;

/**
 * A `finetune.backends` entry the form offers besides this machine: its name and kind, where it is (user@host, or
 * none for a Slurm login node VS Code runs on), a Slurm entry's job resources (its defaults, shown as label/value
 * pairs), and what its last probe saw (one line), when it was probed.
 */
export const BackendChoice = z.object({
  name: z.string(),
  kind: z.enum(['ssh', 'slurm']),
  where: z.string(),
  resources: z.array(z.object({ label: z.string(), value: z.string() })),
  probe: z.string().optional(),
});
export type BackendChoice = z.infer<typeof BackendChoice>;

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

/** Host → webview. */
export const StartJobHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('init'), spec: FormSpec, models: z.array(ModelChoice), datasets: z.array(z.string()), backends: z.array(BackendChoice) }),
  /** The backends changed (one was added from the form): the form offers these, with `select` chosen when given. */
  z.object({ type: z.literal('backends'), backends: z.array(BackendChoice), select: z.string().optional() }),
  z.object({ type: z.literal('dataset'), role: DatasetRole, check: DatasetCheck.nullable() }),
  z.object({ type: z.literal('recommendations'), recommendations: Recommendations }),
  z.object({ type: z.literal('issues'), issues: z.array(Issue) }),
]);
export type StartJobHostMessage = z.infer<typeof StartJobHostMessage>;

/** Webview → host. Requests (pick…, copy…, validate, start, save) get a reply; the others are events. */
export const StartJobWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('changed'), spec: FormSpec }),
  z.object({ type: z.literal('pickDataset'), role: DatasetRole }),
  z.object({ type: z.literal('copyDataset'), role: DatasetRole }),
  z.object({ type: z.literal('pickModelFolder') }),
  /** "Add SSH backend…": the host asks for the host and name; the reply names the new entry (null: none added). */
  z.object({ type: z.literal('addBackend') }),
  z.object({ type: z.literal('openLine'), file: z.string(), line: z.number().int().positive() }),
  z.object({ type: z.literal('start'), spec: FormSpec }),
  z.object({ type: z.literal('save'), spec: FormSpec }),
]);
export type StartJobWebviewMessage = z.infer<typeof StartJobWebviewMessage>;

/** The reply to addBackend: the new entry's name, or null when none was added. */
export const AddBackendReply = z.object({ name: z.string().nullable() });
/** The reply to pickDataset, copyDataset and pickModelFolder: the chosen path, or null when cancelled. */
export const PickReply = z.object({ path: z.string().nullable() });
/** The reply to start and save. */
export const ActionReply = z.object({ ok: z.boolean(), issues: z.array(Issue) });
export type ActionReply = z.infer<typeof ActionReply>;

export const startJobStringKeys = [
  'title', 'intro', 'name', 'description', 'method', ...TrainingMethod.options, 'baseModel',
  'baseModelHint', 'browseFolder', 'configuredModels', 'trainDataset', 'evalDataset', 'evalNone', 'evalShare',
  'pick', 'copyIn', 'hyperparameters', 'epochs', 'learningRate', 'batchSize', 'gradientAccumulation', 'maxLength',
  'overLength', 'drop', 'truncate', 'loraRank', 'loraAlpha', 'loraDropout', 'virtualTokens', 'backend', 'devices',
  'devicesAuto', 'devicesCpu', 'devicesGpus', 'gpuIndices', 'backendWhere', 'backendLocal', 'backendAdd', 'backendSsh',
  'backendSlurm', 'slurmResources', 'slurmResourcesNote', 'probeNone', 'start', 'save', 'checking', 'samples', 'errors',
  'warnings', 'blocked', 'missing', 'failed', 'tokens', 'noDataset', 'more',
  'summary', 'tokensLine', 'stateNote',
] as const;
