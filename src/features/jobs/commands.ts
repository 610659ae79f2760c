// The Jobs view's actions: cancel, continue from a checkpoint, duplicate, delete, show the log, open the loss
// curve, and import a run trained elsewhere.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { JobsCtx } from './context';
import { JOB_FILES, JOBS_DIR, newJobId, readJobRecord, writeJob } from '../../core/jobs/jobStore';
import { jobLogFile, type JobNode } from './jobsTree';
import { FINISHED, type JobRecord } from '../../shared/job';
import { JobSpec } from '../../shared/jobSpec';
import { requireTrust } from '../../platform/workspaceTrust';
import { StartJobPanel } from './startJob/panel';
import { showStartedJob } from './notifications';
import type { CommandTable } from '../../platform/commands';

/** A job as commands receive it: a Jobs view node, or `{ dir }` from tests and other commands. */
export interface JobRef {
  dir: string;
  record?: JobRecord;
}

export const jobCommands = {
  'finetune.cancelJob': cancelJob,
  'finetune.continueJob': continueJob,
  'finetune.duplicateJob': duplicateJob,
  'finetune.deleteJob': deleteJob,
  'finetune.showJobLog': showJobLog,
  'finetune.openJobLossCurve': async (ctx: JobsCtx, job?: JobRef) => {
    const ref = await fresh(job);
    return ref && ctx.curves.open(vscode.Uri.file(jobLogFile(ref)), ref.record.name);
  },
  'finetune.importTrainingRun': importTrainingRun,
  'finetune.refreshJobs': (ctx: JobsCtx) => ctx.tree.refresh(),
  'finetune.openJobEvents': openJobEvents,
  'finetune.revealJobFolder': (_ctx: JobsCtx, job?: JobNode) =>
    job && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(job.dir)),
} satisfies CommandTable<JobsCtx>;

async function fresh(job?: JobRef): Promise<{ dir: string; record: JobRecord } | undefined> {
  if (!job?.dir) return undefined;
  try {
    return { dir: job.dir, record: await readJobRecord(job.dir) };
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return undefined;
  }
}

async function cancelJob(ctx: JobsCtx, job?: JobRef): Promise<boolean> {
  const ref = await fresh(job);
  if (!ref) return false;
  if (FINISHED.includes(ref.record.status)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}" is not running.', ref.record.name));
    return false;
  }
  return ctx.runner.cancel(ref.dir);
}

/** The job's spec, parsed; tells the user when the job has none (imported runs) or it no longer parses. */
function specOf(record: JobRecord): JobSpec | undefined {
  if (!record.spec) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" has no job spec (it was imported), so it cannot be run again.', record.name));
    return undefined;
  }
  const parsed = JobSpec.safeParse(record.spec);
  if (!parsed.success) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The spec of job "{0}" is not valid: {1}', record.name, parsed.error.issues[0]?.message ?? ''));
    return undefined;
  }
  return parsed.data;
}

/** Checkpoints recorded in the job, plus those its backend finds in the run's output, that still exist; newest first. */
async function checkpointsOf(ctx: JobsCtx, ref: { dir: string; record: JobRecord }): Promise<{ step: number; path: string }[]> {
  const { run } = ref.record;
  const listed = run ? await (await ctx.runner.backendFor(run)).checkpoints(run) : [];
  // A remote run's checkpoints are paths on its backend, which lists what is there; this machine cannot stat them.
  if (run && run.backend !== 'local') return listed;
  const found = new Map((ref.record.checkpoints ?? []).map((c) => [c.path, c]));
  for (const c of listed) found.set(c.path, c);
  const existing = [];
  for (const c of found.values()) if (await fs.stat(c.path).then(() => true, () => false)) existing.push(c);
  return existing.sort((a, b) => b.step - a.step);
}

/** Continues training from one of the job's checkpoints, as a new job (the seed's "incremental training"). */
async function continueJob(ctx: JobsCtx, job?: JobRef, choice?: { checkpoint?: string; epochs?: number }): Promise<JobRecord | undefined> {
  const ref = await fresh(job);
  if (!ref) return undefined;
  const spec = specOf(ref.record);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(ref.dir));
  if (!spec || !folder) return undefined;
  const checkpoints = await checkpointsOf(ctx, ref);
  if (checkpoints.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" has no checkpoint to continue from.', ref.record.name));
    return undefined;
  }
  let checkpoint = choice?.checkpoint;
  if (!checkpoint) {
    const picked = await vscode.window.showQuickPick(
      checkpoints.map((c) => ({ label: vscode.l10n.t('Step {0}', c.step), description: c.path, path: c.path })),
      { title: vscode.l10n.t('Continue "{0}" from which checkpoint?', ref.record.name) },
    );
    checkpoint = picked?.path;
  }
  if (!checkpoint) return undefined;
  let epochs = choice?.epochs;
  if (epochs === undefined) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Train up to how many epochs in all?'),
      prompt: vscode.l10n.t('The step count goes on from the checkpoint; more epochs than before train further.'),
      value: String(spec.hyperparameters.epochs),
      validateInput: (v) => (Number(v) > 0 ? undefined : vscode.l10n.t('A number above 0')),
    });
    if (typed === undefined) return undefined;
    epochs = Number(typed);
  }
  const next: JobSpec = {
    ...spec,
    name: vscode.l10n.t('{0} (continued)', spec.name).slice(0, 100),
    hyperparameters: { ...spec.hyperparameters, epochs },
  };
  const record = await ctx.runner.start(folder, next, { resumeFrom: checkpoint });
  if (record) void showStartedJob(folder, record);
  return record;
}

/** Duplicates a job with changes: the Start Job form, filled in from the job's spec under a new name. */
async function duplicateJob(ctx: JobsCtx, job?: JobRef): Promise<StartJobPanel | undefined> {
  const ref = await fresh(job);
  if (!ref) return undefined;
  const spec = specOf(ref.record);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(ref.dir));
  if (!spec || !folder) return undefined;
  return StartJobPanel.show(ctx, folder, { ...spec, name: vscode.l10n.t('{0} (copy)', spec.name).slice(0, 100) });
}

async function deleteJob(ctx: JobsCtx, job?: JobRef, options?: { confirmed?: boolean }): Promise<boolean> {
  if (!requireTrust(vscode.l10n.t('delete jobs'))) return false;
  const ref = await fresh(job);
  if (!ref) return false;
  if (!options?.confirmed) {
    const remove = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete job "{0}"?', ref.record.name),
      { modal: true, detail: vscode.l10n.t('Its folder {0} goes, with its events, log and checkpoints. A running job is cancelled first.', ref.dir) },
      remove,
    );
    if (answer !== remove) return false;
  }
  if (!FINISHED.includes(ref.record.status)) await ctx.runner.cancel(ref.dir);
  await fs.rm(ref.dir, { recursive: true, force: true });
  ctx.tree.refresh();
  return true;
}

async function showJobLog(ctx: JobsCtx, job?: JobRef): Promise<void> {
  const ref = await fresh(job);
  if (!ref) return;
  const { run } = ref.record;
  const log = run ? await (await ctx.runner.backendFor(run)).fetchArtifact(run, 'log') : undefined;
  if (log) {
    await vscode.window.showTextDocument(vscode.Uri.file(log), { preview: false });
    return;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Job "{0}" has no trainer log.', ref.record.name) + (ref.record.error ? ` ${ref.record.error}` : ''));
}

/** Adds a run trained elsewhere (HF Trainer, LLaMA-Factory, or our events) to the Jobs view, with its curves. */
async function importTrainingRun(ctx: JobsCtx, uri?: vscode.Uri): Promise<JobRecord | undefined> {
  if (!requireTrust(vscode.l10n.t('import training runs'))) return undefined;
  if (!(uri instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Import Run'),
      filters: { [vscode.l10n.t('Training logs')]: ['json', 'jsonl'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder first: imported runs are kept in its .finetune/jobs.'));
    return undefined;
  }
  const runFolder = path.dirname(uri.fsPath);
  let run;
  try {
    run = await ctx.curves.lossRun(uri.fsPath, path.basename(runFolder));
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: {1}', uri.fsPath, (err as Error).message));
    return undefined;
  }
  const last = run.train[run.train.length - 1];
  const totalSteps = run.totalSteps ?? last?.step;
  const complete = !!last && !!totalSteps && last.step >= totalSteps;
  const root = folder.uri.fsPath;
  const id = await newJobId(root, path.basename(runFolder));
  const record: JobRecord = {
    id,
    name: path.basename(runFolder),
    baseModel: (await baseModelNear(runFolder)) ?? vscode.l10n.t('unknown base model'),
    status: complete ? 'succeeded' : 'cancelled',
    createdAt: new Date().toISOString(),
    importedFrom: uri.fsPath,
    ...(last && totalSteps ? { progress: { step: last.step, totalSteps } } : {}),
    ...(last?.loss != null ? { latestLoss: last.loss } : {}),
    ...(run.checkpoints.length ? { checkpoints: run.checkpoints.filter((c) => c.path).map((c) => ({ step: c.step, path: c.path! })) } : {}),
  };
  await writeJob(path.join(root, JOBS_DIR, id), record);
  ctx.tree.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Imported "{0}": {1}', record.name, run.reason));
  return record;
}

/** The base model a run folder names (a PEFT adapter_config.json, or LLaMA-Factory's training_args.yaml). */
async function baseModelNear(folder: string): Promise<string | undefined> {
  for (const dir of [folder, path.dirname(folder)]) {
    try {
      const adapter = JSON.parse(await fs.readFile(path.join(dir, 'adapter_config.json'), 'utf8')) as { base_model_name_or_path?: unknown };
      if (typeof adapter.base_model_name_or_path === 'string' && adapter.base_model_name_or_path) return adapter.base_model_name_or_path;
    } catch {
      // none here
    }
    try {
      const yaml = await fs.readFile(path.join(dir, 'training_args.yaml'), 'utf8');
      const m = /^model_name_or_path:\s*(\S.*)$/m.exec(yaml);
      if (m?.[1]) return m[1].trim().replace(/^['"]|['"]$/g, '');
    } catch {
      // none here
    }
  }
  return undefined;
}

/** The job's copy of its events (what the loss curve reads), else its record. */
async function openJobEvents(_ctx: JobsCtx, job?: JobNode): Promise<void> {
  if (!job) return;
  const events = vscode.Uri.file(path.join(job.dir, JOB_FILES.events));
  const target = await vscode.workspace.fs.stat(events).then(() => events, () => vscode.Uri.file(path.join(job.dir, JOB_FILES.record)));
  await vscode.window.showTextDocument(target);
}
