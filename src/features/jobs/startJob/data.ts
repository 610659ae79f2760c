// What the Start Job form needs from the workspace: the dataset check (linter findings, token lengths), the
// recommendations, the base model choices, picking or copying files in, and writing a `*.ftjob.json`.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { JobsCtx } from '../context';
import { coreLocale } from '../../../platform/locale';
import { baseModelProblem, inspectBaseModel } from '../../../core/models/baseModel';
import { listJobs } from '../../../core/jobs/jobStore';
import { recommend, trainingSamples } from '../../../core/jobs/recommend';
import { relativeToFolder } from '../../../core/paths';
import { freeUri } from '../../../platform/freeUri';
import { severityCounts } from '../../../core/dataset/checks/severityCounts';
import { notDatasetKind } from '../../../core/dataset/formats/notDataset';
import { notDatasetFile } from '../../../core/dataset/formats/notDatasetFile';
import { notDatasetDocument, notDatasetMessage } from '../../../platform/documents';
import type { TokenStats } from '../../../core/tokens/stats';
import type { TrainingMethod } from '../../../shared/job';
import type { DatasetCheck, Finding, ModelChoice, Recommendations } from '../../../shared/protocol/startJob';
import type { JobSpecInput } from '../../../shared/jobSpec';

/** Findings of each kind the form lists (the counts say how many there are in all). */
const LISTED_FINDINGS = 50;
const DATASET_GLOB = '**/*.{jsonl,json}';
const DATASET_EXCLUDE = '{**/node_modules/**,**/.finetune/**,**/.git/**,**/*.ftjob.json,**/dataset_info.json,**/.vscode/**}';

/** The checked dataset with its token statistics (kept by the panel for the recommendations). */
export interface CheckedDataset {
  check: DatasetCheck;
  stats?: TokenStats;
}

export function datasetUri(folder: vscode.WorkspaceFolder, file: string): vscode.Uri {
  return path.isAbsolute(file) ? vscode.Uri.file(file) : vscode.Uri.joinPath(folder.uri, file);
}

/** The path a spec holds for a file: relative to the workspace folder when inside it. */
export function specPath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return relativeToFolder(folder.uri.fsPath, uri.fsPath);
}

/**
 * Lints the dataset (the dataset worker, through ctx.dataset.diagnostics) and, with `countTokens`, counts its tokens with the
 * configured tokenizer. `progress` gets the lint result before the (slower) token counts.
 */
export async function checkDataset(
  ctx: JobsCtx, folder: vscode.WorkspaceFolder, file: string, countTokens: boolean, progress: (check: DatasetCheck) => void,
): Promise<CheckedDataset> {
  const empty = { file, errorCount: 0, warningCount: 0, errors: [], warnings: [] };
  const uri = datasetUri(folder, file);
  const exists = await vscode.workspace.fs.stat(uri).then((s) => s.type !== vscode.FileType.Directory, () => false);
  if (!exists) return { check: { ...empty, state: 'missing', note: vscode.l10n.t('{0} does not exist.', file) } };
  progress({ ...empty, state: 'checking' });
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    // A file picked or typed in that is not a dataset (model predictions, a config) is said to be one, not checked.
    const notDataset = notDatasetDocument(doc);
    if (notDataset) return { check: { ...empty, state: 'failed', note: notDatasetMessage(uri, notDataset) } };
    const linted = (await ctx.dataset.diagnostics.lint(doc)) ?? ctx.dataset.diagnostics.resultFor(doc) ?? (await ctx.dataset.diagnostics.lint(doc));
    if (!linted) throw new Error(vscode.l10n.t('the dataset changed while it was checked; pick it again'));
    const { result } = linted;
    const findings = (severity: string): Finding[] => result.diagnostics
      .filter((d) => d.severity === severity).slice(0, LISTED_FINDINGS)
      .map((d) => ({ line: d.span.line + 1, code: d.code, message: d.message }));
    const count = (severity: 'error' | 'warning') => severityCounts(result)[severity];
    const check: DatasetCheck = {
      file, state: 'done', samples: result.samples,
      errorCount: count('error'), warningCount: count('warning'), errors: findings('error'), warnings: findings('warning'),
    };
    if (!countTokens || check.errorCount > 0) return { check };
    progress(check);
    try {
      const tokens = await ctx.tokens.service.countDocument(doc);
      const { p95, p99, max } = tokens.stats.tokens;
      return { check: { ...check, tokens: { model: tokens.model, p95, p99, max } }, stats: tokens.stats };
    } catch (err) {
      return { check: { ...check, note: err instanceof Error ? err.message : String(err) } };
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { check: { ...empty, state: 'failed', note: vscode.l10n.t('Cannot check {0}: {1}', file, reason) } };
  }
}

/** The recommendations for a method and the checked training set (the eval share held out unless an eval file is set). */
export function recommendationsFor(method: TrainingMethod, train: CheckedDataset | undefined, hasEvalFile: boolean, evalShare: number): Recommendations {
  const samples = train?.check.samples;
  const r = recommend({
    method,
    ...(samples ? { samples: trainingSamples(samples, hasEvalFile, evalShare) } : {}),
    ...(train?.stats ? { tokens: train.stats } : {}),
  }, coreLocale());
  return { values: r.values, reasons: r.reasons };
}

/** Base models used by the newest jobs that the form offers besides the configured ones. */
const RECENT_MODELS = 5;

/** The configured base models, with what they are, then the ones recent jobs of this folder used. */
export async function modelChoices(ctx: JobsCtx, folder: vscode.WorkspaceFolder): Promise<ModelChoice[]> {
  const configured = await Promise.all(ctx.config.baseModels.map(async (ref) => {
    const info = await inspectBaseModel(ref, folder.uri.fsPath);
    if (info.kind === 'hub') return { ref, detail: vscode.l10n.t('Hugging Face hub id') };
    const problem = baseModelProblem(info);
    if (problem === 'missing') return { ref, detail: vscode.l10n.t('folder not found') };
    // Tokenizer-only folders count tokens but cannot be trained: say so before Start.
    if (problem === 'noConfig') return { ref, detail: vscode.l10n.t('no config.json: cannot be trained') };
    if (problem === 'noWeights') return { ref, detail: vscode.l10n.t('no weights: cannot be trained') };
    return { ref, detail: info.architecture ?? vscode.l10n.t('local folder') };
  }));
  const recent: ModelChoice[] = [];
  for (const job of await listJobs(folder.uri.fsPath)) {
    if (!('record' in job) || recent.length >= RECENT_MODELS) continue;
    const ref = job.record.baseModel;
    if (!configured.some((m) => m.ref === ref) && !recent.some((m) => m.ref === ref)) {
      recent.push({ ref, detail: vscode.l10n.t('used by job {0}', job.record.name) });
    }
  }
  return [...configured, ...recent];
}

/**
 * The workspace's datasets, as spec paths: not model predictions, training logs, or a model's config and tokenizer
 * JSON (known by name, then by the first line's keys, as the dataset checks know them).
 */
export async function workspaceDatasets(folder: vscode.WorkspaceFolder): Promise<string[]> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, DATASET_GLOB), DATASET_EXCLUDE, 500);
  const kinds = await Promise.all(found.map((u) => (u.scheme === 'file' ? notDatasetFile(u.fsPath) : notDatasetKind(u.path))));
  return found.filter((_, i) => kinds[i] === undefined).map((u) => specPath(folder, u)).sort();
}

/** The training set a new form starts with: the given file, the active dataset editor's, else a train*.jsonl. */
export function initialTrainFile(folder: vscode.WorkspaceFolder, datasets: readonly string[], given?: vscode.Uri): string | undefined {
  if (given) return specPath(folder, given);
  const active = vscode.window.activeTextEditor?.document.uri;
  // Only a dataset: not a job's files under .finetune, nor a training log or a predictions file that is open.
  const activePath = active && vscode.workspace.getWorkspaceFolder(active) === folder ? specPath(folder, active) : undefined;
  if (activePath && /\.jsonl$/i.test(activePath) && datasets.includes(activePath)) return activePath;
  return datasets.find((d) => /(^|\/)train[^/]*\.jsonl$/i.test(d) && !/mistake/i.test(d)) ?? datasets.find((d) => d.endsWith('.jsonl'));
}

export async function pickDataset(folder: vscode.WorkspaceFolder): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    defaultUri: folder.uri, canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
    openLabel: vscode.l10n.t('Use Dataset'), filters: { [vscode.l10n.t('Datasets')]: ['jsonl', 'json'] },
  });
  return picked?.[0] ? specPath(folder, picked[0]) : null;
}

/** Copies a file from anywhere into `<workspace>/datasets/` (a free name) and returns its spec path. */
export async function copyDatasetIn(folder: vscode.WorkspaceFolder): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
    openLabel: vscode.l10n.t('Copy into Workspace'), filters: { [vscode.l10n.t('Datasets')]: ['jsonl', 'json'] },
  });
  const source = picked?.[0];
  if (!source) return null;
  const { name, ext } = path.parse(source.path);
  const target = await freeUri((n) => vscode.Uri.joinPath(folder.uri, 'datasets', `${name}${n > 1 ? `-${n}` : ''}${ext}`));
  await vscode.workspace.fs.copy(source, target);
  return specPath(folder, target);
}

export async function pickModelFolder(folder: vscode.WorkspaceFolder): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    defaultUri: folder.uri, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Use Model Folder'),
  });
  return picked?.[0] ? specPath(folder, picked[0]) : null;
}

/** The file name for a job's spec: its name with anything unsafe in a file name replaced. */
export function specFileName(name: string): string {
  return (name.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '') || 'job') + '.ftjob.json';
}

/**
 * Writes `<name>.ftjob.json` at the workspace root, asking before it overwrites one. No "$schema": the
 * jsonValidation contribution gives every *.ftjob.json the schema, and a path into this machine's installed
 * extension would break validation of a committed spec on other machines and after every update.
 */
export async function writeSpecFile(folder: vscode.WorkspaceFolder, spec: JobSpecInput & { name: string }): Promise<vscode.Uri | undefined> {
  const target = vscode.Uri.joinPath(folder.uri, specFileName(spec.name));
  if (await vscode.workspace.fs.stat(target).then(() => true, () => false)) {
    const overwrite = vscode.l10n.t('Overwrite');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists. Overwrite it?', specPath(folder, target)), { modal: true }, overwrite,
    );
    if (answer !== overwrite) return undefined;
  }
  const { $schema: _old, ...rest } = spec;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(rest, null, 2) + '\n'));
  return target;
}
