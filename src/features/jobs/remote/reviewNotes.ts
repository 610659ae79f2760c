// What the sbatch review says before a Slurm training job is submitted: the probe runs before the first real job on
// a backend (and what it found missing is said), and a --time shorter than the job's estimated duration is warned
// about with the figures (tokens from the training set's statistics × epochs ÷ a throughput from an earlier job of
// the same model, data and batch there), or said to be unknown.
import * as vscode from 'vscode';
import type { JobsCtx } from '../context';
import type { ReviewNotes } from './remoteBackends';
import type { LaunchRequest } from '../../../backends/backend';
import { probeProblems, probeSummary } from '../../../backends/slurm/probeSummary';
import { scriptTimeLimit, timeLimitNote, type DurationFigures } from '../../../backends/slurm/timeLimit';
import { throughputFromEarlierJob } from '../../../core/jobs/throughput';
import { listJobs } from '../../../core/jobs/jobStore';
import { coreLocale } from '../../../platform/locale';
import { runProbe } from './probeBackend';

export function reviewNotes(ctx: JobsCtx): ReviewNotes {
  return async (name, script, request) => {
    if (request.command !== 'train') return [];
    const notes: string[] = [];
    const probe = ctx.probes.get(name) ?? (await runProbe(ctx, name)); // the first real job on this backend
    if (!probe) notes.push(vscode.l10n.t('Backend "{0}" was not probed: the job may find no GPU or packages on its compute node.', name));
    else if (probeProblems(probe).length) notes.push(vscode.l10n.t('The probe of backend "{0}" found problems: {1}', name, probeSummary(probe, coreLocale())));
    const time = timeLimitNote(scriptTimeLimit(script), await durationFigures(ctx, name, request), coreLocale());
    if (time) notes.push(time);
    return notes;
  };
}

/** The training set's tokens per epoch (its held-out share left out) and a throughput on this backend, if known. */
async function durationFigures(ctx: JobsCtx, name: string, request: LaunchRequest): Promise<DurationFigures> {
  const { config } = request;
  const figures: DurationFigures = { epochs: config.num_train_epochs };
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(config.train_file));
    const counted = await ctx.tokens.service.countDocument(doc);
    figures.tokens = counted.stats.totalTokens * (1 - (config.eval_file ? 0 : config.eval_share));
  } catch (err) {
    ctx.log.warn(`time-limit check: the tokens of ${config.train_file} could not be counted: ${String(err)}`);
    return figures;
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.runDir));
  if (!folder) return figures;
  const jobs = (await listJobs(folder.uri.fsPath)).flatMap((j) => ('record' in j ? [j.record] : []));
  const earlier = throughputFromEarlierJob(jobs, folder.uri.fsPath, name, config, request.devices, figures.tokens);
  if (earlier) {
    figures.tokensPerSecond = earlier.tokensPerSecond;
    figures.throughputFrom = vscode.l10n.t('the steps of job "{0}"', earlier.job);
  }
  return figures;
}
