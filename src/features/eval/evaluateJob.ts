// Fine-tune: Evaluate on a Test Set… for a job: its model (and its base model, when asked) answers the test set
// through the jobs feature's one-off trainer tasks, and the answers are scored into an eval run kept with the job.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { readJobRecord, writeJob } from '../../core/jobs/jobStore';
import { resolveModel } from '../../core/jobs/trainConfig';
import type { JobRecord } from '../../shared/job';
import { askTestSet, importPredictions } from './importPredictions';

/**
 * Fine-tune: Evaluate on a Test Set… — answers a test set with the job's model (and, when asked, with its base model
 * too), scores the answers and opens the eval run, which job.json then lists.
 */
export async function evaluateJob(
  ctx: EvalCtx,
  job?: { dir: string },
  options?: { testSet?: string; checkpoint?: string; withBase?: boolean },
): Promise<{ dir: string } | undefined> {
  if (!job?.dir) return undefined;
  const record: JobRecord = await readJobRecord(job.dir);
  let testSet = options?.testSet;
  if (!testSet) {
    const picked = await askTestSet(ctx, vscode.l10n.t('Test set for "{0}"', record.name), false);
    if (!picked) return undefined;
    testSet = picked;
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(job.dir));
  const baseFolder = folder ? resolveModel(record.baseModel, folder.uri.fsPath) : undefined;
  const baseIsLocal = !!baseFolder && path.isAbsolute(baseFolder);
  // Asked only when run by a person (no options); a caller that passes options says withBase or means no.
  let withBase = options?.withBase;
  if (withBase === undefined && baseIsLocal && !options) {
    const both = vscode.l10n.t('The fine-tuned model and its base');
    const answer = await vscode.window.showQuickPick([vscode.l10n.t('The fine-tuned model only'), both], { title: vscode.l10n.t('Which models answer the test set?') });
    if (!answer) return undefined;
    withBase = answer === both;
  }
  const files: { path: string; name: string; kind: 'finetuned' | 'base'; base?: boolean }[] = [];
  if (withBase && baseIsLocal) {
    const answered = await ctx.jobs.runTask(job.dir, 'predict', { testSet, load: baseFolder, label: record.baseModel });
    if (!answered?.artifacts.predictions) return undefined;
    files.push({ path: answered.artifacts.predictions, name: path.basename(baseFolder), kind: 'base', base: true });
  }
  const result = await ctx.jobs.runTask(job.dir, 'predict', { testSet, ...(options?.checkpoint ? { load: options.checkpoint } : {}) });
  const predictions = result?.artifacts.predictions;
  if (!predictions) return undefined;
  files.push({ path: predictions, name: record.name, kind: 'finetuned' });
  const run = await importPredictions(ctx, { files, testSet, ...(folder ? { workspace: folder.uri.fsPath } : {}) });
  if (run) await keepRunWithJob(ctx, job.dir, run.dir);
  return run;
}

/** An eval run of a job's model is kept with the job: job.json lists it (the Jobs view shows it). */
export async function keepRunWithJob(ctx: EvalCtx, jobDir: string, runDir: string): Promise<void> {
  const latest = await readJobRecord(jobDir);
  await writeJob(jobDir, { ...latest, evals: [...(latest.evals ?? []), runDir] });
  ctx.jobs.tree.refresh();
}

