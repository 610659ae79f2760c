// What the Models view shows, built from the records alone (pure): the registry's records split into exports and
// deployments, the fine-tuned models (succeeded jobs) with their checkpoints, and each item's lineage:
// dataset (content hash, else its path) → job → checkpoint → export → deployment, each link naming what it opens.
import type { JobRecord } from '../../shared/job';
import type { DeploymentRecord, ExportFormatName, ExportRecord, ModelLocation, ModelRecord } from '../../shared/modelRegistry';
import type { StoredModel } from './registry';

/** The artifact the trainer records with the sha256 of the training file it read (trainer/finetune_trainer/trainer.py). */
export const DATASET_SHA256_ARTIFACT = 'dataset_sha256';

/** A job as lineage needs it: its folder and its record. */
export interface JobRef {
  dir: string;
  record: JobRecord;
}

export type LineageLink =
  | { kind: 'dataset'; sha256?: string; path?: string }
  | { kind: 'job'; jobId: string; name: string; dir?: string }
  | { kind: 'checkpoint'; jobId: string; step: number; path?: string; dir?: string; backend?: string }
  | { kind: 'export'; recordId: string; name: string; format: ExportFormatName; location: ModelLocation }
  | { kind: 'deployment'; recordId: string; name: string; endpoint: string; servedModel: string; stopped: boolean };

/** The registry's records by kind, newest first as listed; unreadable ones with their problem. */
export function groupRecords(stored: readonly StoredModel[]): {
  exports: ExportRecord[];
  deployments: DeploymentRecord[];
  problems: { id: string; file: string; problem: string }[];
} {
  const exports: ExportRecord[] = [];
  const deployments: DeploymentRecord[] = [];
  const problems: { id: string; file: string; problem: string }[] = [];
  for (const s of stored) {
    if ('problem' in s) problems.push(s);
    else if (s.record.kind === 'export') exports.push(s.record);
    else deployments.push(s.record);
  }
  return { exports, deployments, problems };
}

/** The jobs that trained a model: succeeded ones, in the order given. */
export function fineTunedJobs<J extends JobRef>(jobs: readonly J[]): J[] {
  return jobs.filter((j) => j.record.status === 'succeeded');
}

/** A checkpoint's name, as the trainer names its folder. */
export function checkpointLabel(step: number): string {
  return `checkpoint-${step}`;
}

/** Where a job's files are: 'local', or the name of the `finetune.backends` entry it ran on. */
export function backendOf(record: JobRecord): string {
  return !record.run || record.run.backend === 'local' ? 'local' : record.run.backendName;
}

/** A job's checkpoints, newest (highest step) first, one per step. */
export function checkpointsOf(record: JobRecord): { step: number; path: string }[] {
  const byStep = new Map<number, { step: number; path: string }>();
  for (const c of record.checkpoints ?? []) byStep.set(c.step, c);
  return [...byStep.values()].sort((a, b) => b.step - a.step);
}

/** The folder that holds a job's trained model: its adapter, else the model, else the run's output (as recorded). */
export function modelFolderOf(record: JobRecord): string | undefined {
  const artifacts = record.artifacts ?? {};
  return artifacts['adapter'] ?? artifacts['model'] ?? artifacts['output_dir'];
}

/** The training data of a job: the content hash the trainer recorded, and the file its spec names (workspace-relative). */
export function datasetOf(record: JobRecord): { sha256?: string; path?: string } | undefined {
  const hash = record.artifacts?.[DATASET_SHA256_ARTIFACT];
  const sha256 = hash && /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
  const dataset = record.spec?.['dataset'];
  const train = typeof dataset === 'object' && dataset !== null ? (dataset as Record<string, unknown>)['train'] : undefined;
  const path = typeof train === 'string' && train.length > 0 ? train : undefined;
  if (!sha256 && !path) return undefined;
  return { ...(sha256 ? { sha256 } : {}), ...(path ? { path } : {}) };
}

/** dataset → job. */
export function jobLineage(job: JobRef): LineageLink[] {
  const dataset = datasetOf(job.record);
  return [
    ...(dataset ? [{ kind: 'dataset' as const, ...dataset }] : []),
    { kind: 'job', jobId: job.record.id, name: job.record.name, dir: job.dir },
  ];
}

/** dataset → job → checkpoint. */
export function checkpointLineage(job: JobRef, checkpoint: { step: number; path: string }): LineageLink[] {
  return [...jobLineage(job), { kind: 'checkpoint', jobId: job.record.id, step: checkpoint.step, path: checkpoint.path, dir: job.dir, backend: backendOf(job.record) }];
}

/** The links before a record: its job (found among `jobs` by id, else named by the id alone) and its checkpoint. */
function sourceLinks(source: ModelRecord['source'], jobs: ReadonlyMap<string, JobRef>): LineageLink[] {
  if (!source.jobId) return source.datasetSha256 ? [{ kind: 'dataset', sha256: source.datasetSha256 }] : [];
  const job = jobs.get(source.jobId);
  const links: LineageLink[] = job
    ? jobLineage(job)
    : [...(source.datasetSha256 ? [{ kind: 'dataset' as const, sha256: source.datasetSha256 }] : []), { kind: 'job', jobId: source.jobId, name: source.jobId }];
  // The record's own hash (taken when it was made) wins over a job record rewritten since.
  const first = links[0];
  if (source.datasetSha256 && first?.kind === 'dataset') links[0] = { ...first, sha256: source.datasetSha256 };
  if (source.checkpointStep !== undefined) {
    const found = job && checkpointsOf(job.record).find((c) => c.step === source.checkpointStep);
    links.push({ kind: 'checkpoint', jobId: source.jobId, step: source.checkpointStep, ...(found ? { path: found.path } : {}), ...(job ? { dir: job.dir, backend: backendOf(job.record) } : {}) });
  }
  return links;
}

const exportLink = (r: ExportRecord): LineageLink => ({ kind: 'export', recordId: r.id, name: r.name, format: r.format, location: r.location });

/** dataset → job → checkpoint → export. */
export function exportLineage(record: ExportRecord, jobs: ReadonlyMap<string, JobRef>): LineageLink[] {
  return [...sourceLinks(record.source, jobs), exportLink(record)];
}

/** dataset → job → checkpoint → export → deployment (a deployment of an export, of a job, or of a base model). */
export function deploymentLineage(record: DeploymentRecord, jobs: ReadonlyMap<string, JobRef>, records: ReadonlyMap<string, ModelRecord>): LineageLink[] {
  const from = record.source.recordId ? records.get(record.source.recordId) : undefined;
  const before = from?.kind === 'export' ? exportLineage(from, jobs) : sourceLinks(record.source, jobs);
  return [...before, deploymentLink(record)];
}

/** A deployment's own link (its endpoint, served model, whether it was stopped). */
export function deploymentLink(record: DeploymentRecord): LineageLink {
  return { kind: 'deployment', recordId: record.id, name: record.name, endpoint: record.endpoint, servedModel: record.servedModel, stopped: record.stoppedAt !== undefined };
}

/** Jobs by their record's id, for the links. */
export function jobsById<J extends JobRef>(jobs: readonly J[]): Map<string, J> {
  return new Map(jobs.map((j) => [j.record.id, j]));
}

/** The lineage as one line of text (a tooltip): "data/train.jsonl sha256 1a2b3c4d5e6f… → job → checkpoint-200 → export [onnx] → http://…". */
export function lineageText(links: readonly LineageLink[]): string {
  return links.map((l) => {
    switch (l.kind) {
      case 'dataset': return [l.path, l.sha256 && `sha256 ${l.sha256.slice(0, 12)}…`].filter(Boolean).join(' ');
      case 'job': return l.name;
      case 'checkpoint': return checkpointLabel(l.step);
      case 'export': return `${l.name} [${l.format}]`;
      case 'deployment': return l.endpoint;
    }
  }).join(' → ');
}
