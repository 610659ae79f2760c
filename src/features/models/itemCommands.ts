// The Models view's actions on its items: open a lineage link, Show Lineage, reveal, try, evaluate a checkpoint,
// and remove a registry record (asks first; only the record goes, never the model files it names).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isDirectory, isFile } from '../../core/safeFiles';
import { removeModelRecord } from '../../core/models/registry';
import { backendOf, checkpointLabel, deploymentLink, lineageText, modelFolderOf, type LineageLink } from '../../core/models/lineage';
import type { ModelsCtx } from './context';
import type { LinkNode, ModelsNode } from './nodes';

/** Opens what a lineage link names: the dataset file, the job's loss curve, a checkpoint or export folder, the endpoint in the chat. */
export async function openLineageLink(_ctx: ModelsCtx, node?: LinkNode): Promise<void> {
  if (node?.kind !== 'link') return;
  await openLink(node.root, node.link);
}

async function openLink(root: string, link: LineageLink): Promise<void> {
  switch (link.kind) {
    case 'dataset': {
      const file = link.path && path.resolve(root, link.path);
      if (file && (await isFile(file))) {
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
        return;
      }
      void vscode.window.showInformationMessage(link.path
        ? vscode.l10n.t('The training data {0} is not in the workspace any more. Its content hash: {1}', link.path, link.sha256 ?? vscode.l10n.t('not recorded'))
        : vscode.l10n.t('Only the training data\'s content hash is recorded: {0}', link.sha256 ?? ''));
      return;
    }
    case 'job':
      if (!link.dir) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Job {0} is not in this workspace any more.', link.jobId));
        return;
      }
      await vscode.commands.executeCommand('finetune.openJobLossCurve', { dir: link.dir });
      return;
    case 'checkpoint':
      await revealFolder(link.path, link.backend ?? 'local', vscode.l10n.t('{0} of job {1}', checkpointLabel(link.step), link.jobId));
      return;
    case 'export':
      await revealFolder(link.location.path, link.location.backend, link.name);
      return;
    case 'deployment':
      if (link.stopped) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Deployment "{0}" is stopped: its endpoint {1} no longer answers.', link.name, link.endpoint));
        return;
      }
      await vscode.commands.executeCommand('finetune.tryModel', [{ kind: 'endpoint', baseUrl: link.endpoint, model: link.servedModel, label: link.name }]);
      return;
  }
}

/** Fine-tune: Show Lineage — the item's links in a list; the one picked is opened. */
export async function showLineage(ctx: ModelsCtx, node?: ModelsNode): Promise<void> {
  if (!node) return;
  const links = await ctx.tree.lineageOf(node);
  if (!links?.length) return;
  const root = 'root' in node ? node.root : '';
  const picked = await vscode.window.showQuickPick(links.map((link, i) => ({
    label: `${'  '.repeat(i)}${i ? '→ ' : ''}${lineageLabel(link)}`,
    link,
  })), { title: vscode.l10n.t('Lineage: {0}', lineageText(links.slice(-1))), placeHolder: vscode.l10n.t('Pick a link to open what it names') });
  if (picked) await openLink(root, picked.link);
}

function lineageLabel(link: LineageLink): string {
  switch (link.kind) {
    case 'dataset': return `$(database) ${link.path ?? ''} ${link.sha256 ? `sha256 ${link.sha256.slice(0, 12)}…` : ''}`.trim();
    case 'job': return `$(beaker) ${link.name}`;
    case 'checkpoint': return `$(save) ${checkpointLabel(link.step)}`;
    case 'export': return `$(package) ${link.name} (${link.format})`;
    case 'deployment': return `$(broadcast) ${link.endpoint}`;
  }
}

/** Reveal Model Folder: a base model's folder, a job's model, a checkpoint or a local export. */
export async function revealModel(_ctx: ModelsCtx, node?: ModelsNode): Promise<void> {
  switch (node?.kind) {
    case 'folder': await revealFolder(node.path, 'local', node.name); return;
    case 'job': {
      await revealFolder(modelFolderOf(node.record), backendOf(node.record), node.record.name);
      return;
    }
    case 'checkpoint': await revealFolder(node.path, backendOf(node.record), checkpointLabel(node.step)); return;
    case 'export': await revealFolder(node.record.location.path, node.record.location.backend, node.record.name); return;
    default:
  }
}

async function revealFolder(folder: string | undefined, backend: string, name: string): Promise<void> {
  if (!folder) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No folder is recorded for {0}.', name));
    return;
  }
  if (backend !== 'local') {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is on the backend "{1}": {2}', name, backend, folder));
    return;
  }
  if (!(await isDirectory(folder))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The folder of {0} is missing: {1}', name, folder));
    return;
  }
  const uri = vscode.Uri.file(folder);
  // The Explorer shows only the workspace's files; anything else opens in the system's file manager.
  await vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/** Try in Chat for a local ONNX export (the local engine) or a running deployment (its endpoint). */
export async function tryModelItem(_ctx: ModelsCtx, node?: ModelsNode): Promise<unknown> {
  if (node?.kind === 'export') {
    const { record } = node;
    if (record.location.backend !== 'local' || !record.format.startsWith('onnx')) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The trial chat runs ONNX exports on this machine; "{0}" is a {1} export: serve it (Deploy) and try its endpoint.', record.name, record.format));
      return undefined;
    }
    return vscode.commands.executeCommand('finetune.tryModel', [{ kind: 'local', folder: record.location.path, label: record.name }]);
  }
  if (node?.kind === 'deployment') {
    return openLink(node.root, deploymentLink(node.record));
  }
  return undefined;
}

/** Evaluate on a Test Set… for a checkpoint: the eval feature's command, loading the checkpoint. */
export async function evaluateCheckpoint(_ctx: ModelsCtx, node?: ModelsNode): Promise<unknown> {
  if (node?.kind !== 'checkpoint') return undefined;
  return vscode.commands.executeCommand('finetune.evaluateJob', { dir: node.dir }, { checkpoint: node.path });
}

/**
 * Remove from Models: an export's or deployment's record (asked first unless `options.confirmed`); the model files
 * stay where they are. A running deployment is refused: its record is how it is found and stopped.
 */
export async function removeModelItem(ctx: ModelsCtx, node?: ModelsNode, options?: { confirmed?: boolean }): Promise<boolean> {
  if (node?.kind !== 'export' && node?.kind !== 'deployment') return false;
  const { record } = node;
  if (record.kind === 'deployment' && record.stoppedAt === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Deployment "{0}" is still running: stop it first, then remove its record.', record.name));
    return false;
  }
  if (!options?.confirmed) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" from the Models view?', record.name),
      { modal: true, detail: vscode.l10n.t('Only its record in .finetune/models goes; its files stay in {0}.', record.location.path) },
      remove,
    );
    if (answer !== remove) return false;
  }
  try {
    await removeModelRecord(node.root, record.id);
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot remove the record of "{0}": {1}', record.name, err instanceof Error ? err.message : String(err)));
    return false;
  }
  ctx.tree.refresh(); // at once, not only when the watcher's event comes: the row goes as the user asked
  return true;
}
