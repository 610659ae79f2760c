// The Models view in four groups: base models (from `finetune.models.baseModels`), fine-tuned models (succeeded jobs,
// with their checkpoints and eval scores), exports and deployments (the registry in .finetune/models/). Every item
// but a base model has a "Lineage" child whose links open what they name. Refreshed from file events, debounced.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';
import { inspectBaseModel } from '../../core/models/baseModel';
import { listJobs } from '../../core/jobs/jobStore';
import { listModelRecords } from '../../core/models/registry';
import {
  checkpointLineage, checkpointsOf, deploymentLineage, exportLineage, fineTunedJobs, groupRecords, jobLineage, jobsById,
  lineageText, type JobRef, type LineageLink,
} from '../../core/models/lineage';
import { EvalRunFiles } from '../../core/eval';
import { fineTunedSummary, readableEvalDirs, scoreText } from '../../core/models/evalScores';
import type { ModelRecord } from '../../shared/modelRegistry';
import type { ModelGroup, ModelsNode } from './nodes';
import { baseModelItem, linkItem, recordItem } from './treeItems';

/** What one workspace folder holds, read once per refresh. */
interface FolderModels {
  root: string;
  jobs: JobRef[];
  exports: Extract<ModelRecord, { kind: 'export' }>[];
  deployments: Extract<ModelRecord, { kind: 'deployment' }>[];
  problems: { id: string; file: string; problem: string }[];
  jobsById: Map<string, JobRef>;
  records: Map<string, ModelRecord>;
}

const GROUPS: readonly ModelGroup[] = ['base', 'finetuned', 'exports', 'deployments'];

export class ModelsTree extends Disposable implements vscode.TreeDataProvider<ModelsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: Promise<FolderModels[]> | undefined;

  /** `finetuneChanges`: the platform's debounced changes under `.finetune/`; registry, job and eval records refresh the view. */
  constructor(private readonly config: Config, finetuneChanges: vscode.Event<readonly vscode.Uri[]>) {
    super();
    this.register(config.onDidChange(() => this.refresh()));
    // Registry records, job records and eval scores; a job folder written at once can arrive as its creation alone.
    this.register(finetuneChanges((uris) => {
      if (uris.some((uri) => /[\\/]\.finetune[\\/](models|jobs|evals)([\\/]|$)/.test(uri.fsPath) && !uri.fsPath.endsWith('.jsonl'))) this.refresh();
    }));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  refresh(): void {
    this.snapshot = undefined;
    this.changed.fire();
  }

  private folders(): Promise<FolderModels[]> {
    this.snapshot ??= Promise.all((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => readFolder(f.uri.fsPath)));
    return this.snapshot;
  }

  async getChildren(element?: ModelsNode): Promise<ModelsNode[]> {
    if (!element) {
      const folders = await this.folders();
      const count: Record<ModelGroup, number> = {
        base: this.config.baseModels.length,
        finetuned: sum(folders.map((f) => fineTunedJobs(f.jobs).length)),
        exports: sum(folders.map((f) => f.exports.length + f.problems.length)),
        deployments: sum(folders.map((f) => f.deployments.length)),
      };
      // Nothing at all: no groups, so the view's welcome text shows.
      return GROUPS.some((g) => count[g] > 0) ? GROUPS.map((group) => ({ kind: 'group', group, count: count[group] })) : [];
    }
    switch (element.kind) {
      case 'group': return this.groupChildren(element.group);
      case 'job': return this.jobChildren(element);
      case 'checkpoint':
      case 'export':
      case 'deployment': {
        const links = await this.lineageOf(element);
        return links ? [lineageNode(element.root, `${element.kind}:${element.kind === 'checkpoint' ? `${element.dir}:${element.step}` : `${element.root}:${element.record.id}`}`, links)] : [];
      }
      case 'lineage': return element.links.map((link) => ({ kind: 'link', root: element.root, of: element.of, link }));
      default: return [];
    }
  }

  private async groupChildren(group: ModelGroup): Promise<ModelsNode[]> {
    const folders = await this.folders();
    switch (group) {
      case 'base': {
        const root = folders[0]?.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        return Promise.all(this.config.baseModels.map((ref) => inspectBaseModel(ref, root)));
      }
      case 'finetuned':
        return folders.flatMap((f) => fineTunedJobs(f.jobs).map((j): ModelsNode => ({ kind: 'job', root: f.root, dir: j.dir, record: j.record })));
      case 'exports':
        return folders.flatMap((f) => [
          ...f.exports.map((record): ModelsNode => ({ kind: 'export', root: f.root, record })),
          ...f.problems.map((p): ModelsNode => ({ kind: 'problem', root: f.root, file: p.file, problem: p.problem })),
        ]);
      case 'deployments':
        return folders.flatMap((f) => f.deployments.map((record): ModelsNode => ({ kind: 'deployment', root: f.root, record })));
    }
  }

  private async jobChildren(job: Extract<ModelsNode, { kind: 'job' }>): Promise<ModelsNode[]> {
    const checkpoints = checkpointsOf(job.record).map((c): ModelsNode => ({ kind: 'checkpoint', root: job.root, dir: job.dir, record: job.record, ...c }));
    const evals = await evalsOf(job.root, job.dir, job.record.evals ?? []);
    return [lineageNode(job.root, `job:${job.dir}`, jobLineage(job)), ...evals, ...checkpoints];
  }

  /** The lineage of a fine-tuned model, checkpoint, export or deployment (undefined for other elements). */
  async lineageOf(node: ModelsNode): Promise<LineageLink[] | undefined> {
    if (node.kind === 'job') return jobLineage(node);
    if (node.kind === 'checkpoint') return checkpointLineage(node, node);
    if (node.kind !== 'export' && node.kind !== 'deployment') return undefined;
    const folder = (await this.folders()).find((f) => f.root === node.root);
    const jobs = folder?.jobsById ?? new Map<string, JobRef>();
    return node.kind === 'export' ? exportLineage(node.record, jobs) : deploymentLineage(node.record, jobs, folder?.records ?? new Map());
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': return groupItem(node.group, node.count);
      case 'folder':
      case 'hub': return baseModelItem(node);
      case 'lineage': {
        const item = new vscode.TreeItem(vscode.l10n.t('Lineage'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `lineage:${node.of}`;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.tooltip = lineageText(node.links);
        item.contextValue = 'lineage';
        return item;
      }
      case 'link': return linkItem(node);
      case 'eval': {
        const item = new vscode.TreeItem(scoreText(node.summary));
        item.id = `eval:${node.job}:${node.dir}`;
        item.description = path.basename(node.dir);
        item.iconPath = new vscode.ThemeIcon('graph');
        item.tooltip = vscode.l10n.t('Eval run {0}: {1} samples. Click to open it.', path.basename(node.dir), String(node.summary.samples));
        item.contextValue = 'evalRun';
        item.command = { command: 'finetune.openEvaluation', title: vscode.l10n.t('Open Evaluation'), arguments: [node.dir] };
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(path.basename(node.file));
        item.id = `problem:${node.file}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.description = vscode.l10n.t('unreadable record');
        item.tooltip = node.problem;
        item.contextValue = 'modelProblem';
        return item;
      }
      default: return recordItem(node);
    }
  }
}

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);

function groupItem(group: ModelGroup, count: number): vscode.TreeItem {
  const labels: Record<ModelGroup, string> = {
    base: vscode.l10n.t('Base models'),
    finetuned: vscode.l10n.t('Fine-tuned'),
    exports: vscode.l10n.t('Exports'),
    deployments: vscode.l10n.t('Deployments'),
  };
  const icons: Record<ModelGroup, string> = { base: 'folder-library', finetuned: 'beaker', exports: 'package', deployments: 'broadcast' };
  const item = new vscode.TreeItem(labels[group], count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `group:${group}`;
  item.description = count ? String(count) : vscode.l10n.t('none yet');
  item.iconPath = new vscode.ThemeIcon(icons[group]);
  item.contextValue = `modelsGroup ${group}`;
  return item;
}

function lineageNode(root: string, of: string, links: LineageLink[]): ModelsNode {
  return { kind: 'lineage', root, of, links };
}

async function readFolder(root: string): Promise<FolderModels> {
  const [stored, jobs] = await Promise.all([listModelRecords(root), listJobs(root)]);
  const { exports, deployments, problems } = groupRecords(stored);
  const readable = jobs.flatMap((j) => ('record' in j ? [{ dir: j.dir, record: j.record }] : []));
  return {
    root, jobs: readable, exports, deployments, problems, jobsById: jobsById(readable),
    records: new Map([...exports, ...deployments].map((r) => [r.id, r])),
  };
}

/** The scored eval runs a job lists, oldest first; only folders in the workspace's .finetune/evals are read. */
async function evalsOf(root: string, job: string, dirs: readonly string[]): Promise<ModelsNode[]> {
  const nodes = await Promise.all(readableEvalDirs(root, dirs).map(async (dir): Promise<ModelsNode | undefined> => {
    const files = new EvalRunFiles(dir);
    try {
      const summary = fineTunedSummary(await files.readMeta(), await files.readScores());
      return summary && { kind: 'eval', root, job, dir, summary };
    } catch {
      return undefined; // a run being written or removed: listed again on the next refresh
    }
  }));
  return nodes.filter((n): n is ModelsNode => n !== undefined);
}
