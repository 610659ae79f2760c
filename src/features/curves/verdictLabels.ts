// The verdict names as the editor shows them (the loss-curve panel's badge, the Jobs view's tooltip).
import * as vscode from 'vscode';
import type { LossRun } from '../../shared/protocol/lossCurve';

export function verdictLabels(): Record<LossRun['verdict'], string> {
  return {
    converged: vscode.l10n.t('Converged'),
    converged_early: vscode.l10n.t('Converged early'),
    overfitting: vscode.l10n.t('Overfitting'),
    not_converged: vscode.l10n.t('Not converged'),
    still_improving: vscode.l10n.t('Still improving'),
    diverged: vscode.l10n.t('Diverged'),
    insufficient_data: vscode.l10n.t('Insufficient data'),
  };
}
