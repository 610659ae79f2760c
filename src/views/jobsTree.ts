import * as vscode from 'vscode';
import { Disposable } from '../host/dispose';
import { listJobs, type StoredJob } from '../core/jobs/jobStore';
import type { JobStatus } from '../shared/job';

export type JobNode = StoredJob & { folder: vscode.WorkspaceFolder };

const icons: Record<JobStatus, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** The Jobs view: every job folder under `.finetune/jobs/` of each workspace folder, kept fresh by a file watcher. */
export class JobsTree extends Disposable implements vscode.TreeDataProvider<JobNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  private timer: NodeJS.Timeout | undefined;

  constructor() {
    super();
    // Any change under .finetune, not only job.json: a job folder created and written at once can reach
    // the watcher as the folder's creation alone. Refreshes are debounced, as events come in bursts.
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/.finetune/**'));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) {
      this.register(event(() => this.scheduleRefresh()));
    }
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  refresh(): void {
    this.changed.fire();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 150);
  }

  async getChildren(element?: JobNode): Promise<JobNode[]> {
    if (element) return [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    const perFolder = await Promise.all(
      folders.filter((f) => f.uri.scheme === 'file').map(async (folder) => (await listJobs(folder.uri.fsPath)).map((job) => ({ ...job, folder }))),
    );
    return perFolder.flat();
  }

  getTreeItem(job: JobNode): vscode.TreeItem {
    if (!('record' in job)) {
      const item = new vscode.TreeItem(job.id);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.description = vscode.l10n.t('unreadable');
      item.tooltip = job.problem;
      item.contextValue = 'job';
      return item;
    }
    const { record } = job;
    const item = new vscode.TreeItem(record.name);
    item.id = `${job.folder.uri.toString()}#${job.id}`;
    item.iconPath = icons[record.status];
    item.contextValue = 'job';
    item.description = describe(record.status, record.progress, record.latestLoss);
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendText(`${record.name}\n${statusLabel(record.status)} · ${record.method} · ${record.baseModel}`);
    if (record.description) tooltip.appendText(`\n${record.description}`);
    if (record.error) tooltip.appendText(`\n${record.error}`);
    item.tooltip = tooltip;
    return item;
  }
}

function describe(status: JobStatus, progress?: { step: number; totalSteps: number }, loss?: number): string {
  const parts = [statusLabel(status)];
  if (progress) parts.push(`${Math.floor((100 * progress.step) / progress.totalSteps)}%`);
  if (loss !== undefined) parts.push(vscode.l10n.t('loss {0}', loss.toFixed(4)));
  return parts.join(' · ');
}

export function statusLabel(status: JobStatus): string {
  switch (status) {
    case 'queued': return vscode.l10n.t('queued');
    case 'running': return vscode.l10n.t('running');
    case 'succeeded': return vscode.l10n.t('succeeded');
    case 'failed': return vscode.l10n.t('failed');
    case 'cancelled': return vscode.l10n.t('cancelled');
  }
}
