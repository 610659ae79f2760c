// How each kind of Models view element looks: label, description, icon, tooltip (with the lineage) and the
// contextValue its menus match (package.json `view/item/context`).
import * as vscode from 'vscode';
import type { BaseModelInfo } from '../../core/models/baseModel';
import { checkpointLabel, checkpointLineage, jobLineage, lineageText, modelFolderOf } from '../../core/models/lineage';
import type { DeploymentRecord, ExportRecord } from '../../shared/modelRegistry';
import type { CheckpointNode, DeploymentNode, ExportNode, JobNode, LinkNode } from './nodes';

export function baseModelItem(model: BaseModelInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(model.name);
  item.contextValue = 'baseModel';
  item.id = `base:${model.ref}`;
  if (model.kind === 'hub') {
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.description = vscode.l10n.t('hub model');
    item.tooltip = model.ref;
    return item;
  }
  const problems: string[] = [];
  if (!model.exists) problems.push(vscode.l10n.t('folder not found'));
  else {
    if (!model.hasConfig) problems.push(vscode.l10n.t('no config.json'));
    else if (!model.hasWeights) problems.push(vscode.l10n.t('no weights'));
    if (!model.hasTokenizer) problems.push(vscode.l10n.t('no tokenizer.json'));
    if (!model.hasChatTemplate) problems.push(vscode.l10n.t('no chat template'));
  }
  item.iconPath = problems.length
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon('folder-library');
  item.description = problems.length ? problems.join(', ') : (model.architecture ?? vscode.l10n.t('local folder'));
  item.tooltip = model.path;
  return item;
}

export function recordItem(node: JobNode | CheckpointNode | ExportNode | DeploymentNode): vscode.TreeItem {
  switch (node.kind) {
    case 'job': return jobItem(node);
    case 'checkpoint': {
      const item = new vscode.TreeItem(checkpointLabel(node.step), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `checkpoint:${node.dir}:${node.step}`;
      item.iconPath = new vscode.ThemeIcon('save');
      item.description = vscode.l10n.t('step {0}', String(node.step));
      item.tooltip = `${node.path}\n${lineageText(checkpointLineage(node, node))}`;
      item.contextValue = `checkpoint${node.record.spec ? ' spec' : ''}`;
      return item;
    }
    case 'export': return exportItem(node.root, node.record);
    case 'deployment': return deploymentItem(node.root, node.record);
  }
}

function jobItem(node: JobNode): vscode.TreeItem {
  const { record } = node;
  const item = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `job:${node.dir}`;
  item.iconPath = new vscode.ThemeIcon('beaker');
  item.description = [record.method, record.baseModel].filter(Boolean).join(' · ');
  item.tooltip = [modelFolderOf(record), lineageText(jobLineage(node))].filter(Boolean).join('\n');
  // The Jobs view's words: `spec` (can be exported and evaluated), `imported` (trained elsewhere: nothing to try).
  item.contextValue = ['fineTuned', record.spec ? 'spec' : '', record.importedFrom ? 'imported' : ''].filter(Boolean).join(' ');
  return item;
}

function exportItem(root: string, record: ExportRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `export:${root}:${record.id}`;
  const flagged = record.parity?.flagged === true || record.check?.passed === false;
  item.iconPath = flagged ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('package');
  const parts: string[] = [record.format];
  const check = record.check;
  if (check?.maxAbsLogitsDiff !== undefined) parts.push(vscode.l10n.t('max |Δlogits| {0}', check.maxAbsLogitsDiff.toPrecision(2)));
  if (check?.tokensEqual !== undefined && check.prompts !== undefined) parts.push(vscode.l10n.t('tokens equal {0}/{1}', String(check.tokensEqual), String(check.prompts)));
  if (record.parity) {
    const { metric, exportScore, adapterScore } = record.parity;
    parts.push(record.parity.flagged
      ? vscode.l10n.t('parity: {0} dropped {1} → {2}', metric, adapterScore.toFixed(2), exportScore.toFixed(2))
      : vscode.l10n.t('parity: {0} {1} vs {2}', metric, exportScore.toFixed(2), adapterScore.toFixed(2)));
  }
  item.description = parts.join(' · ');
  const where = record.location.backend === 'local' ? record.location.path : `${record.location.backend}:${record.location.path}`;
  item.tooltip = [where, record.command, item.description].filter(Boolean).join('\n');
  item.contextValue = `export ${record.format}${record.location.backend === 'local' ? ' local' : ''}`;
  return item;
}

function deploymentItem(root: string, record: DeploymentRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `deployment:${root}:${record.id}`;
  const stopped = record.stoppedAt !== undefined;
  const healthy = record.health?.ok;
  // Stopped ones are dimmed: the disabled colour and "stopped" first.
  item.iconPath = stopped
    ? new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('disabledForeground'))
    : new vscode.ThemeIcon('broadcast', healthy === false ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined);
  const health = stopped ? vscode.l10n.t('stopped') : healthy === undefined ? vscode.l10n.t('not checked yet') : healthy ? vscode.l10n.t('healthy') : vscode.l10n.t('not answering');
  const since = new Date(record.startedAt);
  const sinceText = Number.isNaN(since.getTime()) ? record.startedAt : since.toLocaleString();
  const sinceLine = vscode.l10n.t('since {0}', sinceText);
  item.description = `${health} · ${record.endpoint} · ${sinceLine}`;
  item.tooltip = [
    vscode.l10n.t('{0} serving "{1}" at {2}', record.server, record.servedModel, record.endpoint),
    sinceLine,
    stopped ? vscode.l10n.t('Stopped {0}', record.stoppedAt ?? '') : record.health ? vscode.l10n.t('Last checked {0}: {1}', record.health.checkedAt, record.health.message ?? health) : '',
  ].filter(Boolean).join('\n');
  item.contextValue = `deployment ${stopped ? 'stopped' : 'running'}`;
  return item;
}

const LINK_ICONS: Record<LinkNode['link']['kind'], string> = { dataset: 'database', job: 'beaker', checkpoint: 'save', export: 'package', deployment: 'broadcast' };

/** A lineage link: clicking it opens what it names (finetune.openLineageLink). */
export function linkItem(node: LinkNode): vscode.TreeItem {
  const { link } = node;
  let label: string;
  let description: string | undefined;
  switch (link.kind) {
    case 'dataset':
      label = link.path ?? vscode.l10n.t('training data');
      description = link.sha256 ? `sha256 ${link.sha256.slice(0, 12)}…` : vscode.l10n.t('content hash not recorded');
      break;
    case 'job': label = link.name; description = vscode.l10n.t('job'); break;
    case 'checkpoint': label = checkpointLabel(link.step); description = vscode.l10n.t('checkpoint'); break;
    case 'export': label = link.name; description = link.format; break;
    case 'deployment': label = link.endpoint; description = link.stopped ? vscode.l10n.t('stopped') : link.servedModel; break;
  }
  const item = new vscode.TreeItem(label);
  item.id = `link:${node.of}:${link.kind}`;
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(LINK_ICONS[link.kind]);
  item.tooltip = link.kind === 'dataset' && link.sha256 ? `sha256 ${link.sha256}` : label;
  item.contextValue = `lineageLink ${link.kind}`;
  item.command = { command: 'finetune.openLineageLink', title: vscode.l10n.t('Open'), arguments: [node] };
  return item;
}
