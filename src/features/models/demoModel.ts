// Fine-tune: Create Demo Model. A tiny random Qwen3 written by the trainer (`demo-model`) into the workspace with a
// real tokenizer and chat template, so a first job trains on a CPU in a couple of minutes without a download. Its
// answers are noise: it is there to go through the loop (train, curve, evaluate, export), not to answer well.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { DEMO_MODEL_FOLDER, inspectBaseModel } from '../../core/models/baseModel';
import type { ModelsCtx } from './context';

/** Writes the demo model and puts it first among the base models; its workspace-relative path, or undefined. */
export async function createDemoModel(ctx: ModelsCtx): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder first: the demo model is written into the workspace.'));
    return undefined;
  }
  const tokenizer = await tokenizerSource(ctx, folder);
  if (!tokenizer) return undefined;
  const out = path.join(folder.uri.fsPath, DEMO_MODEL_FOLDER);
  const answer = await ctx.jobs.runner.runTrainerTool(folder, ['demo-model', '--tokenizer', tokenizer, '--out', out], vscode.l10n.t('Writing the demo model…'));
  if (!answer) return undefined;
  const models = ctx.config.baseModels.filter((m) => m !== DEMO_MODEL_FOLDER);
  await ctx.config.setBaseModels([DEMO_MODEL_FOLDER, ...models]);
  const parameters = typeof answer['parameters'] === 'number' ? answer['parameters'] : NaN;
  // Millions in English, 万 (ten thousands) in Chinese.
  const size = vscode.env.language.startsWith('zh') ? `${Math.round(parameters / 1e4)} 万` : `${(parameters / 1e6).toFixed(1)}M`;
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Demo model written to {0}: a tiny Qwen3 ({1} parameters) with random weights and a real tokenizer. It trains on a CPU in minutes; its answers are noise: it is there to try the whole loop.', DEMO_MODEL_FOLDER, size),
  );
  return DEMO_MODEL_FOLDER;
}

/** The first configured base-model folder with tokenizer.json; else one the user picks. */
async function tokenizerSource(ctx: ModelsCtx, folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  for (const ref of ctx.config.baseModels) {
    const info = await inspectBaseModel(ref, folder.uri.fsPath);
    if (info.kind === 'folder' && info.hasTokenizer) return info.path;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, defaultUri: folder.uri,
    title: vscode.l10n.t('A folder with tokenizer.json for the demo model (a model or tokenizer folder)'),
    openLabel: vscode.l10n.t('Use This Tokenizer'),
  });
  return picked?.[0]?.fsPath;
}
