// Before a Slurm job is submitted, its generated sbatch script opens in an editor beside the current one, where the
// user may change it (partition, time, extra #SBATCH lines); Submit sends what the editor then holds, Cancel (or
// dismissing the prompt) submits nothing.
import * as vscode from 'vscode';

export async function reviewSbatchScript(script: string, scriptFile: string): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: script });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const submit = vscode.l10n.t('Submit');
  const cancel = vscode.l10n.t('Cancel');
  // Not modal: the user edits the script while the prompt waits.
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Review the sbatch script in the editor beside, change it if you need to, then submit it to Slurm (it is kept as {0}).', scriptFile),
    submit,
    cancel,
  );
  return answer === submit ? doc.getText() : undefined;
}
