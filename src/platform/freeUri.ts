import * as vscode from 'vscode';

/** The first of `candidate(1)`, `candidate(2)`, … that does not exist yet (never overwrite a user's file). */
export async function freeUri(candidate: (n: number) => vscode.Uri): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const uri = candidate(n);
    if (!(await vscode.workspace.fs.stat(uri).then(() => true, () => false))) return uri;
  }
}
