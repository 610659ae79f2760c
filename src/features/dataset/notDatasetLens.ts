import * as vscode from 'vscode';
import { notDatasetDocument } from '../../platform/documents';
import { coreLocale } from '../../platform/locale';
import { notDatasetText, type NotDatasetKind } from '../../core/dataset/formats/notDataset';

/** What each kind of file is opened as instead of a dataset (commands of the eval and curves features, by id). */
const OPEN_AS: Partial<Record<NotDatasetKind, { title: () => string; command: string }>> = {
  predictions: { title: () => vscode.l10n.t('Import Predictions…'), command: 'finetune.importPredictions' },
  trainingLog: { title: () => vscode.l10n.t('Open Training Log'), command: 'finetune.openTrainingLog' },
};

/**
 * A JSON Lines file that is not a dataset (model predictions, a training log) is not checked; a CodeLens on its
 * first line says so and offers what the file is for. A lens rather than a diagnostic: nothing is wrong with the
 * file, so nothing belongs in the Problems panel, and rather than a notification: it shows where the user looks,
 * each time the file is open, without interrupting.
 */
export class NotDatasetLens implements vscode.CodeLensProvider {
  static readonly selector: vscode.DocumentSelector = { language: 'jsonl' };

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const kind = notDatasetDocument(doc);
    if (kind === undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const said = vscode.l10n.t('Not a dataset ({0}): not checked', notDatasetText(coreLocale(), kind));
    const lenses = [new vscode.CodeLens(top, { title: said, command: '' })];
    const open = OPEN_AS[kind];
    if (open) lenses.push(new vscode.CodeLens(top, { title: open.title(), command: open.command, arguments: [doc.uri] }));
    return lenses;
  }
}
