import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { createEvalRun, modelIdFor, type EvalModel, type ModelKind, type StoredPrediction } from '../../core/eval';
import { askPredictionFiles, readPredictionsFile } from './predictionsFile';
import { evalWorkspace, sampleLinesOf, storedPath } from './runs';
import { scoreRunWithProgress } from './scoring';
import { requireTrust } from '../../platform/workspaceTrust';
import { EvalDetailPanel } from './detailPanel';

/** What the command asks; tests (and other commands) pass it to skip the questions. */
export interface ImportRequest {
  /** `kind` defaults to 'base' for the base model and 'imported' for the others (a job's predictions: 'finetuned'). */
  files: { path: string; name: string; base?: boolean; kind?: ModelKind }[];
  /** The test set the predictions were made on, for jumping to a sample's line. */
  testSet?: string;
  /** The workspace folder to store the run in (a job's own); default: the folder of the first file, else the first. */
  workspace?: string;
}

/**
 * Fine-tune: Import Predictions… — reads generated_predictions.jsonl files, scores them, stores an eval run, opens it.
 * From the explorer: the clicked file and the other selected ones.
 */
export async function importPredictions(ctx: EvalCtx, request?: ImportRequest | vscode.Uri, selected?: vscode.Uri[]): Promise<{ dir: string; panel?: EvalDetailPanel } | undefined> {
  if (!requireTrust(vscode.l10n.t('store eval runs'))) return undefined;
  const near = isImportRequest(request) ? vscode.Uri.file(request.workspace ?? request.files[0]?.path ?? '') : request instanceof vscode.Uri ? request : undefined;
  const workspace = evalWorkspace(near);
  if (!workspace) return undefined;
  const clicked = request instanceof vscode.Uri ? (Array.isArray(selected) && selected.length > 0 ? selected : [request]) : undefined;
  const req = isImportRequest(request) ? request : await askImport(ctx, clicked);
  if (!req || req.files.length === 0) return undefined;

  const models: EvalModel[] = [];
  const answers = new Map<string, StoredPrediction[]>();
  for (const file of req.files) {
    const read = await readPredictionsFile(file.path);
    if (!read) continue;
    const id = modelIdFor(file.name, models.map((m) => m.id));
    models.push({ id, name: file.name, kind: file.kind ?? (file.base ? 'base' : 'imported'), source: storedPath(workspace, file.path), status: 'done', isBase: file.base === true });
    answers.set(id, read);
  }
  if (models.length === 0) return undefined;

  const testSet = req.testSet ? { testSet: storedPath(workspace, req.testSet), sampleLines: await sampleLinesOf(req.testSet).catch(() => undefined) } : {};
  const { files, meta } = await createEvalRun(workspace, {
    segmentation: 'jieba', models,
    ...(testSet.testSet ? { testSet: testSet.testSet } : {}),
    ...(testSet.sampleLines ? { sampleLines: testSet.sampleLines } : {}),
  });
  for (const model of models) await files.writePredictions(model, answers.get(model.id)!);

  if (!(await scoreRunWithProgress(ctx.metrics, files, meta))) {
    // The answers are stored; the run opens without scores (the view's ROUGE words select scores it again).
    void vscode.window.showWarningMessage(vscode.l10n.t('Stored the predictions in {0} without scores.', storedPath(workspace, files.dir)));
  }
  const panel = EvalDetailPanel.show(ctx, files);
  return { dir: files.dir, panel };
}

function isImportRequest(v: unknown): v is ImportRequest {
  return typeof v === 'object' && v !== null && Array.isArray((v as ImportRequest).files);
}

async function askImport(ctx: EvalCtx, given?: vscode.Uri[]): Promise<ImportRequest | undefined> {
  const named = await askPredictionFiles(vscode.l10n.t('Import Predictions'), vscode.l10n.t('Import Predictions'), given);
  if (!named) return undefined;
  const files: ImportRequest['files'] = named;
  const none = { label: vscode.l10n.t('No base model'), index: -1 };
  const base = await vscode.window.showQuickPick([...files.map((f, index) => ({ label: f.name, index })), none], {
    title: vscode.l10n.t('Which one is the base model?'),
    placeHolder: vscode.l10n.t('The other models are compared against it'),
  });
  if (!base) return undefined;
  if (base.index >= 0) files[base.index]!.base = true;
  const testSet = await askTestSet(ctx, vscode.l10n.t('The test set these predictions answer (to jump to a sample\'s line)'), true);
  if (testSet === null) return undefined;
  return { files, ...(testSet ? { testSet } : {}) };
}

/**
 * Asks for a test set: the configured eval file, another file, or (when `optional`) none.
 * undefined: none chosen; null: the question was dismissed.
 */
export async function askTestSet(ctx: EvalCtx, placeHolder: string, optional: boolean): Promise<string | undefined | null> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = ctx.config.evalFile && workspace ? path.resolve(workspace, ctx.config.evalFile) : undefined;
  const items: (vscode.QuickPickItem & { value: 'configured' | 'pick' | 'none' })[] = [];
  if (configured) items.push({ label: ctx.config.evalFile, description: vscode.l10n.t('configured eval file'), value: 'configured' });
  items.push({ label: vscode.l10n.t('Choose a file…'), value: 'pick' });
  if (optional) items.push({ label: vscode.l10n.t('None'), value: 'none' });
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Test Set'), placeHolder });
  if (!choice) return null;
  if (choice.value === 'none') return undefined;
  if (choice.value === 'configured') return configured;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Use as Test Set'), filters: { JSONL: ['jsonl', 'json'] } });
  return picked?.[0]?.fsPath ?? null;
}
