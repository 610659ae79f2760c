import * as vscode from 'vscode';
import {
  OverviewWebviewMessage, overviewStringKeys,
  type DatasetOverview, type OverviewHostMessage,
} from '../../shared/protocol/datasetOverview';
import type { DatasetDiagnostics, LintedDocument } from './diagnostics';
import { summarize } from '../../core/overview/summary';
import { DocumentPanel, PanelSlot } from '../../platform/webview/panelBase';

/** The dataset overview: format, sample count and problems by code for one JSON Lines file, kept live. */
export class DatasetOverviewPanel extends DocumentPanel<OverviewWebviewMessage, OverviewHostMessage> {
  static readonly viewType = 'finetune.datasetOverview';
  private static readonly slot = new PanelSlot<DatasetOverviewPanel>();
  /** The overview last sent to the webview. */
  lastOverview: DatasetOverview | undefined;

  static show(extensionUri: vscode.Uri, diagnostics: DatasetDiagnostics, doc: vscode.TextDocument, log: (s: string) => void): DatasetOverviewPanel {
    return DatasetOverviewPanel.slot.show('active', (panel) => panel.showFor(doc), () => new DatasetOverviewPanel(
      DocumentPanel.createPanel(extensionUri, DatasetOverviewPanel.viewType, vscode.l10n.t('Dataset Overview')),
      extensionUri, diagnostics, doc, log,
    ));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly diagnostics: DatasetDiagnostics,
    doc: vscode.TextDocument,
    log: (s: string) => void,
  ) {
    super(panel, extensionUri, {
      viewType: DatasetOverviewPanel.viewType, bundle: 'datasetOverview', title: vscode.l10n.t('Dataset Overview'), incoming: OverviewWebviewMessage,
    }, doc, log);
    this.register(diagnostics.onDidLint((linted) => {
      if (linted.uri.toString() === this.doc.uri.toString()) this.post(linted);
    }));
  }

  protected async handle(message: OverviewWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: overviewStrings() });
        await this.refresh();
        this.pageReady();
        return null;
      case 'recheck':
        await this.refresh(true);
        return null;
      case 'revealLine':
        await this.revealLine(message.line);
        return null;
    }
  }

  protected async refresh(force = false): Promise<void> {
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
    'format.openai': vscode.l10n.t('OpenAI messages'),
    'format.sharegpt': vscode.l10n.t('ShareGPT'),
    'format.alpaca': vscode.l10n.t('Alpaca'),
    'format.prompt_completion': vscode.l10n.t('prompt/completion'),
    'format.text': vscode.l10n.t('plain text'),
    'format.mixed': vscode.l10n.t('mixed formats'),
    'format.unknown': vscode.l10n.t('unknown format'),
  };
  return strings;
}
