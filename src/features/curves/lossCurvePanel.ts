import * as vscode from 'vscode';
import * as path from 'node:path';
import { coreLocale } from '../../platform/locale';
import {
  LossCurveWebviewMessage, PngReply, lossCurveStringKeys, runTail,
  type LossCurveHostMessage, type LossRun, type ZoomRange,
} from '../../shared/protocol/lossCurve';
import type { CurvesWorkerClient } from './workerClient';
import { FollowedLog } from './followedLog';
import { verdictLabels } from './verdictLabels';
import { PanelSlot, WebviewPanelHost } from '../../platform/webview/panelBase';

/** What the panel needs from the extension (the curves feature's context has all of it). */
export interface LossCurveDeps {
  extensionUri: vscode.Uri;
  worker: CurvesWorkerClient;
  log: { warn(line: string): void };
}

/** A run shown in the panel: its log file followed on disk, and what was last read from it. */
export interface PanelRun {
  /** The file's URI as a string: the run's key in messages. */
  readonly id: string;
  readonly file: vscode.Uri;
  readonly label: string;
  readonly colour: number;
  last: { run: LossRun } | { error: string; waiting: boolean } | undefined;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The loss curves of one or more training logs (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl or our
 * events.jsonl), overlaid, each with its convergence diagnosis. One panel per first log file. Every log is
 * followed on disk, so a job still writing its events updates live (the file may not exist yet when it opens).
 */
export class LossCurvePanel extends WebviewPanelHost<LossCurveWebviewMessage, LossCurveHostMessage> {
  static readonly viewType = 'finetune.lossCurve';
  private static readonly slot = new PanelSlot<LossCurvePanel>();
  private readonly followed = new Map<string, { run: PanelRun; log: FollowedLog; firstRead: Promise<void> }>();
  /** Whether a page is there to post to: not before its 'ready', nor while hidden (VS Code discards the page). */
  private pageLoaded = false;
  /** The run each id's page copy holds: a log that only grew is sent as its new points (see runTail). */
  private readonly sent = new Map<string, LossRun>();
  private nextColour = 0;
  /** The page's zoomed range: decimated runs send its points at full resolution (`detail`). */
  private zoom: ZoomRange = null;
  private readonly updated = this.register(new vscode.EventEmitter<PanelRun>());
  /** Fires after a run was re-read and sent to the page. */
  readonly onDidUpdate = this.updated.event;

  /**
   * The entry point (commands, the Jobs view, the explorer): opens the curves of `files` (a job's
   * `.finetune/jobs/<id>/events.jsonl`, or any training log), or brings back the panel already open for the first
   * one and adds the others to it. `title` names the first run (a job's name) instead of its path.
   */
  static open(deps: LossCurveDeps, files: vscode.Uri | readonly vscode.Uri[], title?: string): LossCurvePanel {
    const [first, ...more] = files instanceof vscode.Uri ? [files] : files;
    if (!first) throw new Error('LossCurvePanel.open needs at least one file');
    const panel = LossCurvePanel.slot.show(
      first.toString(),
      (p) => {
        p.panel.reveal(undefined, true);
        void p.addRun(first, title); // re-read (or added back, if it was removed from the legend)
      },
      () => {
        const webviewPanel = WebviewPanelHost.createPanel(deps.extensionUri, LossCurvePanel.viewType, vscode.l10n.t('Loss: {0}', title ?? path.basename(first.path)));
        const p = new LossCurvePanel(webviewPanel, deps);
        void p.addRun(first, title);
        return p;
      },
    );
    for (const file of more) void panel.addRun(file);
    return panel;
  }

  private constructor(panel: vscode.WebviewPanel, private readonly deps: LossCurveDeps) {
    super(panel, deps.extensionUri, { viewType: LossCurvePanel.viewType, bundle: 'lossCurve', title: panel.title, incoming: LossCurveWebviewMessage }, (s) => deps.log.warn(s));
    this.register({ dispose: () => { for (const f of this.followed.values()) f.log.dispose(); } });
    this.register(panel.onDidChangeViewState(() => { if (!panel.visible) this.pageLoaded = false; }));
  }

  /** The runs in legend order. */
  get runs(): PanelRun[] {
    return [...this.followed.values()].map((f) => f.run);
  }

  /** What was last read from the first run's log. */
  get last(): PanelRun['last'] {
    return this.runs[0]?.last;
  }

  /** Adds a log to the overlay (nothing when it is shown already) and starts following it; resolves once read. */
  addRun(file: vscode.Uri, title?: string): Promise<void> {
    const id = file.toString();
    const existing = this.followed.get(id);
    if (existing) return existing.log.reload();
    const run: PanelRun = { id, file, label: title ?? vscode.workspace.asRelativePath(file), colour: this.nextColour++, last: undefined };
    const log = new FollowedLog(file, (exists) => this.read(run, exists));
    const firstRead = log.reload();
    this.followed.set(id, { run, log, firstRead });
    return firstRead;
  }

  removeRun(id: string): void {
    const f = this.followed.get(id);
    if (!f) return;
    f.log.dispose();
    this.followed.delete(id);
    this.sent.delete(id);
    this.peer.notify({ type: 'removed', id });
  }

  protected async handle(message: LossCurveWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        // A new page (first open, or shown again after being hidden): it gets every run as last read (the logs
        // are followed all along, so that is current), once each has been read.
        this.peer.notify({ type: 'strings', strings: lossCurveStrings() });
        this.sent.clear();
        this.zoom = null; // the page sends its own after 'ready'
        this.pageLoaded = true;
        await Promise.all([...this.followed.values()].map(async (f) => { await f.firstRead; this.send(f.run); }));
        this.pageReady();
        return null;
      case 'exportCsv':
        await this.exportCsv();
        return null;
      case 'exportPng':
        await this.exportPng().catch((err: unknown) => {
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the chart: {0}', err instanceof Error ? err.message : String(err)));
        });
        return null;
      case 'addRun':
        await this.pickRuns();
        return null;
      case 'removeRun':
        this.removeRun(message.id);
        return null;
      case 'zoom':
        this.zoom = message.range;
        await Promise.all(this.runs.map((run) => this.sendDetail(run)));
        return null;
    }
  }

  /** Reads, imports and diagnoses one log, and sends the page the result (if there is a page). */
  private async read(run: PanelRun, exists: boolean): Promise<void> {
    const fileName = vscode.workspace.asRelativePath(run.file);
    if (!exists) {
      run.last = { error: vscode.l10n.t('Waiting for {0}: the file does not exist yet.', fileName), waiting: true };
    } else {
      try {
        // Reading and diagnosing a large log takes a while: the dataset worker does it, off the main thread.
        run.last = { run: await this.deps.worker.lossRun(run.file.fsPath, fileName, coreLocale()) };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        run.last = { error: vscode.l10n.t('Cannot read {0} as a training log: {1}', fileName, reason), waiting: false };
      }
    }
    if (this.followed.get(run.id)?.run !== run) return; // removed meanwhile
    if (this.pageLoaded) this.send(run);
    this.updated.fire(run);
  }

  /** Sends a run as last read: its new points when the page has the rest (see runTail), else all of it. */
  private send(run: PanelRun): void {
    const last = run.last;
    if (!last) return;
    const key = { id: run.id, label: run.label, colour: run.colour };
    if ('run' in last) {
      const before = this.sent.get(run.id);
      const tail = before && runTail(before, last.run);
      this.peer.notify(tail ? { type: 'append', id: run.id, tail } : { type: 'run', ...key, run: last.run });
      this.sent.set(run.id, last.run);
      void this.sendDetail(run);
    } else {
      this.sent.delete(run.id);
      this.peer.notify({ type: 'error', ...key, message: last.error, waiting: last.waiting });
    }
  }

  /** Sends the zoomed range of a decimated run at full resolution (the page shows its overview elsewhere). */
  private async sendDetail(run: PanelRun): Promise<void> {
    const zoom = this.zoom;
    if (!zoom || !this.pageLoaded || !run.last || !('run' in run.last) || !run.last.run.fullPoints) return;
    try {
      const detail = await this.deps.worker.lossDetail(run.file.fsPath, zoom.min, zoom.max, zoom.byEpoch);
      if (this.zoom === zoom && this.followed.has(run.id) && this.pageLoaded) this.peer.notify({ type: 'detail', id: run.id, detail });
    } catch (err) {
      // The overview stays on screen; the log may have just been removed or rewritten.
      this.deps.log.warn(`loss curve: no detail for ${run.file.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Asks which log to add: a job's events or a training log in the workspace, or any files (Browse…). */
  private async pickRuns(): Promise<void> {
    const [jobs, others] = await Promise.all([
      vscode.workspace.findFiles('.finetune/jobs/*/events.jsonl', null, 200),
      vscode.workspace.findFiles('**/{trainer_state.json,trainer_log.jsonl}', '{**/node_modules/**,**/.git/**}', 200),
    ]);
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const item = (uri: vscode.Uri): Item => ({ label: vscode.workspace.asRelativePath(uri), uri });
    const items: Item[] = [
      ...[...jobs, ...others].filter((u) => !this.followed.has(u.toString())).map(item),
      { label: vscode.l10n.t('Browse…'), alwaysShow: true },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add runs to compare') });
    if (!picked) return;
    const uris = picked.uri ? [picked.uri] : (await pickLogFiles(true)) ?? [];
    await Promise.all(uris.map((u) => this.addRun(u)));
  }

  /** Writes `<log>.curves.csv` beside each log that was read, and says where. */
  async exportCsv(): Promise<vscode.Uri[]> {
    const written: vscode.Uri[] = [];
    for (const run of this.runs) {
      if (!run.last || !('run' in run.last)) continue;
      const target = run.file.with({ path: run.file.path + '.curves.csv' });
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await this.deps.worker.lossCsv(run.file.fsPath)));
      written.push(target);
    }
    if (written.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Wrote the curves to {0}.', written.map((u) => vscode.workspace.asRelativePath(u)).join(', ')));
    }
    return written;
  }

  /**
   * Saves the chart as a PNG: the page draws it (on the theme's background) and replies with the bytes; this
   * side checks them and writes `target`, or where the save dialog says. Returns the file written.
   */
  async exportPng(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const base64 = await this.peer.request({ type: 'renderPng' }, PngReply, 30_000);
    const bytes = Buffer.from(base64, 'base64');
    if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('the page did not send a PNG image');
    const first = this.runs[0]?.file;
    target ??= await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the loss chart as PNG'),
      ...(first ? { defaultUri: vscode.Uri.joinPath(first, '..', 'loss-curves.png') } : {}),
      filters: { [vscode.l10n.t('PNG image')]: ['png'] },
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(vscode.l10n.t('Wrote the chart to {0}.', vscode.workspace.asRelativePath(target)));
    return target;
  }
}

/** Asks for training log files with the open dialog. */
export async function pickLogFiles(many: boolean): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectFiles: true, canSelectFolders: false, canSelectMany: many,
    openLabel: vscode.l10n.t('Open Training Log'),
    filters: { [vscode.l10n.t('Training logs (trainer_state.json, trainer_log.jsonl, events.jsonl)')]: ['json', 'jsonl'] },
  });
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
    exportPng: vscode.l10n.t('Export PNG'),
    smoothing: vscode.l10n.t('Smoothing'),
    xAxis: vscode.l10n.t('X axis'),
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
    // {0}: the attempt's number (2, 3…), {1}: the step it started from (a resumed run).
    attemptFrom: vscode.l10n.t('attempt {0} from step {1}'),
    superseded: vscode.l10n.t('superseded by a later attempt'),
    attemptStart: vscode.l10n.t('start of a resumed attempt'),
    addRun: vscode.l10n.t('Add run…'),
    removeRun: vscode.l10n.t('Remove this run'),
    resetZoom: vscode.l10n.t('Reset zoom'),
    zoomHint: vscode.l10n.t('Wheel or drag across the chart to zoom, Shift+drag to pan, double-click to reset.'),
    legend: vscode.l10n.t('Line styles'),
    rightAxis: vscode.l10n.t('right axis'),
    ...verdictLabels(),
    // The kind of log, shown next to the run's name (the webview gets `source`, a parser id).
    'source.hf-trainer-state': vscode.l10n.t('Hugging Face trainer state'),
    'source.llamafactory-log': vscode.l10n.t('LLaMA-Factory log'),
    'source.events': vscode.l10n.t('Fine-tune Studio job events'),
  };
  return strings;
}
