import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FinetuneStudioApi } from '../../../src/extension';

export const EXTENSION_ID = 'finetune-studio.finetune-studio';

export async function api(): Promise<FinetuneStudioApi> {
  const ext = vscode.extensions.getExtension<FinetuneStudioApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test run opened no workspace folder');
  return folder.uri.fsPath;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), name));
}

/** Resolves with the first event value that satisfies `ok`, or rejects after `ms`. */
export function waitFor<T>(event: vscode.Event<T>, ok: (value: T) => boolean, ms = 10_000, what = 'event'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = event((value) => {
      if (!ok(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** Our diagnostics for `uri` once they satisfy `ok` (now, or after the next changes). */
export async function diagnosticsFor(uri: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean, ms = 15_000): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Fine-tune Studio');
  if (ok(ours())) return ours();
  await waitFor(vscode.languages.onDidChangeDiagnostics, (e) => e.uris.some((u) => u.toString() === uri.toString()) && ok(ours()), ms, `diagnostics of ${uri.fsPath}`);
  return ours();
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Re-evaluates `check` after each firing of `event` (or each second) until it returns a value, or fails after `ms`. */
export async function eventually<T>(event: vscode.Event<unknown>, check: () => Promise<T | undefined>, ms = 15_000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await waitFor(event, () => true, Math.min(left, 1_000)).catch(() => undefined);
  }
}
