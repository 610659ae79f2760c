import * as vscode from 'vscode';
import * as path from 'node:path';
import { readRegularFile } from '../../core/regularFile';
import { relativeToFolder } from '../../core/paths';
import { EvalRunFiles, listEvalRuns, type EvalRunMeta } from '../../core/eval';

/**
 * The workspace folder eval runs are stored in: the one holding `near` (the job or file evaluated) when given, else
 * the first; says so and returns undefined when none is open.
 */
export function evalWorkspace(near?: vscode.Uri): string | undefined {
  const folder = (near && vscode.workspace.getWorkspaceFolder(near)) || vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: eval runs are stored in its .finetune/evals folder.'));
    return undefined;
  }
  return folder.uri.fsPath;
}

/** A path as stored in eval.json: relative to the workspace when inside it. */
export const storedPath = relativeToFolder;

export function resolveStored(workspace: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.join(workspace, stored);
}

/** The 0-based line of each sample of a JSONL test set: its non-blank lines. */
export async function sampleLinesOf(file: string): Promise<number[]> {
  const text = await readRegularFile(file);
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => { if (line.trim()) lines.push(i); });
  return lines;
}

function runLabel(meta: EvalRunMeta): string {
  return meta.models.map((m) => m.name).join(' · ');
}

/** Asks for eval runs of the workspace (newest first). */
export async function pickEvalRuns(workspace: string, many: boolean): Promise<EvalRunFiles[] | undefined> {
  const { runs, broken } = await listEvalRuns(workspace);
  if (broken.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Skipped eval runs that cannot be read: {0}', broken.map((b) => b.reason).join('; ')));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No eval runs in this workspace yet: import predictions or evaluate an endpoint first.'));
    return undefined;
  }
  const items = runs.map((r) => ({
    label: runLabel(r.meta),
    description: r.meta.testSet ?? '',
    detail: `${r.meta.id} · ${new Date(r.meta.created).toLocaleString(vscode.env.language)}`,
    files: r.files,
    picked: false,
  }));
  if (many) {
    let placeHolder = vscode.l10n.t('Pick the eval runs to compare');
    for (;;) {
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Compare Evaluations'), placeHolder });
      if (!picked) return undefined; // dismissed
      if (picked.length > 0) return picked.map((p) => p.files);
      // OK with nothing ticked: say how to pick, and ask again (Escape leaves).
      placeHolder = vscode.l10n.t('No eval run is ticked: tick one or more (click their checkboxes or press Space), then press Enter or OK. Escape cancels.');
      void vscode.window.showInformationMessage(placeHolder);
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Open Evaluation') });
  return picked && [picked.files];
}

