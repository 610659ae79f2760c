import * as vscode from 'vscode';
import * as path from 'node:path';
import { JOBS_DIR } from '../../core/jobs/jobStore';
import type { JobRecord } from '../../shared/job';
import type { JobEnded } from './runner';
import { jobErrorFix } from './errorFix';
import { stoppedText } from './progressText';

/** A notification when a job ends: how it ended, with the loss curve and the log one click away. */
export async function notifyJobEnded({ dir, record }: JobEnded): Promise<void> {
  const curve = vscode.l10n.t('Open Loss Curve');
  const log = vscode.l10n.t('Show Log');
  const resume = vscode.l10n.t('Continue from Checkpoint');
  let choice: string | undefined;
  const stopped = stoppedText(record);
  if (stopped) {
    choice = await vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}": {1}.', record.name, stopped), resume, log);
  } else if (record.status === 'succeeded') {
    const loss = record.latestLoss !== undefined ? vscode.l10n.t(' (last loss {0})', record.latestLoss.toFixed(4)) : '';
    choice = await vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}" finished{1}.', record.name, loss), curve, log);
  } else if (record.status === 'failed') {
    const why = [record.error?.split('\n')[0], jobErrorFix(record)].filter(Boolean).join(' ');
    choice = await vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" failed: {1}', record.name, why), log, curve);
  } else if (record.status === 'cancelled') {
    choice = await vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}" was cancelled.', record.name), log);
  }
  if (choice === resume) await vscode.commands.executeCommand('finetune.continueJob', { dir, record });
  if (choice === curve) await vscode.commands.executeCommand('finetune.openJobLossCurve', { dir });
  if (choice === log) await vscode.commands.executeCommand('finetune.showJobLog', { dir, record });
}

/**
 * After Start (form, spec file, continue): the Jobs view comes into sight, the job's loss curve opens and follows it
 * live, and a notification says where it runs, with its log one click away.
 */
export async function showStartedJob(folder: vscode.WorkspaceFolder, record: JobRecord): Promise<void> {
  const dir = path.join(folder.uri.fsPath, JOBS_DIR, record.id);
  await vscode.commands.executeCommand('finetune.jobs.focus');
  await vscode.commands.executeCommand('finetune.openJobLossCurve', { dir });
  const log = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}" started: its loss curve follows it live.', record.name), log);
  if (choice === log) await vscode.commands.executeCommand('finetune.showJobLog', { dir, record });
}
