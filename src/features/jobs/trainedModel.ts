// A finished job's model as other features use it (the trial chat): the folder it lies in on this machine, its
// checked ONNX export when there is one (what the local engine runs), else the merged export, else the training output, and the chat template hash it trained with when the
// trainer recorded one. The backend says where a run's output is; this feature never builds run-folder paths.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobsCtx } from './context';
import { listJobs, readJobRecord } from '../../core/jobs/jobStore';
import type { JobRecord } from '../../shared/job';

export interface TrainedModel {
  /** The job's folder under .finetune/jobs. */
  dir: string;
  name: string;
  /** The model folder: a checked ONNX export, else the merged export when the trainer reported one, else the run's output. */
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
  return modelOf(ctx, dir, record);
}

async function modelOf(ctx: JobsCtx, dir: string, record: JobRecord): Promise<TrainedModel | string> {
  if (record.status !== 'succeeded' || !record.run) return vscode.l10n.t('Job "{0}" has not finished training here, so it has no model to try.', record.name);
  const backend = await ctx.runner.backendFor(record.run);
  const output = record.artifacts?.['output_dir'] ?? backend.outputDir(record.run.runDir);
  const folder = (await checkedOnnxExport(output)) ?? record.artifacts?.['model'] ?? output;
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) return vscode.l10n.t('The model of job "{0}" is not on this machine: {1} is missing.', record.name, folder);
  const templateHash = record.artifacts?.['chat_template_sha256'];
  return { dir, name: record.name, folder, ...(templateHash ? { templateHash } : {}) };
}

/** Every finished job of the workspace folders whose model can be tried. */
export async function trainedModels(ctx: JobsCtx): Promise<TrainedModel[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const jobs = (await Promise.all(folders.map((f) => listJobs(f.uri.fsPath)))).flat();
  // listJobs has read each record already.
  const models = await Promise.all(jobs.flatMap((j) => ('record' in j && j.record.status === 'succeeded' ? [modelOf(ctx, j.dir, j.record)] : [])));
  return models.filter((m): m is TrainedModel => typeof m !== 'string');
}

/** The ONNX export (fp32, else fp16) in a job's output whose parity check passed (export_check.json), if any. */
async function checkedOnnxExport(output: string): Promise<string | undefined> {
  for (const name of ['onnx', 'onnx-fp16']) {
    const folder = path.join(output, name);
    const check = await fs.readFile(path.join(folder, 'export_check.json'), 'utf8').catch(() => undefined);
    let passed = false;
    try {
      passed = check !== undefined && (JSON.parse(check) as { passed?: unknown }).passed === true;
    } catch {
      passed = false; // a half-written file: not a checked export
    }
    if (passed && (await fs.stat(path.join(folder, 'onnx', 'model.onnx')).catch(() => undefined))?.isFile()) return folder;
  }
  return undefined;
}
