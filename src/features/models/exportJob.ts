// Fine-tune: Export Model…: a finished job's model as merged weights, an ONNX folder for local use (checked against
// torch by the trainer) or an Ollama Modelfile, through the jobs feature's one-off tasks on the job's backend.
import * as vscode from 'vscode';
import { readJobRecord } from '../../core/jobs/jobStore';
import type { ExportFormat } from '../../shared/trainerConfig';
import type { ModelsCtx } from './context';

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

/** `format` skips the question (other commands and the tests): merged, onnx, onnx-fp16 or ollama. */
export async function exportJob(ctx: ModelsCtx, job?: { dir: string }, format?: string): Promise<string | undefined> {
  if (!job?.dir) return undefined;
  const record = await readJobRecord(job.dir);
  const method = (record.spec as { method?: unknown } | undefined)?.method;
  if (method === 'p_tuning' || method === 'prefix_tuning') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Job "{0}" trained a P-Tuning or Prefix-Tuning adapter: it cannot be merged, exported to ONNX or served by Ollama. Try it in the chat or serve it with the trainer instead.', record.name));
    return undefined;
  }
  const given = formatItems().find((i) => (i.dtype === 'fp16' ? `${i.format}-fp16` : i.format) === format);
  const choice = given ?? await vscode.window.showQuickPick(formatItems(), { title: vscode.l10n.t('Export "{0}" as', record.name) });
  if (!choice) return undefined;
  const result = await ctx.jobs.runTask(job.dir, 'export', { exportFormat: choice.format, ...(choice.dtype ? { exportDtype: choice.dtype } : {}) });
  const model = result?.artifacts.model;
  if (!result || !model) return undefined;
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
  return model;
}
