import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Ctx } from './context';
import { isDatasetDocument, type LintedDocument } from '../features/dataset/diagnostics';
import { DatasetOverviewPanel } from '../features/dataset/overviewPanel';
import { TokenStatsPanel } from '../features/tokens/statsPanel';
import { LossCurvePanel, pickLogFiles } from '../features/curves/lossCurvePanel';
import { convertToOpenAIFile } from '../features/dataset/convert';
import { isHubId, type BaseModelInfo } from '../core/models/baseModel';
import type { JobNode } from '../features/jobs/jobsTree';
import { jobCommands } from '../features/jobs/commands';
import { evalCommands } from '../features/eval/commands';
import { startJobCommands } from '../features/jobs/startJob/commands';

type Command = (ctx: Ctx, ...args: never[]) => unknown;

/** Every command of the extension. Each one is listed in package.json's `contributes.commands`. */
const commands = {
  'finetune.checkDataset': checkDataset,
  'finetune.showDatasetOverview': showDatasetOverview,
  'finetune.showTokenStatistics': async (ctx: Ctx, uri?: vscode.Uri) => {
    const doc = await datasetDocument(uri);
    return doc && TokenStatsPanel.show(ctx.extensionUri, ctx.tokens, doc, (s) => ctx.log.warn(s));
  },
  'finetune.checkWorkspaceDatasets': checkWorkspaceDatasets,
  'finetune.convertToOpenAI': async (ctx: Ctx, uri?: vscode.Uri) => {
    const doc = await datasetDocument(uri);
    return doc && convertToOpenAIFile(ctx, doc);
  },
  'finetune.addBaseModel': addBaseModel,
  'finetune.removeBaseModel': removeBaseModel,
  'finetune.revealModelFolder': (_ctx: Ctx, model?: BaseModelInfo) =>
    model?.kind === 'folder' && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(model.path)),
  'finetune.refreshJobs': (ctx: Ctx) => ctx.jobs.refresh(),
  'finetune.openJobEvents': openJobEvents,
  'finetune.revealJobFolder': (_ctx: Ctx, job?: JobNode) =>
    job && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(job.dir)),
  'finetune.openTrainingLog': openTrainingLog,
  ...jobCommands,
  ...evalCommands,
  ...startJobCommands,
} satisfies Record<string, Command>;

export function registerCommands(ctx: Ctx): void {
  for (const [id, run] of Object.entries(commands) as [string, Command][]) {
    ctx.register(vscode.commands.registerCommand(id, (...args: never[]) => run(ctx, ...args)));
  }
}

/** The dataset document a command is for: the given file, else the active editor's if it is a dataset. */
async function datasetDocument(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isDatasetDocument(doc)) return doc;
  void vscode.window.showWarningMessage(vscode.l10n.t('Open a JSON Lines dataset (.jsonl) first.'));
  return undefined;
}

async function checkDataset(ctx: Ctx, uri?: vscode.Uri): Promise<LintedDocument | undefined> {
  const doc = await datasetDocument(uri);
  if (!doc) return undefined;
  const linted = await ctx.diagnostics.lint(doc);
  if (!linted) return undefined;
  const count = (s: string) => linted.result.diagnostics.filter((d) => d.severity === s).length;
  const [errors, warnings] = [count('error'), count('warning')];
  const summary = vscode.l10n.t('{0}: {1} samples, {2} errors, {3} warnings.', vscode.workspace.asRelativePath(doc.uri), linted.result.samples, errors, warnings);
  if (errors + warnings > 0) {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showWarningMessage(summary);
  } else {
    void vscode.window.showInformationMessage(summary);
  }
  return linted;
}

async function showDatasetOverview(ctx: Ctx, uri?: vscode.Uri): Promise<DatasetOverviewPanel | undefined> {
  const doc = await datasetDocument(uri);
  return doc && DatasetOverviewPanel.show(ctx.extensionUri, ctx.diagnostics, doc, (s) => ctx.log.warn(s));
}

/** Adds a base model: a local folder (picked) or a hub id (typed). `ref` skips the questions. */
async function addBaseModel(ctx: Ctx, ref?: string): Promise<string | undefined> {
  if (typeof ref !== 'string') ref = await askForBaseModel();
  if (!ref) return undefined;
  const models = ctx.config.baseModels;
  if (!models.includes(ref)) await ctx.config.setBaseModels([...models, ref]);
  return ref;
}

async function askForBaseModel(): Promise<string | undefined> {
  const folder = { label: vscode.l10n.t('Local folder…'), detail: vscode.l10n.t('A folder with config.json, tokenizer.json and the weights') };
  const hub = { label: vscode.l10n.t('Hugging Face hub id…'), detail: vscode.l10n.t('For example Qwen/Qwen2.5-7B-Instruct') };
  const choice = await vscode.window.showQuickPick([folder, hub], { title: vscode.l10n.t('Add Base Model') });
  if (choice === folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Add Base Model') });
    if (!picked?.[0]) return undefined;
    const root = vscode.workspace.getWorkspaceFolder(picked[0]);
    return root ? path.relative(root.uri.fsPath, picked[0].fsPath) || '.' : picked[0].fsPath;
  }
  if (choice === hub) {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Add Base Model'),
      prompt: vscode.l10n.t('Hugging Face model id (organisation/name)'),
      validateInput: (v) => (isHubId(v.trim()) ? undefined : vscode.l10n.t('Expected organisation/name, for example Qwen/Qwen2.5-7B-Instruct')),
    }).then((v) => v?.trim());
  }
  return undefined;
}

async function removeBaseModel(ctx: Ctx, model?: BaseModelInfo): Promise<void> {
  if (!model) return;
  await ctx.config.setBaseModels(ctx.config.baseModels.filter((m) => m !== model.ref));
}

async function openJobEvents(_ctx: Ctx, job?: JobNode): Promise<void> {
  if (!job) return;
  const events = vscode.Uri.file(path.join(job.dir, 'events.jsonl'));
  const target = await vscode.workspace.fs.stat(events).then(() => events, () => vscode.Uri.file(path.join(job.dir, 'job.json')));
  await vscode.window.showTextDocument(target);
}

const MAX_WORKSPACE_DATASETS = 500;

/** Checks every .jsonl file in the workspace (outside node_modules and .finetune) into the Problems panel. */
async function checkWorkspaceDatasets(ctx: Ctx): Promise<{ files: number; errors: number; warnings: number }> {
  const files = await vscode.workspace.findFiles('**/*.jsonl', '{**/node_modules/**,**/.finetune/**,**/.git/**}', MAX_WORKSPACE_DATASETS);
  const totals = { files: 0, errors: 0, warnings: 0 };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking datasets'), cancellable: true },
    async (progress, token) => {
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        const linted = await ctx.diagnostics.lint(await vscode.workspace.openTextDocument(uri)).catch(() => undefined);
        if (!linted) continue;
        totals.files++;
        for (const d of linted.result.diagnostics) {
          if (d.severity === 'error') totals.errors++;
          else if (d.severity === 'warning') totals.warnings++;
        }
      }
    },
  );
  const summary = vscode.l10n.t('Checked {0} datasets: {1} errors, {2} warnings.', totals.files, totals.errors, totals.warnings);
  if (totals.errors + totals.warnings > 0) void vscode.commands.executeCommand('workbench.actions.view.problems');
  void vscode.window.showInformationMessage(summary);
  return totals;
}

/**
 * Opens the loss curves and the convergence diagnosis of training logs, overlaid: the given files (the explorer
 * passes the clicked file and the selection; a caller may pass an array), else the active editor's log, else
 * those picked.
 */
async function openTrainingLog(ctx: Ctx, uri?: vscode.Uri | vscode.Uri[], selected?: vscode.Uri[]): Promise<LossCurvePanel | undefined> {
  const given = [uri, ...(Array.isArray(selected) ? selected : [])].flat().filter((u): u is vscode.Uri => u instanceof vscode.Uri);
  let files = [...new Map(given.map((u) => [u.toString(), u])).values()];
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!files.length && active && /^(trainer_state\.json|trainer_log\.jsonl|events\.jsonl)$/.test(path.basename(active.path))) files = [active];
  if (!files.length) files = (await pickLogFiles(true)) ?? [];
  return files.length ? LossCurvePanel.open(ctx, files) : undefined;
}
