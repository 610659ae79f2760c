import * as vscode from 'vscode';
import { NotRegularFileError, readRegularFile } from '../../core/regularFile';
import { coreLocale } from '../../platform/locale';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';

export interface LintContext {
  datasetInfo?: unknown;
  evalFile?: { path: string; mtime: number };
}

/**
 * What a dataset is checked against besides its own text: a LLaMA-Factory dataset_info.json beside it
 * (its columns and tags; read once per folder until a watcher sees it change), and the configured eval
 * file (its modification time is part of the options, so an edited eval file re-checks the datasets).
 */
export class LintContexts extends Disposable {
  private readonly datasetInfos = new Map<string, Promise<unknown>>();

  constructor(private readonly config: Config) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/dataset_info.json'));
    const forget = (uri: vscode.Uri) => this.datasetInfos.delete(vscode.Uri.joinPath(uri, '..').toString());
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this.register(event(forget));
  }

  async for(doc: vscode.TextDocument): Promise<LintContext> {
    const context: LintContext = {};
    if (doc.uri.scheme === 'file') {
      const datasetInfo = await this.datasetInfo(vscode.Uri.joinPath(doc.uri, '..'));
      if (datasetInfo !== undefined) context.datasetInfo = datasetInfo;
    }
    const evalFile = this.config.evalFile;
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

  private datasetInfo(folder: vscode.Uri): Promise<unknown> {
    const key = folder.toString();
    let info = this.datasetInfos.get(key);
    if (!info) {
      // Read directly, as a regular file only: a FIFO of that name would block the read forever.
      const file = vscode.Uri.joinPath(folder, 'dataset_info.json').fsPath;
      info = readRegularFile(file).then(
        (text) => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined; // a broken dataset_info.json is VS Code's JSON checker's to report; check without it
          }
        },
        (err: unknown) => {
          if (err instanceof NotRegularFileError) {
            void vscode.window.showWarningMessage(vscode.l10n.t('Ignoring {0}: {1}', vscode.workspace.asRelativePath(file), err.localized(coreLocale())));
          }
          return undefined;
        },
      );
      this.datasetInfos.set(key, info);
    }
    return info;
  }
}
