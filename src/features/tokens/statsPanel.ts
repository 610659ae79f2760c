import * as vscode from 'vscode';
import {
  TokenStatsWebviewMessage, tokenStatsStringKeys,
  type TokenReport, type TokenStatsHostMessage,
} from '../../shared/protocol/tokenStats';
import { tokenErrorText, type DocumentTokens, type TokenService } from './service';
import { histogram } from '../../core/overview/histogram';
import { DocumentPanel, PanelSlot } from '../../platform/webview/panelBase';

const LONGEST_LISTED = 50;

/** Token-length statistics of one dataset with the chosen model's tokenizer: numbers, histogram, advice. */
export class TokenStatsPanel extends DocumentPanel<TokenStatsWebviewMessage, TokenStatsHostMessage> {
  static readonly viewType = 'finetune.tokenStatistics';
  private static readonly slot = new PanelSlot<TokenStatsPanel>();
  /** The report last sent to the webview, or the error shown instead. */
  last: { report: TokenReport } | { error: string } | undefined;

  static show(extensionUri: vscode.Uri, tokens: TokenService, doc: vscode.TextDocument, log: (s: string) => void): TokenStatsPanel {
    return TokenStatsPanel.slot.show('active', (panel) => panel.showFor(doc), () => new TokenStatsPanel(
      DocumentPanel.createPanel(extensionUri, TokenStatsPanel.viewType, vscode.l10n.t('Token Statistics')),
      extensionUri, tokens, doc, log,
    ));
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly tokens: TokenService, doc: vscode.TextDocument, log: (s: string) => void) {
    super(panel, extensionUri, {
      viewType: TokenStatsPanel.viewType, bundle: 'tokenStats', title: vscode.l10n.t('Token Statistics'), incoming: TokenStatsWebviewMessage,
    }, doc, log);
    this.register(vscode.workspace.onDidSaveTextDocument((saved) => {
      if (saved.uri.toString() === this.doc.uri.toString()) void this.refresh();
    }));
  }

  protected async handle(message: TokenStatsWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: tokenStatsStrings() });
        await this.refresh();
        this.pageReady();
        return null;
      case 'recount':
        await this.refresh();
        return null;
      case 'revealLine':
        await this.revealLine(message.line - 1);
        return null;
    }
  }

  protected async refresh(): Promise<void> {
    const fileName = vscode.workspace.asRelativePath(this.doc.uri);
    this.panel.title = vscode.l10n.t('Tokens: {0}', fileName.split('/').pop() ?? '');
    this.peer.notify({ type: 'progress', message: vscode.l10n.t('Counting tokens in {0}…', fileName) });
    try {
      const report = toReport(fileName, await this.tokens.countDocument(this.doc));
      this.last = { report };
      this.peer.notify({ type: 'report', report });
    } catch (err) {
      const error = tokenErrorText(err);
      this.last = { error };
      this.peer.notify({ type: 'error', message: error });
    }
  }
}

export function toReport(fileName: string, counted: DocumentTokens): TokenReport {
  const { stats } = counted;
  const samples = counted.results.flatMap((r) => ('tokens' in r ? [r] : []));
  return {
    fileName,
    model: counted.model,
    samples: stats.samples,
    skipped: counted.skipped,
    tokens: { ...stats.tokens },
    over4k: stats.over4k,
    over8k: stats.over8k,
    totalTokens: stats.totalTokens,
    trainTokens: stats.trainTokens,
    epochs: stats.recommendation.epochs,
    trainTokensTimesEpochs: stats.recommendation.trainTokensTimesEpochs,
    context: stats.recommendation.context,
    messages: stats.recommendation.messages,
    histogram: histogram(samples.map((s) => s.tokens)),
    longest: [...samples].sort((a, b) => b.tokens - a.tokens || a.line - b.line).slice(0, LONGEST_LISTED)
      .map(({ line, tokens, trainTokens }) => ({ line, tokens, trainTokens })),
  };
}

function tokenStatsStrings(): Record<string, string> {
  const strings: Record<(typeof tokenStatsStringKeys)[number], string> = {
    title: vscode.l10n.t('Token Statistics'),
    model: vscode.l10n.t('Tokenizer'),
    samples: vscode.l10n.t('Samples'),
    skipped: vscode.l10n.t('lines not counted (see the Problems panel)'),
    mean: vscode.l10n.t('Mean'),
    p50: 'P50',
    p90: 'P90',
    p95: 'P95',
    p99: 'P99',
    max: vscode.l10n.t('Max'),
    over4k: vscode.l10n.t('Over 4k'),
    over8k: vscode.l10n.t('Over 8k'),
    epochs: vscode.l10n.t('Recommended epochs'),
    trainTokens: vscode.l10n.t('Trained tokens × epochs'),
    totalTokens: vscode.l10n.t('Total tokens'),
    histogram: vscode.l10n.t('Tokens per sample'),
    tokensAxis: vscode.l10n.t('tokens'),
    samplesAxis: vscode.l10n.t('samples'),
    longest: vscode.l10n.t('Longest samples'),
    line: vscode.l10n.t('Line'),
    tokens: vscode.l10n.t('Tokens'),
    trained: vscode.l10n.t('Trained'),
    recommendation: vscode.l10n.t('Recommendation'),
    recount: vscode.l10n.t('Count again'),
  };
  return strings;
}
