// The Models view's elements: plain objects (commands of other features, e.g. deploy's, receive them as they are).
// Base models stay BaseModelInfo (`kind: 'folder' | 'hub'`), which Try Model and Serve Model Locally already take;
// a job carries `dir`, as the Jobs view's nodes do, so Try Model, Evaluate and Export take it too.
import type { BaseModelInfo } from '../../core/models/baseModel';
import type { LineageLink } from '../../core/models/lineage';
import type { ModelSummary } from '../../core/eval';
import type { JobRecord } from '../../shared/job';
import type { DeploymentRecord, ExportRecord } from '../../shared/modelRegistry';

export type ModelGroup = 'base' | 'finetuned' | 'exports' | 'deployments';

/** `root` is the workspace folder the item belongs to (its `.finetune/`). */
export type ModelsNode =
  /** `count`: how many items the group holds when the view was read. */
  | { kind: 'group'; group: ModelGroup; count: number }
  | BaseModelInfo
  | { kind: 'job'; root: string; dir: string; record: JobRecord }
  | { kind: 'checkpoint'; root: string; dir: string; record: JobRecord; step: number; path: string }
  /** `job` is the folder of the job that lists the run (ids stay unique when two jobs list one run). */
  | { kind: 'eval'; root: string; job: string; dir: string; summary: ModelSummary }
  | { kind: 'export'; root: string; record: ExportRecord }
  | { kind: 'deployment'; root: string; record: DeploymentRecord }
  | { kind: 'lineage'; root: string; of: string; links: LineageLink[] }
  | { kind: 'link'; root: string; of: string; link: LineageLink }
  | { kind: 'problem'; root: string; file: string; problem: string };

export type JobNode = Extract<ModelsNode, { kind: 'job' }>;
export type CheckpointNode = Extract<ModelsNode, { kind: 'checkpoint' }>;
export type ExportNode = Extract<ModelsNode, { kind: 'export' }>;
export type DeploymentNode = Extract<ModelsNode, { kind: 'deployment' }>;
export type LinkNode = Extract<ModelsNode, { kind: 'link' }>;
