import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { alignmentOf, withAddedModel, type EvalRunFiles } from '../../core/eval';
import { askPredictionFiles, readPredictionsFile } from './predictionsFile';
import { storedPath } from './runs';
import { scoreRunWithProgress } from './scoring';
import { requireTrust } from '../../platform/workspaceTrust';

/** The workspace folder of the run (`<workspace>/.finetune/evals/<id>`), for storing the file's path relative to it. */
function workspaceOf(files: EvalRunFiles): string {
  return path.dirname(path.dirname(path.dirname(files.dir)));
}

/** A predictions file to add and the model's name. */
export interface AddedFile { path: string; name: string }

/**
 * "Add a model to this run…": asks for predictions files (one at a time in the browser, where the dialog picks one)
 * and a name for each, stores their answers in the run and scores the run again, so the new model gets its scores
 * and its deltas against the run's base like the others. `request` skips the questions (tests).
 * True when a model was added.
 */
export async function addModelToRun(ctx: EvalCtx, files: EvalRunFiles, request?: AddedFile[]): Promise<boolean> {
  if (!requireTrust(vscode.l10n.t('store eval runs'))) return false;
  const chosen = request ?? await askPredictionFiles(vscode.l10n.t('Add to Eval Run'), vscode.l10n.t('Add a Model to This Run'));
  if (!chosen || chosen.length === 0) return false;
  let meta = await files.readMeta();
  const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(files.dir))?.uri.fsPath ?? workspaceOf(files);
  let added = 0;
  for (const file of chosen) {
    const rows = await readPredictionsFile(file.path);
    if (!rows) continue;
    const shown = vscode.workspace.asRelativePath(file.path);
    const alignment = alignmentOf(await files.readPredictions(meta), rows);
    if (alignment.otherReference > 0 && !request) {
      const addAnyway = vscode.l10n.t('Add Anyway');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0}: for {1} of its {2} samples the reference answer differs from this run\'s. Were these predictions made on another test set? Its scores would then compare answers to other questions.', shown, alignment.otherReference, alignment.total),
        { modal: true }, addAnyway);
      if (answer !== addAnyway) continue;
    }
    const next = withAddedModel(meta, { name: file.name, source: storedPath(workspace, file.path) });
    // The answers first: a run whose eval.json names a model always has its file.
    await files.writePredictions(next.model, rows);
    await files.writeMeta(next.meta);
    meta = next.meta;
    added++;
  }
  if (added === 0) return false;
  if (!(await scoreRunWithProgress(ctx.metrics, files, meta))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Stored the predictions in {0} without scores.', storedPath(workspace, files.dir)));
  }
  return true;
}
