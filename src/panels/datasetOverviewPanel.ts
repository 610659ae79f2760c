import * as vscode from 'vscode';
import { Disposable } from '../host/dispose';
import { RpcPeer } from '../shared/rpc';
import {
  OverviewWebviewMessage, overviewStringKeys,
  type DatasetOverview, type OverviewHostMessage,
} from '../shared/protocol/datasetOverview';
import type { DatasetDiagnostics, LintedDocument } from '../host/datasetDiagnostics';
import { summarize } from '../core/overview/summary';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The dataset overview: format, sample count and problems by code for one JSON Lines file, kept live. */
export class DatasetOverviewPanel extends Disposable {
  static readonly viewType = 'finetune.datasetOverview';
  private static current: DatasetOverviewPanel | undefined;
  private readonly peer: RpcPeer<OverviewWebviewMessage, OverviewHostMessage>;

  static show(extensionUri: vscode.Uri, diagnostics: DatasetDiagnostics, doc: vscode.TextDocument, log: (s: string) => void): DatasetOverviewPanel {
    const existing = DatasetOverviewPanel.current;
    if (existing) {
      existing.setDocument(doc);
      existing.panel.reveal(vscode.ViewColumn.Beside);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DatasetOverviewPanel.viewType, vscode.l10n.t('Dataset Overview'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    DatasetOverviewPanel.current = new DatasetOverviewPanel(panel, extensionUri, diagnostics, doc, log);
    return DatasetOverviewPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly diagnostics: DatasetDiagnostics,
    private doc: vscode.TextDocument,
    log: (s: string) => void,
  ) {
    super();
    this.register(panel);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'datasetOverview', vscode.l10n.t('Dataset Overview'));
    this.peer = new RpcPeer(
      {
        post: (m) => void panel.webview.postMessage(m),
        listen: (cb) => panel.webview.onDidReceiveMessage(cb),
      },
      OverviewWebviewMessage,
      (message) => this.handle(message),
      (problem) => log(`dataset overview webview sent an invalid message: ${problem}`),
    );
    this.register({ dispose: () => this.peer.dispose() });
    this.register(diagnostics.onDidLint((linted) => {
      if (linted.uri.toString() === this.doc.uri.toString()) this.post(linted);
    }));
    this.register(panel.onDidDispose(() => {
      DatasetOverviewPanel.current = undefined;
      this.dispose();
    }));
  }

  /** The overview last sent to the webview. */
  lastOverview: DatasetOverview | undefined;
  private markReady: () => void = () => undefined;
  /** Resolves when the page's script has run and said 'ready' (it runs only if the CSP let it). */
  readonly ready = new Promise<void>((resolve) => { this.markReady = resolve; });

  private setDocument(doc: vscode.TextDocument): void {
    this.doc = doc;
    void this.refresh();
  }

  private async handle(message: OverviewWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: overviewStrings() });
        await this.refresh();
        this.markReady();
        return null;
      case 'recheck':
        await this.refresh(true);
        return null;
      case 'revealLine': {
        const editor = await vscode.window.showTextDocument(this.doc, { viewColumn: vscode.ViewColumn.One });
        const position = new vscode.Position(Math.min(message.line, this.doc.lineCount - 1), 0);
        editor.selection = new vscode.Selection(position, position);
        editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
        return null;
      }
    }
  }

  private async refresh(force = false): Promise<void> {
    const linted = (!force && this.diagnostics.resultFor(this.doc)) || (await this.diagnostics.lint(this.doc));
    if (linted) this.post(linted);
  }

  private post(linted: LintedDocument): void {
    this.lastOverview = summarize(vscode.workspace.asRelativePath(linted.uri), linted.result);
    this.panel.title = vscode.l10n.t('Overview: {0}', this.lastOverview.fileName.split('/').pop() ?? '');
    this.peer.notify({ type: 'overview', overview: this.lastOverview });
  }
}

function overviewStrings(): Record<string, string> {
  const strings: Record<(typeof overviewStringKeys)[number], string> = {
    title: vscode.l10n.t('Dataset Overview'),
    format: vscode.l10n.t('Format'),
    samples: vscode.l10n.t('Samples'),
    errors: vscode.l10n.t('Errors'),
    warnings: vscode.l10n.t('Warnings'),
    infos: vscode.l10n.t('Notes'),
    byCode: vscode.l10n.t('Problems by kind'),
    problems: vscode.l10n.t('Problems'),
    line: vscode.l10n.t('Line'),
    code: vscode.l10n.t('Code'),
    message: vscode.l10n.t('Message'),
    count: vscode.l10n.t('Count'),
    noProblems: vscode.l10n.t('No problems found.'),
    recheck: vscode.l10n.t('Check again'),
    omitted: vscode.l10n.t('more problems not listed'),
  };
  return strings;
}
