import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { DatasetDiagnostics, LintedDocument } from './diagnostics';
import { isDatasetDocument } from '../../platform/documents';
import { severityCounts } from '../../core/dataset/checks/severityCounts';
import { tokenErrorText, type TokenService } from '../tokens';

/**
 * The active dataset's summary in the status bar: samples and problems as you type, and token length
 * (P95 and the share over 4k) when the dataset is opened or saved, if a tokenizer is chosen.
 */
export class DatasetStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('finetune.dataset', vscode.StatusBarAlignment.Left, 50));
  private lint = '';
  private tokens = '';
  private tokenTooltip = '';

  constructor(private readonly diagnostics: DatasetDiagnostics, private readonly tokenService: TokenService) {
    super();
    this.item.name = vscode.l10n.t('Fine-tune Studio dataset');
    this.register(diagnostics.onDidLint((linted) => {
      if (linted.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) this.showLint(linted);
    }));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    // An edit of the first line can make the file something other than a dataset (model predictions, a log).
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document && !isDatasetDocument(e.document)) this.item.hide();
    }));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc === vscode.window.activeTextEditor?.document) void this.countTokens(doc);
    }));
    this.update();
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isDatasetDocument(doc)) return this.item.hide();
    this.lint = '';
    this.tokens = '';
    const linted = this.diagnostics.resultFor(doc);
    if (linted) this.showLint(linted);
    void this.countTokens(doc);
  }

  private showLint(linted: LintedDocument): void {
    const errors = severityCounts(linted.result).error;
    this.lint = errors
      ? vscode.l10n.t('$(error) {0} samples, {1} errors', linted.result.samples, errors)
      : vscode.l10n.t('$(pass) {0} samples', linted.result.samples);
    this.render();
  }

  private async countTokens(doc: vscode.TextDocument): Promise<void> {
    try {
      const { stats, model } = await this.tokenService.countDocument(doc);
      if (doc !== vscode.window.activeTextEditor?.document) return;
      this.tokens = vscode.l10n.t('P95 {0} tokens, {1} over 4k', stats.tokens.p95, `${(stats.over4k * 100).toFixed(1)}%`);
      this.tokenTooltip = vscode.l10n.t('Token counts with the tokenizer and chat template of {0}. Click for the statistics.', model);
    } catch (err) {
      this.tokens = '';
      this.tokenTooltip = tokenErrorText(err);
    }
    this.render();
  }

  private render(): void {
    this.item.text = [this.lint, this.tokens].filter(Boolean).join(' · ');
    this.item.tooltip = this.tokenTooltip || undefined;
    this.item.command = this.tokens ? 'finetune.showTokenStatistics' : 'finetune.showDatasetOverview';
    if (this.item.text) this.item.show();
  }
}
