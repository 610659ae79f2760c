import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';
import type { DatasetWorkerClient } from './workerClient';
import { coreLocale } from '../../platform/locale';
import { DocumentSync } from './documentSync';
import { KeptFindings } from './keptFindings';
import { LintContexts } from './lintContext';
import { isJsonArrayCandidate, isJsonLinesDocument, notDatasetDocument } from '../../platform/documents';
import { jsonArrayStatus } from '../../core/dataset/formats/jsonArrayFile';
import type { DatasetDiagnostic, LintResult, Span } from '../../core/dataset/types';

export const DIAGNOSTIC_SOURCE = 'Fine-tune Studio';
const DEBOUNCE_MS = 250;
/** How much of a `.json` document is read to tell whether it is an array of samples. */
const ARRAY_HEAD_CHARS = 1 << 20;

export interface LintedDocument {
  uri: vscode.Uri;
  version: number;
  result: LintResult;
}

export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line, span.column, span.endLine, span.endColumn);
}

const severities: Record<DatasetDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Publishes the linter's diagnostics for JSON Lines documents and `.json` arrays of samples (checked whole, record by
 * record): on open, as you type (debounced),
 * dropping results that a newer edit has overtaken, and clearing them when the document closes, unless they were
 * of the saved file (as "Check All Datasets" checks files never opened in an editor): those stay until the file
 * changes on disk or is deleted.
 */
export class DatasetDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('finetune-dataset'));
  private readonly generations = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, LintedDocument>();
  /** What the worker holds of each document, and what changed since. */
  private readonly synced = new Map<string, DocumentSync>();
  private readonly contexts: LintContexts;
  private readonly kept = new KeptFindings();
  private keptWatcher: vscode.Disposable | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<LintedDocument>());
  /** Fires after a document's diagnostics were published. */
  readonly onDidLint = this.changed.event;

  constructor(private readonly worker: DatasetWorkerClient, private readonly config: Config) {
    super();
    this.contexts = this.register(new LintContexts(config));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.contentChanges.length) return;
      this.synced.get(e.document.uri.toString())?.record(e);
      if (this.config.lintOnType) this.schedule(e.document, DEBOUNCE_MS);
    }));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)));
    this.register({ dispose: () => this.keptWatcher?.dispose() });
    this.register(config.onDidChange(() => this.relintAll()));
    this.relintAll();
  }

  /** The result for the document's current version, if it has one. */
  resultFor(doc: vscode.TextDocument): LintedDocument | undefined {
    const linted = this.latest.get(doc.uri.toString());
    return linted && linted.version === doc.version ? linted : undefined;
  }

  /** Lints now and publishes; resolves with the result, or undefined if a newer edit overtook it. */
  async lint(doc: vscode.TextDocument): Promise<LintedDocument | undefined> {
    const key = doc.uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const version = doc.version;
    const onDisk = doc.uri.scheme === 'file' && !doc.isDirty;
    if (!isJsonLinesDocument(doc) && !(await this.isSampleArray(doc))) {
      // A .json file whose records are not samples (or no longer are): not checked.
      if (this.generations.get(key) === generation) this.forget(doc.uri);
      return undefined;
    }
    const result = await this.check(doc);
    if (this.generations.get(key) !== generation || doc.isClosed) return undefined;
    const linted: LintedDocument = { uri: doc.uri, version, result };
    this.latest.set(key, linted);
    this.kept.linted(key, version, onDisk);
    this.watchKept();
    this.collection.set(doc.uri, this.toDiagnostics(doc, result));
    this.changed.fire(linted);
    return linted;
  }

  /**
   * Sends the worker only the lines changed since the version it holds, or the whole text when it holds
   * none (first check, options changed, worker restarted). Edits made while a check is under way are
   * recorded against the version sent, as the worker applies requests in order.
   */
  private async check(doc: vscode.TextDocument): Promise<LintResult> {
    const key = doc.uri.toString();
    const options = {
      locale: coreLocale(),
      maxDiagnostics: this.config.maxDiagnosticsPerFile,
      fileName: doc.uri.path.split('/').pop() ?? '',
      ...(await this.contexts.for(doc)),
    };
    const base = this.synced.get(key);
    this.synced.set(key, new DocumentSync(doc.version, doc.lineCount));
    try {
      if (base) {
        const reply = await this.worker.edit({ uri: key, baseVersion: base.version, version: doc.version, options, ...base.edit(doc) });
        if (!('stale' in reply)) return reply;
        this.synced.set(key, new DocumentSync(doc.version, doc.lineCount));
      }
      return await this.worker.lint(key, doc.version, doc.getText(), options);
    } catch (err) {
      this.synced.delete(key);
      throw err;
    }
  }

  /**
   * A `.json` array that dataset_info.json names, or whose first record is plainly a sample. Judged on the first
   * MB of the text (not a copy of the whole document on every edit): an unregistered array whose first record is
   * longer than that is left alone.
   */
  private async isSampleArray(doc: vscode.TextDocument): Promise<boolean> {
    const { datasetInfo } = await this.contexts.for(doc);
    const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(ARRAY_HEAD_CHARS)));
    const status = jsonArrayStatus(head, doc.uri.path, datasetInfo, { strict: true });
    return status === 'registered' || status === 'unregistered';
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    super.dispose();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isJsonLinesDocument(doc) && !isJsonArrayCandidate(doc)) {
      // A .json document edited into something other than an array leaves its problems behind otherwise.
      if (this.collection.has(doc.uri)) this.forget(doc.uri);
      return;
    }
    const key = doc.uri.toString();
    // Predictions, training logs and the like are not checked (an edit that made one of a dataset drops its problems).
    if (notDatasetDocument(doc) !== undefined) {
      if (this.latest.has(key) || this.timers.has(key) || this.collection.has(doc.uri)) this.forget(doc.uri);
      return;
    }
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.lint(doc).catch((err: unknown) => {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not check {0}: {1}', vscode.workspace.asRelativePath(doc.uri), String(err)));
      });
    }, delay));
  }

  private relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** A closed document's findings stay when they were of the saved file, inside the workspace (watched); else they go. */
  private closed(doc: vscode.TextDocument): void {
    const keep = this.kept.closed(doc.uri.toString(), doc.version, vscode.workspace.getWorkspaceFolder(doc.uri) !== undefined);
    this.forget(doc.uri, keep);
  }

  /** A file changed on disk: findings kept after its document closed are stale now. */
  private fileChanged(uri: vscode.Uri): void {
    if (this.kept.fileChanged(uri.toString())) this.collection.delete(uri);
    this.watchKept();
  }

  /**
   * Watches the workspace's dataset files only while findings of closed files are kept: otherwise every line a
   * running job appends to a log would reach the extension host for nothing.
   */
  private watchKept(): void {
    if (this.kept.size === 0) {
      this.keptWatcher?.dispose();
      this.keptWatcher = undefined;
    } else if (!this.keptWatcher) {
      const files = vscode.workspace.createFileSystemWatcher('**/*.{jsonl,json}');
      const events = [files.onDidChange, files.onDidCreate, files.onDidDelete].map((event) => event((uri) => this.fileChanged(uri)));
      this.keptWatcher = vscode.Disposable.from(files, ...events);
    }
  }

  /** Stops checking the document; `keepFindings`: leave its published diagnostics (see KeptFindings). */
  private forget(uri: vscode.Uri, keepFindings = false): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.latest.delete(key);
    this.synced.delete(key);
    if (!keepFindings) {
      this.kept.forget(key);
      this.collection.delete(uri);
    }
    this.worker.forget(key);
    this.watchKept();
  }

  private toDiagnostics(doc: vscode.TextDocument, result: LintResult): vscode.Diagnostic[] {
    const out = result.diagnostics.map((d) => {
      const diagnostic = new vscode.Diagnostic(doc.validateRange(toRange(d.span)), d.message, severities[d.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      diagnostic.relatedInformation = d.related?.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, doc.validateRange(toRange(r.span))), r.message),
      );
      return diagnostic;
    });
    if (result.omitted > 0) {
      const summary = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        vscode.l10n.t('{0} more problems are not shown (setting finetune.dataset.maxDiagnosticsPerFile).', result.omitted),
        vscode.DiagnosticSeverity.Information,
      );
      summary.source = DIAGNOSTIC_SOURCE;
      out.push(summary);
    }
    return out;
  }
}
