// `*.ftjob.json` job specs as code: zod's verdict as diagnostics in the file (the JSON schema from
// contributes.jsonValidation gives completion and the editor's own checks), a CodeLens "▶ Start job" / "Edit in form"
// at the top, and `Fine-tune: Start Job from Spec File`.
import * as vscode from 'vscode';
import { showStartedJob } from './notifications';
import type { JobsCtx } from './context';
import { Disposable } from '../../platform/dispose';
import { coreLocale } from '../../platform/locale';
import { DIAGNOSTIC_SOURCE } from '../dataset';
import { formatPath, parseSpecText, type SpecResult } from '../../core/jobs/specFile';
import type { JobRecord } from '../../shared/job';

export const SPEC_SUFFIX = '.ftjob.json';
const SELECTOR: vscode.DocumentSelector = { pattern: `**/*${SPEC_SUFFIX}` };

export function isSpecFile(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(SPEC_SUFFIX);
}

/** Keeps the diagnostics of open spec files current and offers the CodeLens. */
export class JobSpecFiles extends Disposable implements vscode.CodeLensProvider {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('finetune-jobspec'));

  constructor() {
    super();
    const check = (doc: vscode.TextDocument) => { if (isSpecFile(doc.uri)) this.check(doc); };
    this.register(vscode.workspace.onDidOpenTextDocument(check));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => check(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)));
    this.register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    for (const doc of vscode.workspace.textDocuments) check(doc);
  }

  /** Parses the document and publishes its problems (each at its JSON path); returns the result. */
  check(doc: vscode.TextDocument): SpecResult {
    const result = parseSpecText(doc.getText(), coreLocale());
    this.collection.set(doc.uri, result.ok ? [] : result.issues.map((issue) => {
      const range = new vscode.Range(doc.positionAt(issue.start ?? 0), doc.positionAt(issue.end ?? 1));
      const d = new vscode.Diagnostic(range, `${formatPath(issue.path)}: ${issue.message}`, vscode.DiagnosticSeverity.Error);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = 'ftjob';
      return d;
    }));
    return result;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: vscode.l10n.t('▶ Start job'), command: 'finetune.startJobFromSpec', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('Edit in form'), command: 'finetune.startJob', arguments: [doc.uri] }),
    ];
  }
}

/** The spec file a command is for: the given one, the active editor's, else one picked from the workspace. */
export async function specFileUri(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isSpecFile(active)) return active;
  const files = await vscode.workspace.findFiles(`**/*${SPEC_SUFFIX}`, '{**/node_modules/**,**/.git/**}', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No job spec (*.ftjob.json) in the workspace: save one from the Start Job form.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { title: vscode.l10n.t('Start Job from Spec File') },
  );
  return picked?.uri;
}

/** Reads and validates a spec file (unsaved edits included); problems go to the file's diagnostics and a message. */
export async function readSpecFile(ctx: JobsCtx, uri: vscode.Uri): Promise<SpecResult> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = ctx.specFiles.check(doc);
  if (!result.ok) {
    const first = result.issues[0]!;
    const show = vscode.l10n.t('Show Problems');
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} is not a valid job spec ({1} problems): {2}: {3}', vscode.workspace.asRelativePath(uri), result.issues.length, formatPath(first.path), first.message),
      show,
    ).then(async (answer) => {
      if (answer !== show) return;
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }
  return result;
}

/** `Fine-tune: Start Job from Spec File`: validates the spec and hands it to the job runner. */
export async function startJobFromSpec(ctx: JobsCtx, uri?: vscode.Uri): Promise<JobRecord | undefined> {
  const file = await specFileUri(uri);
  if (!file) return undefined;
  const result = await readSpecFile(ctx, file);
  if (!result.ok) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open the folder that holds {0}: the spec\'s paths are relative to it.', file.fsPath));
    return undefined;
  }
  const record = await ctx.runner.start(folder, result.spec, { specFile: file });
  if (record) void showStartedJob(folder, record);
  return record;
}
