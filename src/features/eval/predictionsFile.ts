// A predictions file (LLaMA-Factory's generated_predictions.jsonl, or ours) read for an eval run, and the model
// name its folders suggest. Used by Import Predictions and by "Add a model to this run…".
import * as vscode from 'vscode';
import * as path from 'node:path';
import { readErrorReason, readRegularFile } from '../../core/regularFile';
import type { StoredPrediction } from '../../core/eval';
import { parsePredictions } from '../../core/metrics/predictions';
import { coreLocale } from '../../platform/locale';

/** Folder names LLaMA-Factory and others use for the output folder itself: the model's name is further up. */
const GENERIC_FOLDERS = new Set(['predict', 'predictions', 'eval', 'evaluation', 'output', 'outputs', 'lora', 'full', 'freeze', 'qlora', 'results']);

/** A default model name from a predictions file's folders: `saves/qwen3-wuxia/lora/predict/…` → qwen3-wuxia. */
export function defaultModelName(file: string): string {
  const parts = path.dirname(file).split(/[\\/]/).filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    if (!GENERIC_FOLDERS.has(parts[i]!.toLowerCase())) return parts[i]!;
  }
  return path.basename(file).replace(/\.jsonl$/i, '');
}

/** A predictions file's rows as stored (sample index = its line among the file's lines); bad lines are reported. */
export async function readPredictionsFile(file: string): Promise<StoredPrediction[] | undefined> {
  const shown = vscode.workspace.asRelativePath(file);
  let text: string;
  try {
    text = await readRegularFile(file);
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read {0}: {1}', shown, readErrorReason(err, coreLocale())));
    return undefined;
  }
  const { rows, problems } = parsePredictions(text, coreLocale());
  if (problems.length > 0) {
    const listed = problems.slice(0, 5).map((p) => vscode.l10n.t('line {0}: {1}', p.line, p.message)).join('; ');
    const more = problems.length > 5 ? ' ' + vscode.l10n.t('and {0} more', problems.length - 5) : '';
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1} lines could not be read and were left out: {2}', shown, problems.length, listed + more));
  }
  if (rows.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} has no predictions (lines with "predict" and "label").', shown));
    return undefined;
  }
  // Sample index: ours carry it ("index", written by Evaluate Endpoint, whose answers arrive out of order); else the
  // row's place among the file's non-blank lines (a bad line still takes its place, so the samples after it keep
  // lining up with the other models' answers and the test set).
  const lines = text.split('\n');
  const ordinal: number[] = [];
  let n = 0;
  for (const line of lines) ordinal.push(line.trim() ? n++ : n);
  return rows.map((r) => ({ index: ownIndex(lines[r.line - 1]!) ?? ordinal[r.line - 1]!, prompt: r.prompt, predict: r.predict, label: r.label }));
}

function ownIndex(line: string): number | undefined {
  if (!line.includes('"index"')) return undefined;
  let index: unknown;
  try {
    index = (JSON.parse(line.replace(/^\ufeff/, '')) as { index?: unknown }).index;
  } catch {
    return undefined; // parsePredictions accepted the line, so this does not happen; the position is used then
  }
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}

/**
 * Asks for predictions files (unless `given`, e.g. the Explorer's selection) and a model name for each, suggested
 * by its folders. Undefined when a question was dismissed.
 */
export async function askPredictionFiles(openLabel: string, title: string, given?: vscode.Uri[]): Promise<{ path: string; name: string }[] | undefined> {
  const picked = given ?? await vscode.window.showOpenDialog({
    canSelectFiles: true, canSelectFolders: false, canSelectMany: true,
    openLabel,
    filters: { [vscode.l10n.t('Predictions (generated_predictions.jsonl)')]: ['jsonl'] },
  });
  if (!picked || picked.length === 0) return undefined;
  const out: { path: string; name: string }[] = [];
  for (const uri of picked) {
    const name = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Model name for {0}', vscode.workspace.asRelativePath(uri)),
      value: defaultModelName(uri.fsPath),
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name')),
    });
    if (name === undefined) return undefined;
    out.push({ path: uri.fsPath, name: name.trim() });
  }
  return out;
}
