import * as vscode from 'vscode';
import type { Config } from './config';

/**
 * What a dataset is checked against besides its own text: a LLaMA-Factory dataset_info.json beside it
 * (its columns and tags), and the configured eval file (samples in both are reported).
 */
export async function lintContext(doc: vscode.TextDocument, config: Config): Promise<{ datasetInfo?: unknown; evalFile?: { path: string; mtime: number } }> {
  const context: { datasetInfo?: unknown; evalFile?: { path: string; mtime: number } } = {};
  if (doc.uri.scheme === 'file') {
    const info = vscode.Uri.joinPath(doc.uri, '..', 'dataset_info.json');
    const bytes = await vscode.workspace.fs.readFile(info).then((b) => b, () => undefined);
    if (bytes) {
      try {
        context.datasetInfo = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        // A broken dataset_info.json is checked as JSON by VS Code itself; the dataset is checked without it.
      }
    }
  }
  const evalFile = config.evalFile;
  const root = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (evalFile && root) {
    const uri = vscode.Uri.joinPath(root.uri, evalFile);
    if (uri.toString() !== doc.uri.toString()) {
      const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
      if (stat) context.evalFile = { path: uri.fsPath, mtime: stat.mtime };
    }
  }
  return context;
}
