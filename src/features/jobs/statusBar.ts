import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { JobRunner } from './runner';
import { progressParts } from './progressText';

/** A status bar item while jobs run: the job, its progress and ETA (or how many run); click for the Jobs view. */
export class JobsStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('finetune.jobs', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly runner: JobRunner) {
    super();
    this.item.name = vscode.l10n.t('Fine-tune Jobs');
    this.item.command = 'finetune.jobs.focus';
    this.register(runner.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const running = this.runner.running.filter((r) => r.status === 'running' || r.status === 'queued');
    if (running.length === 0) {
      this.item.hide();
      return;
    }
    if (running.length === 1) {
      const job = running[0]!;
      const parts = [job.name, ...progressParts(job)];
      this.item.text = `$(sync~spin) ${parts.join(' · ')}`;
    } else {
      this.item.text = `$(sync~spin) ${vscode.l10n.t('{0} jobs running', running.length)}`;
    }
    this.item.tooltip = running.map((r) => `${r.name}${r.latestLoss !== undefined ? ` · loss ${r.latestLoss.toFixed(4)}` : ''}`).join('\n');
    this.item.show();
  }
}
