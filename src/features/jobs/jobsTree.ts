import * as vscode from 'vscode';
import { jobErrorFix } from './errorFix';
import { Disposable } from '../../platform/dispose';
import { JOB_FILES, listJobs, type StoredJob } from '../../core/jobs/jobStore';
import type { JobRecord, JobStatus, TrainingMethod } from '../../shared/job';
import type { LossRun } from '../../shared/protocol/lossCurve';
import { progressParts, stoppedText } from './progressText';
import { verdictLabels } from '../curves';
import * as path from 'node:path';

/** Reads a training log into curves and a verdict (the dataset worker's lossRun). */
export type DiagnoseLog = (file: string, displayName: string) => Promise<LossRun>;

/** The training log a job's curves come from: its own events, or the log it was imported from. */
export function jobLogFile(job: { dir: string; record: JobRecord }): string {
  return job.record.importedFrom ?? path.join(job.dir, JOB_FILES.events);
}

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

  /** A running job's connection state ("reconnecting…") on a remote backend; on Slurm, why it waits and its attempt. */
  private connectionNote?: (record: JobRecord) => string | undefined;

  /** `finetuneChanges`: the platform's debounced changes under `.finetune/` (any file, not only job.json). */
  constructor(finetuneChanges: vscode.Event<readonly vscode.Uri[]>, private readonly diagnoseLog?: DiagnoseLog) {
    super();
    this.register(finetuneChanges(() => this.refresh()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  /** Set once the runner exists (the view is registered before it). */
  setConnectionNote(note: (record: JobRecord) => string | undefined): void {
    this.connectionNote = note;
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
    // Words the menus match on: `job`, the status, and what the job has.
    const traits = ['job', record.status, record.checkpoints?.length ? 'checkpoints' : '', record.importedFrom ? 'imported' : '', record.spec ? 'spec' : '',
      stoppedText(record) ? 'stopped' : ''];
    item.contextValue = traits.filter(Boolean).join(' ');
    const note = record.status === 'running' ? this.connectionNote?.(record) : undefined;
    item.description = [describe(record), note].filter(Boolean).join(' · ');
    item.tooltip = this.tooltip(record);
    return item;
  }

  /** Adds the loss-curve verdict to the tooltip when it is shown (reading the log only then). */
  async resolveTreeItem(item: vscode.TreeItem, job: JobNode): Promise<vscode.TreeItem> {
    if (!('record' in job) || !this.diagnoseLog || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    try {
      const run = await this.diagnoseLog(jobLogFile(job), job.record.name);
      // An empty log (a job just started) says nothing; a predict run's log (steps, no loss) is insufficient_data.
      if (run.train.length > 0 || run.eval.length > 0 || run.totalSteps !== undefined) {
        const tooltip = this.tooltip(job.record);
        tooltip.appendMarkdown('\n\n---\n\n');
        tooltip.appendText(`${vscode.l10n.t('{0}: {1}', vscode.l10n.t('Loss curve'), verdictLabels()[run.verdict])}\n${run.reason}\n${run.advice}`);
        // A resumed run (a restart from a checkpoint, a Slurm requeue): how many attempts its log holds.
        if (run.attempts && run.attempts.length > 1) tooltip.appendText(`\n${vscode.l10n.t('{0} attempts: the latest from step {1}', run.attempts.length, run.attempts[run.attempts.length - 1]!.start)}`);
        item.tooltip = tooltip;
      }
    } catch {
      // no log yet, or not readable: the tooltip stays without a verdict
    }
    return item;
  }

  private tooltip(record: JobRecord): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(undefined, false);
    const what = [statusLabel(record.status), record.method && methodLabel(record.method), record.baseModel].filter(Boolean).join(' · ');
    tooltip.appendText(`${record.name}\n${what}`);
    if (record.description) tooltip.appendText(`\n${record.description}`);
    if (record.importedFrom) tooltip.appendText(`\n${vscode.l10n.t('Imported from {0}', record.importedFrom)}`);
    if (record.run && record.run.backend !== 'local') tooltip.appendText(`\n${vscode.l10n.t('On backend "{0}": {1}', record.run.backendName, record.run.runDir)}`);
    const stopped = stoppedText(record);
    if (stopped) tooltip.appendText(`\n${stopped}`);
    if (record.error) tooltip.appendText(`\n${record.error}`);
    const fix = jobErrorFix(record);
    if (fix) tooltip.appendText(`\n${fix}`);
    if (record.checkpoints?.length) tooltip.appendText(`\n${vscode.l10n.t('{0} checkpoint(s), last at step {1}', record.checkpoints.length, record.checkpoints[record.checkpoints.length - 1]!.step)}`);
    return tooltip;
  }
}

function describe(record: JobRecord): string {
  // A job stopped with a checkpoint says so instead of "cancelled": it is meant to go on.
  return [stoppedText(record) ?? statusLabel(record.status), ...progressParts(record, { loss: true })].join(' · ');
}

/** The training method as the Start Job form names it (without its "recommended"). */
function methodLabel(method: TrainingMethod): string {
  switch (method) {
    case 'lora': return 'LoRA';
    case 'full': return vscode.l10n.t('Full fine-tuning');
    case 'p_tuning': return vscode.l10n.t('P-Tuning');
    case 'prefix_tuning': return vscode.l10n.t('Prefix-Tuning');
  }
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
