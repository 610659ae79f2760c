// Which documents are JSON Lines datasets, and the one a command is for.
import * as vscode from 'vscode';
import { firstLineOf, notDatasetKind, notDatasetText, type NotDatasetKind } from '../core/dataset/formats/notDataset';
import { coreLocale } from './locale';

/** A JSON Lines document: by its language, or by its name while another language is set. */
export function isJsonLinesDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'jsonl' || doc.uri.path.toLowerCase().endsWith('.jsonl');
}

/**
 * A `.json` document that may be a JSON array dataset (LLaMA-Factory's usual files): its first non-blank line starts
 * with '['. Whether its records are samples is decided with its text (jsonArrayStatus).
 */
export function isJsonArrayCandidate(doc: vscode.TextDocument): boolean {
  if (!doc.uri.path.toLowerCase().endsWith('.json') || (doc.languageId !== 'json' && doc.languageId !== 'jsonc')) return false;
  for (let i = 0; i < Math.min(doc.lineCount, LEADING_LINES); i++) {
    const text = doc.lineAt(i).text.replace(/^\uFEFF/, '').trimStart();
    if (text) return text.startsWith('[');
  }
  return false;
}

/** Lines looked at for the first non-blank one (a file that starts with more blank lines is checked as a dataset). */
const LEADING_LINES = 20;

/** What the document is when it is not a dataset (model predictions, a training log...), by its name, then its first line. */
export function notDatasetDocument(doc: vscode.TextDocument): NotDatasetKind | undefined {
  const head: string[] = [];
  for (let i = 0; i < Math.min(doc.lineCount, LEADING_LINES); i++) {
    const text = doc.lineAt(i).text;
    head.push(text);
    if (text.trim()) break;
  }
  return notDatasetKind(doc.uri.path, firstLineOf(head.join('\n')));
}

/** A JSON Lines document that holds training data: not a predictions file, a training log, or model JSON. */
export function isDatasetDocument(doc: vscode.TextDocument): boolean {
  return isJsonLinesDocument(doc) && notDatasetDocument(doc) === undefined;
}

/** "{file} is not a dataset: {kind}", for commands that were asked to check one. */
export function notDatasetMessage(uri: vscode.Uri, kind: NotDatasetKind): string {
  return vscode.l10n.t('{0} is not a dataset: {1}. Fine-tune Studio does not check it.', vscode.workspace.asRelativePath(uri), notDatasetText(coreLocale(), kind));
}

/** The dataset document a command is for: the given file, else the active editor's if it is a dataset. */
export async function datasetDocument(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const kind = notDatasetDocument(doc);
    if (kind === undefined) return doc;
    void vscode.window.showInformationMessage(notDatasetMessage(uri, kind));
    return undefined;
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isDatasetDocument(doc)) return doc;
  void vscode.window.showWarningMessage(vscode.l10n.t('Open a JSON Lines dataset (.jsonl) first.'));
  return undefined;
}
