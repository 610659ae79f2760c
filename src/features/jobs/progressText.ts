import * as vscode from 'vscode';
import { etaSeconds, formatDuration } from '../../core/jobs/jobEvents';
import type { JobRecord } from '../../shared/job';
import { coreLocale } from '../../platform/locale';
import { stoppedAtStep } from '../../core/jobs/stopped';

/** How far a job is, for the Jobs view and the status bar: "42%", "ETA 3m 10s", and with `loss`, "loss 0.8123". */
export function progressParts(record: JobRecord, { loss = false } = {}): string[] {
  const parts: string[] = [];
  const { progress } = record;
  if (progress) parts.push(`${Math.floor((100 * progress.step) / progress.totalSteps)}%`);
  const eta = etaSeconds(record);
  if (eta !== undefined) parts.push(vscode.l10n.t('ETA {0}', formatDuration(eta, coreLocale())));
  if (loss && record.latestLoss !== undefined) parts.push(vscode.l10n.t('loss {0}', record.latestLoss.toFixed(4)));
  return parts;
}

/**
 * A job the trainer stopped cleanly with a checkpoint (a time limit, a preemption): "stopped at step N, checkpoint
 * saved — Continue from checkpoint"; undefined for any other job.
 */
export function stoppedText(record: JobRecord): string | undefined {
  const step = stoppedAtStep(record);
  return step === undefined ? undefined : vscode.l10n.t('stopped at step {0}, checkpoint saved — Continue from checkpoint', step);
}
