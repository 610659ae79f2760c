// Fine-tune: Export Model…: a finished job's model as merged weights, an ONNX folder for local use (checked against
// torch by the trainer) or an Ollama Modelfile, through the jobs feature's one-off tasks on the job's backend.
import * as vscode from 'vscode';
import { readJobRecord } from '../../core/jobs/jobStore';
import { exportRecordOf } from '../../core/models/exportRecord';
import { backendOf, checkpointLabel, datasetOf } from '../../core/models/lineage';
import { newModelId, readModelRecord, writeModelRecord } from '../../core/models/registry';
import type { JobRecord } from '../../shared/job';
import type { ExportFormatName } from '../../shared/modelRegistry';
import type { ExportFormat } from '../../shared/trainerConfig';
import type { JobsApi } from '../jobs';
import type { ModelsCtx } from './context';

type TaskResult = NonNullable<Awaited<ReturnType<JobsApi['runTask']>>>;

interface FormatItem extends vscode.QuickPickItem {
  format: ExportFormat;
  dtype?: 'fp32' | 'fp16';
}

function formatItems(): FormatItem[] {
  return [
    { format: 'merged', label: vscode.l10n.t('Merged weights'), detail: vscode.l10n.t('LoRA merged into the base model: safetensors with the tokenizer and chat template.') },
    { format: 'onnx', dtype: 'fp32', label: vscode.l10n.t('ONNX for local use (checked)'), detail: vscode.l10n.t('For the trial chat and the local server; compared with the trained model before it is kept.') },
    { format: 'onnx', dtype: 'fp16', label: vscode.l10n.t('ONNX for local use, fp16 (checked)'), detail: vscode.l10n.t('Half the size; checked with a looser tolerance.') },
    { format: 'ollama', label: vscode.l10n.t('Ollama Modelfile'), detail: vscode.l10n.t('A Modelfile for `ollama create` that points at the weights (no copy).') },
  ];
}

/** A sentence with an ONNX export's check figures, or undefined when the trainer sent none. */
export function checkFigures(metrics: Record<string, number>): string | undefined {
  const { max_abs_logits_diff: diff, tolerance, tokens_equal: equal, prompts, steps } = metrics;
  if (diff === undefined || tolerance === undefined || equal === undefined || prompts === undefined || steps === undefined) return undefined;
  return vscode.l10n.t('Check passed: max |logits difference| {0} (tolerance {1}); greedy tokens equal on {2}/{3} prompts for {4} steps.',
    diff.toPrecision(3), String(tolerance), String(equal), String(prompts), String(steps));
}

/**
 * `job` is a Jobs or Models view node (`dir`), or a Models view checkpoint (`kind: 'checkpoint'`, its step and path:
 * that checkpoint is exported, into its own folder). `format` skips the question (other commands and the tests):
 * merged, onnx, onnx-fp16 or ollama. A finished export is recorded in the Models view's registry.
 */
export async function exportJob(ctx: ModelsCtx, job?: { dir: string; kind?: string; step?: number; path?: string }, format?: string): Promise<string | undefined> {
  if (!job?.dir) return undefined;
  const checkpoint = job.kind === 'checkpoint' && typeof job.path === 'string' && typeof job.step === 'number' ? { step: job.step, path: job.path } : undefined;
  const record = await readJobRecord(job.dir);
  const method = (record.spec as { method?: unknown } | undefined)?.method;
  if (method === 'p_tuning' || method === 'prefix_tuning') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" trained a P-Tuning or Prefix-Tuning adapter: it cannot be merged, exported to ONNX or served by Ollama. Try it in the chat or serve it with the trainer instead.', record.name));
    return undefined;
  }
  // The export is written into the checkpoint's folder: it must be one the job's backend finds in its run, not
  // whatever path job.json names.
  if (checkpoint && !(await isRunCheckpoint(ctx, record, checkpoint.path))) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} of job "{1}" is not in its run folder: {2}', checkpointLabel(checkpoint.step), record.name, checkpoint.path));
    return undefined;
  }
  const given = formatItems().find((i) => (i.dtype === 'fp16' ? `${i.format}-fp16` : i.format) === format);
  const choice = given ?? await vscode.window.showQuickPick(formatItems(), { title: vscode.l10n.t('Export "{0}" as', record.name) });
  if (!choice) return undefined;
  const result = await ctx.jobs.runTask(job.dir, 'export', {
    exportFormat: choice.format, ...(choice.dtype ? { exportDtype: choice.dtype } : {}),
    ...(checkpoint ? { load: checkpoint.path, outputDir: checkpoint.path, label: `${record.name} ${checkpointLabel(checkpoint.step)}` } : {}),
  });
  const model = result?.artifacts.model;
  if (!result || !model) return undefined;
  const formatName: ExportFormatName = choice.dtype === 'fp16' ? 'onnx-fp16' : choice.format;
  const recorded = await recordExport(ctx, job.dir, record, formatName, model, result, checkpoint?.step);
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const text = choice.format === 'onnx'
    ? `${vscode.l10n.t('ONNX model saved to {0}.', model)} ${checkFigures(result.metrics) ?? ''}`.trim()
    : choice.format === 'ollama'
      ? `${vscode.l10n.t('Ollama Modelfile written to {0}. Import it with: {1}', model, result.artifacts.command ?? 'ollama create')}${
        result.artifacts.template === 'unknown' ? ` ${vscode.l10n.t('The model family is not known, so the Modelfile has no chat template: check the answers after importing.')}` : ''}`
      : vscode.l10n.t('Merged model saved to {0}.', model);
  void vscode.window.showInformationMessage(text, reveal).then((c) => {
    if (c === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(model));
  });
  if (recorded && choice.format !== 'ollama') await gateExport(ctx, job.dir, recorded, model, choice.format);
  return model;
}

/** The parity gate on a fresh export: its verdict is kept on the export's record (the Models view flags a drop). */
async function gateExport(ctx: ModelsCtx, dir: string, recorded: { root: string; id: string }, model: string, format: 'merged' | 'onnx'): Promise<void> {
  const check = await ctx.eval.checkExportParity({ dir }, model, { format });
  if (!check?.checked) return;
  try {
    const current = await readModelRecord(recorded.root, recorded.id);
    if (current.kind === 'export') await writeModelRecord(recorded.root, { ...current, parity: check.parity });
  } catch (err) {
    ctx.log.error(`recording the parity of ${recorded.id}: ${err}`);
  }
}

/** Writes the export's registry record (the Models view's Exports); a failure is logged and said, the export stays. */
async function recordExport(ctx: ModelsCtx, dir: string, record: JobRecord, format: ExportFormatName, model: string, result: TaskResult, checkpointStep?: number): Promise<{ root: string; id: string } | undefined> {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath;
  if (!root || !record.run) return undefined;
  // The record read before the export may be older than the one the task left: the dataset hash is the job's own.
  const latest = await readJobRecord(dir).catch(() => record);
  const name = `${record.name}${checkpointStep !== undefined ? ` ${checkpointLabel(checkpointStep)}` : ''} (${format})`;
  try {
    const dataset = datasetOf(latest);
    const id = await newModelId(root, name);
    await writeModelRecord(root, exportRecordOf({
      id, name, createdAt: new Date().toISOString(), format,
      location: { backend: backendOf(record), path: model },
      jobId: record.id, ...(checkpointStep !== undefined ? { checkpointStep } : {}),
      ...(dataset?.sha256 ? { datasetSha256: dataset.sha256 } : {}),
      metrics: result.metrics, artifacts: result.artifacts,
    }));
    return { root, id };
  } catch (err) {
    ctx.log.error(`recording the export of ${record.id}: ${err}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('The export is done, but it could not be recorded in the Models view: {0}', err instanceof Error ? err.message : String(err)));
    return undefined;
  }
}

async function isRunCheckpoint(ctx: ModelsCtx, record: JobRecord, folder: string): Promise<boolean> {
  if (!record.run) return false;
  try {
    return (await (await ctx.jobs.runner.backendFor(record.run)).checkpoints(record.run)).some((c) => c.path === folder);
  } catch (err) {
    ctx.log.warn(`listing the checkpoints of ${record.id}: ${err}`);
    return false;
  }
}
