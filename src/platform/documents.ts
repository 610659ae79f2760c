// Which documents are JSON Lines datasets, and the one a command is for.
import * as vscode from 'vscode';

/** A JSON Lines document: by its language, or by its name while another language is set. */
export function isDatasetDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'jsonl' || doc.uri.path.toLowerCase().endsWith('.jsonl');
}

/** The dataset document a command is for: the given file, else the active editor's if it is a dataset. */
export async function datasetDocument(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isDatasetDocument(doc)) return doc;
  void vscode.window.showWarningMessage(vscode.l10n.t('Open a JSON Lines dataset (.jsonl) first.'));
  return undefined;
}
