// Before a Slurm job is submitted, its generated sbatch script opens in an editor beside the current one, where the
// user may change it (partition, time, extra #SBATCH lines); Submit sends what the editor then holds, Cancel (or
// dismissing the prompt) submits nothing. Warnings about the job (a --time shorter than its estimated duration, what
// the probe found missing) lead the prompt.
import * as vscode from 'vscode';

export async function reviewSbatchScript(script: string, scriptFile: string, notes: string[] = []): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: script });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const submit = vscode.l10n.t('Submit');
  const cancel = vscode.l10n.t('Cancel');
  // Not modal: the user edits the script while the prompt waits.
  const review = vscode.l10n.t('Review the sbatch script in the editor beside, change it if you need to, then submit it to Slurm (it is kept as {0}).', scriptFile);
  // Warnings (a --time shorter than the estimate, what the probe found missing) come first, with their figures.
  const show = notes.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const answer = await show([...notes, review].join(' '), submit, cancel);
  return answer === submit ? doc.getText() : undefined;
}
