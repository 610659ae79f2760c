import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, toRange, type DatasetDiagnostics } from './diagnostics';
import type { DatasetDiagnostic, DatasetFix, TextEdit } from '../../core/dataset/types';
import { fixAllTitle } from '../../core/dataset';
import { coreLocale } from '../../platform/locale';

/** Quick fixes from the linter's own fixes, each also offered as "fix all of this kind in the file". */
export class DatasetCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite],
  };

  constructor(private readonly diagnostics: DatasetDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const linted = this.diagnostics.resultFor(doc);
    if (!linted) return [];
    const actions: vscode.CodeAction[] = [];
    for (const shown of context.diagnostics) {
      if (shown.source !== DIAGNOSTIC_SOURCE) continue;
      const source = linted.result.diagnostics.find((d) => d.fix && d.code === shown.code && toRange(d.span).isEqual(shown.range));
      if (!source?.fix) continue;
      actions.push(this.action(doc, source.fix.title, [source.fix], [shown], true));
      const sameKind = linted.result.diagnostics.filter((d): d is DatasetDiagnostic & { fix: DatasetFix } => d.fix?.kind === source.fix?.kind);
      if (sameKind.length > 1) {
        const title = vscode.l10n.t('Fix all in file: {0} ({1})', fixAllTitle(sameKind.map((d) => d.fix), coreLocale()), sameKind.length);
        actions.push(this.action(doc, title, sameKind.map((d) => d.fix), [], false));
      }
    }
    // Conversion writes JSON Lines from lines: not offered for a .json array.
    if (['sharegpt', 'alpaca', 'mixed'].includes(linted.result.format) && !doc.uri.path.toLowerCase().endsWith('.json')) {
      const convert = new vscode.CodeAction(vscode.l10n.t('Convert to OpenAI messages (new file)'), vscode.CodeActionKind.RefactorRewrite);
      convert.command = { command: 'finetune.convertToOpenAI', title: convert.title, arguments: [doc.uri] };
      actions.push(convert);
    }
    return actions;
  }

  private action(doc: vscode.TextDocument, title: string, fixes: DatasetFix[], diags: vscode.Diagnostic[], preferred: boolean): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = diags;
    action.isPreferred = preferred;
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of nonOverlapping(fixes.flatMap((f) => f.edits))) {
      action.edit.replace(doc.uri, toRange(edit.span), edit.newText);
    }
    return action;
  }
}

/** Edits sorted by position with any that overlap an earlier one dropped (a workspace edit must not overlap). */
function nonOverlapping(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  const kept: TextEdit[] = [];
  for (const edit of sorted) {
    const last = kept[kept.length - 1];
    if (last && toRange(edit.span).start.isBefore(toRange(last.span).end)) continue;
    kept.push(edit);
  }
  return kept;
}
