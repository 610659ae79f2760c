// The platform every feature builds on: the extension's context, settings, the log, and the registration of
// disposables. It knows no feature; each feature's entry (src/features/<feature>/index.ts) takes it and adds its own.
import * as vscode from 'vscode';
import { Config } from './config';
import { FinetuneChanges } from './finetuneChanges';

export interface Platform {
  readonly extension: vscode.ExtensionContext;
  readonly extensionUri: vscode.Uri;
  readonly extensionPath: string;
  readonly config: Config;
  readonly log: vscode.LogOutputChannel;
  /** Changes under the workspace folders' `.finetune/`, debounced: the files of each burst (one watcher for all views). */
  readonly finetuneChanges: vscode.Event<readonly vscode.Uri[]>;
  /** Disposes `d` with the extension. */
  register<T extends vscode.Disposable>(d: T): T;
}

/** Built once in activate(); everything registered is disposed with the extension, in reverse order. */
export function createPlatform(extension: vscode.ExtensionContext): Platform {
  const owned: vscode.Disposable[] = [];
  extension.subscriptions.push({ dispose: () => { while (owned.length) owned.pop()?.dispose(); } });
  const register = <T extends vscode.Disposable>(d: T): T => {
    owned.push(d);
    return d;
  };
  return {
    extension,
    extensionUri: extension.extensionUri,
    extensionPath: extension.extensionPath,
    config: new Config(),
    log: register(vscode.window.createOutputChannel('Fine-tune Studio', { log: true })),
    finetuneChanges: register(new FinetuneChanges()).onDidChange,
    register,
  };
}
