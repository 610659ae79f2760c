// `Fine-tune: Start Job` (the form) and `Fine-tune: Start Job from Spec File` (config as code).
import * as vscode from 'vscode';
import type { JobsCtx } from '../context';
import { isSpecFile, readSpecFile, startJobFromSpec } from '../specFiles';
import { specPath } from './data';
import { StartJobPanel } from './panel';
import type { JobSpecInput } from '../../../shared/jobSpec';
import type { CommandTable } from '../../../platform/commands';

export const startJobCommands = {
  'finetune.startJob': startJob,
  'finetune.startJobFromSpec': startJobFromSpec,
} satisfies CommandTable<JobsCtx>;

/**
 * Opens the Start Job form: empty, with a dataset (`uri` a .jsonl, from the explorer) or filled from a spec file
 * (`uri` a *.ftjob.json: the CodeLens "Edit in form").
 */
async function startJob(ctx: JobsCtx, uri?: vscode.Uri): Promise<StartJobPanel | undefined> {
  if (!(uri instanceof vscode.Uri)) return StartJobPanel.show(ctx);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (isSpecFile(uri)) {
    const result = await readSpecFile(ctx, uri);
    if (!result.ok) return undefined;
    // The file's own fields (not the defaults zod filled in), so saving again writes what was there.
    const doc = await vscode.workspace.openTextDocument(uri);
    return StartJobPanel.show(ctx, folder, JSON.parse(doc.getText().replace(/^\uFEFF/, '')) as JobSpecInput);
  }
  return StartJobPanel.show(ctx, folder, folder ? { dataset: { train: specPath(folder, uri) } } : undefined);
}
