// One-off trainer commands on a finished job: `predict` (answers for a test set, then scored as an eval run) and
// `export` (merged weights, a checked ONNX folder or an Ollama Modelfile). Each runs in its own folder of the job (`predict-<time>/`, `export-<time>/`)
// with the job's own config, reading the trained model from the job's output (or a chosen checkpoint).
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { JobsCtx } from './context';
import type { Backend, RunConfig, TrainerCommand } from '../../backends/backend';
import { RunReader } from '../../backends/runReader';
import { artifactsHere } from '../../backends/taskArtifacts';
import { runFolderGoneText } from './runner';
import { readJobRecord } from '../../core/jobs/jobStore';
import { toTrainConfig } from '../../core/jobs/trainConfig';
import { JobSpec } from '../../shared/jobSpec';
import type { RunHandle } from '../../shared/job';
import type { ExportFormat } from '../../shared/trainerConfig';

export interface TaskResult {
  artifacts: Record<string, string>;
  /** The done event's figures (an ONNX export's check: max_abs_logits_diff, tolerance, tokens_equal, prompts, steps). */
  metrics: Record<string, number>;
}

export interface TaskOptions {
  testSet?: string;
  /**
   * The folder the model is loaded from: a checkpoint, the job's output (the default), or the base model's own
   * folder (predict then answers with the untrained base). The trainer reads it as resume_from_checkpoint.
   */
  load?: string;
  /** Where the task writes (default: the job's output for export, the task's own folder for predict). */
  outputDir?: string;
  /** What export writes (default merged); fp16 weights for an onnx export. */
  exportFormat?: ExportFormat;
  exportDtype?: 'fp32' | 'fp16';
  /** Shown in the progress title. */
  label?: string;
}

/** Runs `command` for the job with progress and cancel; undefined when it failed or was cancelled (the user was told). */
export async function runJobTask(
  ctx: JobsCtx,
  dir: string,
  command: Exclude<TrainerCommand, 'train'>,
  options: TaskOptions = {},
): Promise<TaskResult | undefined> {
  if (!ctx.runner.mayLaunch()) return undefined;
  const record = await readJobRecord(dir);
  const spec = JobSpec.safeParse(record.spec);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
  if (!spec.success || !folder || !record.run) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" was not trained here, so it has no model to use.', record.name));
    return undefined;
  }
  // Export writes into the run folder the record names: it must be the job's own.
  const problem = await ctx.runner.unsafeJobFolder(dir, record.run);
  if (problem) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" cannot be used: {1}', record.name, problem));
    return undefined;
  }
  const prepared = await ctx.runner.prepareBackend(folder, spec.data, async () => undefined);
  if (!prepared) return undefined;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const taskDir = path.join(dir, `${command}-${stamp}`);
  // The trained model is in the job's run output; predict writes into its own run folder, export into the job's.
  const trained = prepared.backend.outputDir(record.run.runDir);
  const config: RunConfig = {
    ...toTrainConfig(spec.data, { workspaceRoot: folder.uri.fsPath }),
    resume_from_checkpoint: options.load ?? (command === 'predict' ? trained : null),
    ...(options.outputDir ? { output_dir: options.outputDir } : command === 'export' ? { output_dir: trained } : {}),
    ...(options.testSet ? { eval_file: options.testSet, eval_share: 0 } : {}),
    ...(options.exportFormat ? { export_format: options.exportFormat } : {}),
    ...(options.exportDtype ? { export_dtype: options.exportDtype } : {}),
  };
  const label = options.label ?? record.name;
  const title = command === 'predict' ? vscode.l10n.t('Generating answers with "{0}"', label) : vscode.l10n.t('Exporting "{0}"', label);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const handle = await prepared.backend.start({ command, runDir: taskDir, config, devices: prepared.devices });
    ctx.log.info(`job ${record.id}: ${command} started: ${handle.command.join(' ')}`);
    const cancel = token.onCancellationRequested(() => void prepared.backend.cancel(handle));
    try {
      let reported = 0;
      const outcome = await follow(prepared.backend, handle, (done, total) => {
        const percent = total ? (100 * done) / total : 0;
        progress.report({ message: `${done}/${total}`, increment: percent - reported });
        reported = percent;
      });
      if (outcome.done) {
        // A remote run's predictions come back into the task's folder here, for scoring.
        const artifacts = await artifactsHere(prepared.backend, handle, outcome.done, taskDir);
        if (artifacts) return { artifacts, metrics: outcome.metrics ?? {} };
        void vscode.window.showErrorMessage(vscode.l10n.t('The answers of "{0}" could not be fetched from its backend: {1} is not there.', label, outcome.done['predictions'] ?? ''));
        return undefined;
      }
      if (token.isCancellationRequested) return undefined;
      const reason = outcome.error ?? vscode.l10n.t('The trainer exited with code {0}.', String(outcome.code ?? '?'));
      const log = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(`${reason}${outcome.fix ? ` ${outcome.fix}` : ''}`, log).then((c) => {
        if (c === log) {
          void prepared.backend.fetchArtifact(handle, 'log').then((file) => {
            if (file) void vscode.window.showTextDocument(vscode.Uri.file(file));
          });
        }
      });
      return undefined;
    } finally {
      cancel.dispose();
    }
  });
}

interface Outcome {
  done?: Record<string, string>;
  metrics?: Record<string, number>;
  error?: string;
  fix?: string;
  code?: number | null;
}

/** Reads the task's events until its process ends (the same reader as a job's), reporting predict progress. */
async function follow(backend: Backend, handle: RunHandle, onProgress: (done: number, total: number) => void): Promise<Outcome> {
  const reader = new RunReader(backend, handle);
  const outcome: Outcome = {};
  for (;;) {
    const poll = await reader.poll();
    if (poll.kind === 'gone') {
      await backend.cancel(handle).catch(() => undefined);
      return { ...outcome, error: runFolderGoneText(handle.runDir) };
    }
    if (poll.kind === 'idle') {
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    for (const event of poll.events) {
      if (event.type === 'predict') onProgress(event.done, event.total);
      if (event.type === 'done' && event.status === 'succeeded') Object.assign(outcome, { done: event.artifacts, metrics: event.metrics });
      if (event.type === 'error') Object.assign(outcome, { error: event.message, ...(event.fix ? { fix: event.fix } : {}) });
    }
    if (poll.kind === 'ended') {
      if (poll.state.state === 'exited') outcome.code = poll.state.code;
      return outcome;
    }
  }
}
