// The workspace's registry of "my models" beyond jobs and base models: exports of a job's model and deployments of
// any model, each a record in `.finetune/models/<id>.json` (src/core/models/registry.ts). Fine-tuned models are
// the jobs themselves (job.json), so lineage reads: dataset (content hash) → job → checkpoint → export → deployment.
// Readers must accept records written by newer versions, so unknown fields pass through.
import * as z from 'zod';

const Id = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only');

/** Where a model's files are: this machine, or a named `finetune.backends` entry (a path there). */
export const ModelLocation = z.looseObject({
  /** 'local', or the name of a `finetune.backends` entry. */
  backend: z.string().min(1),
  /** The folder (a POSIX path on a remote backend). */
  path: z.string().min(1),
});
export type ModelLocation = z.infer<typeof ModelLocation>;

/** What a record was made from: a job (and one of its checkpoints), an export, or a base model. */
export const ModelSource = z.looseObject({
  /** The job's id under .finetune/jobs/. */
  jobId: Id.optional(),
  /** A checkpoint step of that job; absent for the final model. */
  checkpointStep: z.number().int().nonnegative().optional(),
  /** Another registry record (a deployment of an export). */
  recordId: Id.optional(),
  /** A base model reference as in `finetune.models.baseModels` (deploying a base model as it is). */
  baseModel: z.string().min(1).optional(),
  /** sha256 of the training data the job read, when known: the first link of the lineage. */
  datasetSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type ModelSource = z.infer<typeof ModelSource>;

export const ExportFormatName = z.enum(['merged', 'onnx', 'onnx-fp16', 'ollama']);
export type ExportFormatName = z.infer<typeof ExportFormatName>;

/** An export's check against the model it came from (ONNX: logits and greedy tokens; parity: scores on test samples). */
export const ExportCheck = z.looseObject({
  passed: z.boolean(),
  maxAbsLogitsDiff: z.number().optional(),
  tolerance: z.number().optional(),
  tokensEqual: z.number().int().nonnegative().optional(),
  prompts: z.number().int().nonnegative().optional(),
});

/** The parity gate: a few test samples answered by the export and by the adapter model, scored alike. */
export const ParityResult = z.looseObject({
  /** The eval runs (folders under .finetune/evals/) of the export and of the adapter model. */
  exportEval: z.string().min(1),
  adapterEval: z.string().min(1),
  /** The metric compared (e.g. rouge-l) and both scores, on the same samples. */
  metric: z.string().min(1),
  exportScore: z.number(),
  adapterScore: z.number(),
  samples: z.number().int().positive(),
  /** True when the export scored lower than the adapter by more than the threshold. */
  flagged: z.boolean(),
  threshold: z.number(),
});
export type ParityResult = z.infer<typeof ParityResult>;

const RecordBase = {
  id: Id,
  name: z.string().min(1),
  createdAt: z.string(),
  source: ModelSource,
};

export const ExportRecord = z.looseObject({
  ...RecordBase,
  kind: z.literal('export'),
  format: ExportFormatName,
  location: ModelLocation,
  check: ExportCheck.optional(),
  parity: ParityResult.optional(),
  /** For Ollama: the command that imports it (`ollama create …`). */
  command: z.string().optional(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export const DeploymentServer = z.enum(['onnx-local', 'vllm', 'trainer']);
export type DeploymentServer = z.infer<typeof DeploymentServer>;

export const DeploymentRecord = z.looseObject({
  ...RecordBase,
  kind: z.literal('deployment'),
  server: DeploymentServer,
  /** The model served (a folder on the backend), and the LoRA adapter on top of it when served unmerged. */
  location: ModelLocation,
  adapter: ModelLocation.optional(),
  /** The OpenAI-compatible base URL on this machine (http://127.0.0.1:PORT/v1), through the tunnel when remote. */
  endpoint: z.string().url(),
  /** The model name to send in requests. */
  servedModel: z.string().min(1),
  /** The port the server listens on at the backend (127.0.0.1 there); the tunnel forwards `endpoint` to it. */
  remotePort: z.number().int().positive().optional(),
  /** The server's detached run (pid, run folder) on its backend, to re-attach, check and stop it. */
  run: z.record(z.string(), z.unknown()).optional(),
  /** The SecretStorage key of its bearer token (never the token itself). */
  tokenSecret: z.string().optional(),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  /** The last health check: when, and whether /v1/models answered. */
  health: z.looseObject({ checkedAt: z.string(), ok: z.boolean(), message: z.string().optional() }).optional(),
});
export type DeploymentRecord = z.infer<typeof DeploymentRecord>;

export const ModelRecord = z.discriminatedUnion('kind', [ExportRecord, DeploymentRecord]);
export type ModelRecord = z.infer<typeof ModelRecord>;
