// The local model a command runs, as the trial chat and Serve Model Locally ask for it: a model folder on this machine
// (an open dialog) or a finished job's model; and how the Jobs and Models views name one to those commands.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { JobsApi } from '../jobs';

/** A model on this machine: a model folder, or a finished job's (`dir`: its job folder). */
export interface LocalModel {
  folder: string;
  label: string;
  dir?: string;
}

/** A Models view folder item, as it is passed to a command. */
export interface ModelsViewFolder { kind: 'folder'; path: string; name?: string }
/** A Jobs view node, as it is passed to a command. */
export interface JobNode { dir: string }

/** A Models view folder item's folder, with its name when it has one. */
export function folderOfItem(item: ModelsViewFolder): { folder: string; label?: string } {
  return { folder: item.path, ...(item.name ? { label: item.name } : {}) };
}

export interface LocalModelPickTexts {
  title: string;
  placeHolder: string;
  /** The open dialog's button. */
  openLabel: string;
}

/**
 * Asks for a local model: "Local model folder…" (then an open dialog) and, under "Finished jobs", each job's model.
 * `before`: the caller's own items above them; one of those picked is returned as it is.
 */
export async function pickLocalModel<T extends vscode.QuickPickItem>(
  jobs: JobsApi, texts: LocalModelPickTexts, before: readonly T[] = [],
): Promise<LocalModel | T | undefined> {
  const folder = { label: `$(folder) ${vscode.l10n.t('Local model folder…')}`, detail: vscode.l10n.t('A folder with an ONNX model, tokenizer.json and tokenizer_config.json') };
  const trained = (await jobs.trainedModels()).map((m) => ({ label: `$(beaker) ${m.name}`, detail: vscode.workspace.asRelativePath(m.folder), model: { folder: m.folder, label: m.name, dir: m.dir } }));
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { model?: LocalModel }>([
    ...before, folder,
    ...(trained.length ? [{ label: vscode.l10n.t('Finished jobs'), kind: vscode.QuickPickItemKind.Separator }, ...trained] : []),
  ], { title: texts.title, placeHolder: texts.placeHolder });
  if (!picked) return undefined;
  if (picked.model) return picked.model;
  if (picked !== folder) return picked as T;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: texts.openLabel });
  return chosen?.[0] ? { folder: chosen[0].fsPath, label: path.basename(chosen[0].fsPath) } : undefined;
}
