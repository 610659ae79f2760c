// Restricted Mode: nothing in an untrusted workspace's `.finetune/` is acted on. The extension still shows what the
// records say, but launches no process, signals none, and writes nothing there until the user trusts the folder.
import * as vscode from 'vscode';
import type { UnsafePath } from '../core/safeFiles';

/** True in a trusted workspace; otherwise tells the user why `action` (a short phrase) is not done, and false. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('Trust this workspace to {0}: in Restricted Mode Fine-tune Studio launches nothing and writes nothing in .finetune.', action), manage)
    .then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** A refused path (src/core/safeFiles.ts), said in the user's language. */
export function unsafePathText(err: UnsafePath): string {
  switch (err.kind) {
    case 'link':
      return vscode.l10n.t('{0} is a symbolic link: Fine-tune Studio never writes through links in .finetune.', err.path);
    case 'outside':
      return vscode.l10n.t('{0} lies outside the job\'s own folder.', err.path);
    case 'not-file':
      return vscode.l10n.t('{0} is not a plain file.', err.path);
  }
}
