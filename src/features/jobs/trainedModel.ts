// A finished job's model as other features use it (the trial chat): the folder it lies in on this machine, the
// merged export when there is one, else the training output, and the chat template hash it trained with when the
// trainer recorded one. The backend says where a run's output is; this feature never builds run-folder paths.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { JobsCtx } from './context';
import { listJobs, readJobRecord } from '../../core/jobs/jobStore';

export interface TrainedModel {
  /** The job's folder under .finetune/jobs. */
  dir: string;
  name: string;
  /** The model folder: the merged export when the trainer reported one, else the run's output. */
  folder: string;
  /** sha256 of the chat template the job trained with (the trainer's `chat_template_sha256` artifact), if recorded. */
  templateHash?: string;
}

/** The model of the job in `dir`, or a sentence saying why it has none to use. */
export async function trainedModel(ctx: JobsCtx, dir: string): Promise<TrainedModel | string> {
  let record;
  try {
    record = await readJobRecord(dir);
  } catch (err) {
    return vscode.l10n.t('Cannot read the job in {0}: {1}', vscode.workspace.asRelativePath(dir), err instanceof Error ? err.message : String(err));
  }
  if (record.status !== 'succeeded' || !record.run) return vscode.l10n.t('Job "{0}" has not finished training here, so it has no model to try.', record.name);
  const backend = await ctx.runner.backendFor(record.run);
  const folder = record.artifacts?.['model'] ?? record.artifacts?.['output_dir'] ?? backend.outputDir(record.run.runDir);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) return vscode.l10n.t('The model of job "{0}" is not on this machine: {1} is missing.', record.name, folder);
  const templateHash = record.artifacts?.['chat_template_sha256'];
  return { dir, name: record.name, folder, ...(templateHash ? { templateHash } : {}) };
}

/** Every finished job of the workspace folders whose model can be tried. */
export async function trainedModels(ctx: JobsCtx): Promise<TrainedModel[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const jobs = (await Promise.all(folders.map((f) => listJobs(f.uri.fsPath)))).flat();
  const models = await Promise.all(jobs.filter((j) => 'record' in j && j.record.status === 'succeeded').map((j) => trainedModel(ctx, j.dir)));
  return models.filter((m): m is TrainedModel => typeof m !== 'string');
}
