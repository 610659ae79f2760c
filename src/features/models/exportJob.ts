// Fine-tune: Export Merged Model: the job's LoRA merged into its base, through the jobs feature's one-off tasks.
import * as vscode from 'vscode';
import type { ModelsCtx } from './context';

/** Fine-tune: Export Merged Model — merges the job's LoRA into its base and saves it with the tokenizer. */
export async function exportJob(ctx: ModelsCtx, job?: { dir: string }): Promise<string | undefined> {
  if (!job?.dir) return undefined;
  const result = await ctx.jobs.runTask(job.dir, 'export');
  const model = result?.artifacts.model;
  if (!model) return undefined;
  const reveal = vscode.l10n.t('Reveal in Explorer');
  void vscode.window.showInformationMessage(vscode.l10n.t('Merged model saved to {0}.', model), reveal).then((c) => {
    if (c === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(model));
  });
  return model;
}
