import * as vscode from 'vscode';
import * as path from 'node:path';
import { coreLocale } from '../host/locale';
import {
  LossCurveWebviewMessage, lossCurveStringKeys,
  type LossCurveHostMessage, type LossRun,
} from '../shared/protocol/lossCurve';
import type { DatasetWorkerClient } from '../host/datasetWorkerClient';
import { PanelSlot, WebviewPanelHost } from './panelBase';

const RELOAD_DELAY_MS = 200;
/** File watchers can miss changes (new folders, files outside the workspace, network drives): also poll. */
const POLL_MS = 2_000;

/**
 * The loss curves of one training log file (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl or our
 * events.jsonl) with the convergence diagnosis. One panel per file; it re-reads the file whenever it changes on
 * disk, so a run that is still writing its log updates live.
 */
export class LossCurvePanel extends WebviewPanelHost<LossCurveWebviewMessage, LossCurveHostMessage> {
  static readonly viewType = 'finetune.lossCurve';
  private static readonly slot = new PanelSlot<LossCurvePanel>();
  /** The run last sent to the webview, or the error shown instead. */
  last: { run: LossRun } | { error: string } | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** mtime and size of the file when it was last read. */
  private seen: string | undefined;

  static show(extensionUri: vscode.Uri, worker: DatasetWorkerClient, file: vscode.Uri, log: (s: string) => void): LossCurvePanel {
    return LossCurvePanel.slot.show(
      file.toString(),
      (panel) => {
        panel.panel.reveal(undefined, true);
        void panel.reload();
      },
      () => new LossCurvePanel(
        WebviewPanelHost.createPanel(extensionUri, LossCurvePanel.viewType, vscode.l10n.t('Loss: {0}', path.basename(file.path))),
        extensionUri, worker, file, log,
      ),
    );
  }

  private constructor(
    panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly worker: DatasetWorkerClient, readonly file: vscode.Uri, log: (s: string) => void,
  ) {
    super(panel, extensionUri, { viewType: LossCurvePanel.viewType, bundle: 'lossCurve', title: panel.title, incoming: LossCurveWebviewMessage }, log);
    this.register({ dispose: () => clearTimeout(this.reloadTimer) });
    const dir = vscode.Uri.joinPath(file, '..');
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.basename(file.path))));
    const changed = () => this.scheduleReload();
    this.register(watcher.onDidChange(changed));
    this.register(watcher.onDidCreate(changed));
    this.register(watcher.onDidDelete(changed));
    const poll = setInterval(() => void this.pollFile(), POLL_MS);
    this.register({ dispose: () => clearInterval(poll) });
  }

  private async pollFile(): Promise<void> {
    if (this.seen === undefined) return;
    const now = await vscode.workspace.fs.stat(this.file).then((s) => `${s.mtime}:${s.size}`, () => 'missing');
    if (now !== this.seen) this.scheduleReload();
  }

  protected async handle(message: LossCurveWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: lossCurveStrings() });
        await this.reload();
        this.pageReady();
        return null;
      case 'exportCsv':
        await this.exportCsv();
        return null;
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DELAY_MS);
  }

  /** Reads, imports and diagnoses the log, and sends the page the result. */
  async reload(): Promise<void> {
    const fileName = vscode.workspace.asRelativePath(this.file);
    this.seen = await vscode.workspace.fs.stat(this.file).then((s) => `${s.mtime}:${s.size}`, () => 'missing');
    try {
      // Reading and diagnosing a large log takes a while: the dataset worker does it, off the main thread.
      const run = await this.worker.lossRun(this.file.fsPath, fileName, coreLocale());
      this.last = { run };
      this.peer.notify({ type: 'run', run });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const error = vscode.l10n.t('Cannot read {0} as a training log: {1}', fileName, reason);
      this.last = { error };
      this.peer.notify({ type: 'error', message: error });
    }
  }

  /** Writes `<log>.curves.csv` beside the log and says where. */
  async exportCsv(): Promise<vscode.Uri | undefined> {
    if (!this.last || !('run' in this.last)) return undefined;
    const target = this.file.with({ path: this.file.path + '.curves.csv' });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await this.worker.lossCsv(this.file.fsPath)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Wrote the curves to {0}.', vscode.workspace.asRelativePath(target)));
    return target;
  }
}


function lossCurveStrings(): Record<string, string> {
  const strings: Record<(typeof lossCurveStringKeys)[number], string> = {
    title: vscode.l10n.t('Loss Curves'),
    verdict: vscode.l10n.t('Verdict'),
    reason: vscode.l10n.t('Why'),
    advice: vscode.l10n.t('Advice'),
    bestStep: vscode.l10n.t('Best step'),
    evidence: vscode.l10n.t('Evidence'),
    skipped: vscode.l10n.t('lines of the log could not be read and were skipped'),
    exportCsv: vscode.l10n.t('Export CSV'),
    smoothing: vscode.l10n.t('Smoothing'),
    xByStep: vscode.l10n.t('By step'),
    xByEpoch: vscode.l10n.t('By epoch'),
    step: vscode.l10n.t('step'),
    epoch: vscode.l10n.t('epoch'),
    loss: vscode.l10n.t('loss'),
    learningRate: vscode.l10n.t('learning rate'),
    trainRaw: vscode.l10n.t('train loss'),
    trainSmoothed: vscode.l10n.t('train loss (smoothed)'),
    evalLoss: vscode.l10n.t('eval loss'),
    checkpoints: vscode.l10n.t('checkpoints'),
    points: vscode.l10n.t('points'),
    converged: vscode.l10n.t('Converged'),
    converged_early: vscode.l10n.t('Converged early'),
    overfitting: vscode.l10n.t('Overfitting'),
    not_converged: vscode.l10n.t('Not converged'),
    still_improving: vscode.l10n.t('Still improving'),
    diverged: vscode.l10n.t('Diverged'),
  };
  return strings;
}
