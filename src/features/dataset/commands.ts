// The dataset commands: check one file or the whole workspace into the Problems panel, the overview, and the
// conversion of ShareGPT / Alpaca files to OpenAI messages.
import * as vscode from 'vscode';
import type { DatasetCtx } from './context';
import type { LintedDocument } from './diagnostics';
import { DatasetOverviewPanel } from './overviewPanel';
import { convertToOpenAIFile } from './convert';
import { datasetDocument, isDatasetDocument } from '../../platform/documents';
import { severityCounts } from '../../core/dataset/checks/severityCounts';
import type { CommandTable } from '../../platform/commands';

export const datasetCommands = {
  'finetune.checkDataset': checkDataset,
  'finetune.showDatasetOverview': async (ctx: DatasetCtx, uri?: vscode.Uri) => {
    const doc = await datasetDocument(uri);
    return doc && DatasetOverviewPanel.show(ctx.extensionUri, ctx.diagnostics, doc, (s) => ctx.log.warn(s));
  },
  'finetune.checkWorkspaceDatasets': checkWorkspaceDatasets,
  'finetune.convertToOpenAI': async (ctx: DatasetCtx, uri?: vscode.Uri) => {
    const doc = await datasetDocument(uri);
    return doc && convertToOpenAIFile(ctx, doc);
  },
} satisfies CommandTable<DatasetCtx>;

async function checkDataset(ctx: DatasetCtx, uri?: vscode.Uri): Promise<LintedDocument | undefined> {
  const doc = await datasetDocument(uri);
  if (!doc) return undefined;
  const linted = await ctx.diagnostics.lint(doc);
  if (!linted) return undefined;
  const { error: errors, warning: warnings } = severityCounts(linted.result);
  const summary = vscode.l10n.t('{0}: {1} samples, {2} errors, {3} warnings.', vscode.workspace.asRelativePath(doc.uri), linted.result.samples, errors, warnings);
  if (errors + warnings > 0) {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showWarningMessage(summary);
  } else {
    void vscode.window.showInformationMessage(summary);
  }
  return linted;
}

const MAX_WORKSPACE_DATASETS = 500;

/** Checks every .jsonl dataset in the workspace (outside node_modules and .finetune) into the Problems panel. */
async function checkWorkspaceDatasets(ctx: DatasetCtx): Promise<{ files: number; errors: number; warnings: number }> {
  const files = await vscode.workspace.findFiles('**/*.jsonl', '{**/node_modules/**,**/.finetune/**,**/.git/**}', MAX_WORKSPACE_DATASETS);
  const totals = { files: 0, errors: 0, warnings: 0 };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking datasets'), cancellable: true },
    async (progress, token) => {
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        const doc = await vscode.workspace.openTextDocument(uri);
        if (!isDatasetDocument(doc)) continue; // model predictions, training logs: not datasets
        const linted = await ctx.diagnostics.lint(doc).catch(() => undefined);
        if (!linted) continue;
        totals.files++;
        const counts = severityCounts(linted.result);
        totals.errors += counts.error;
        totals.warnings += counts.warning;
      }
    },
  );
  const summary = vscode.l10n.t('Checked {0} datasets: {1} errors, {2} warnings.', totals.files, totals.errors, totals.warnings);
  if (totals.errors + totals.warnings > 0) void vscode.commands.executeCommand('workbench.actions.view.problems');
  void vscode.window.showInformationMessage(summary);
  return totals;
}
