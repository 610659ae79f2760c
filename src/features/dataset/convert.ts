import * as vscode from 'vscode';
import * as path from 'node:path';
import type { DatasetCtx } from './context';
import { coreLocale } from '../../platform/locale';
import { freeUri } from '../../platform/freeUri';

/**
 * Converts a ShareGPT or Alpaca dataset to OpenAI messages as a new file beside it
 * (`<name>.openai.jsonl`, never overwriting one), opens it and says what was left out.
 */
export async function convertToOpenAIFile(ctx: DatasetCtx, doc: vscode.TextDocument): Promise<vscode.Uri | undefined> {
  const result = await ctx.worker.convert(doc.getText(), coreLocale(), path.posix.basename(doc.uri.path));
  if (result.converted + result.unchanged === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Nothing to convert in {0}: no ShareGPT or Alpaca samples.', vscode.workspace.asRelativePath(doc.uri)));
    return undefined;
  }
  const base = doc.uri.path.replace(/\.jsonl$/i, '');
  const target = await freeUri((n) => doc.uri.with({ path: `${base}.openai${n > 1 ? `-${n}` : ''}.jsonl` }));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  await vscode.window.showTextDocument(target);
  const skipped = result.skipped.map((s) => vscode.l10n.t('line {0}: {1}', s.line + 1, s.reason)).join('; ');
  const summary = vscode.l10n.t('Wrote {0}: {1} samples converted, {2} already in OpenAI format.', vscode.workspace.asRelativePath(target), result.converted, result.unchanged);
  if (skipped) void vscode.window.showWarningMessage(`${summary} ${vscode.l10n.t('Left out: {0}', skipped)}`);
  else void vscode.window.showInformationMessage(summary);
  return target;
}

