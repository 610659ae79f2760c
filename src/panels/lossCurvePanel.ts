import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../host/dispose';
import { coreLocale } from '../host/locale';
import { RpcPeer } from '../shared/rpc';
import {
  LossCurveWebviewMessage, lossCurveStringKeys,
  type LossCurveHostMessage, type LossRun,
} from '../shared/protocol/lossCurve';
import { importCurves } from '../core/curves/importers';
import { diagnose, evidenceLines } from '../core/curves/diagnose';
import type { RunCurves } from '../core/curves/types';
import { webviewHtml, webviewOptions } from './webviewHtml';

const RELOAD_DELAY_MS = 200;
/** File watchers can miss changes (new folders, files outside the workspace, network drives): also poll. */
const POLL_MS = 2_000;

/**
 * The loss curves of one training log file (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl or our
 * events.jsonl) with the convergence diagnosis. One panel per file; it re-reads the file whenever it changes on
 * disk, so a run that is still writing its log updates live.
 */
export class LossCurvePanel extends Disposable {
  static readonly viewType = 'finetune.lossCurve';
  private static readonly open = new Map<string, LossCurvePanel>();
  private readonly peer: RpcPeer<LossCurveWebviewMessage, LossCurveHostMessage>;
  private markReady: () => void = () => undefined;
  /** Resolves when the page's script has run, said 'ready' and got its first content. */
  readonly ready = new Promise<void>((resolve) => { this.markReady = resolve; });
  /** The run last sent to the webview, or the error shown instead. */
  last: { run: LossRun } | { error: string } | undefined;
  private curves: RunCurves | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** mtime and size of the file when it was last read. */
  private seen: string | undefined;

  static show(extensionUri: vscode.Uri, file: vscode.Uri, log: (s: string) => void): LossCurvePanel {
    const key = file.toString();
    const existing = LossCurvePanel.open.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      void existing.reload();
      return existing;
    }
    const title = vscode.l10n.t('Loss: {0}', path.basename(file.path));
    const panel = vscode.window.createWebviewPanel(LossCurvePanel.viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      ...webviewOptions(extensionUri), retainContextWhenHidden: false,
    });
    const created = new LossCurvePanel(panel, extensionUri, file, log);
    LossCurvePanel.open.set(key, created);
    created.register({ dispose: () => { if (LossCurvePanel.open.get(key) === created) LossCurvePanel.open.delete(key); } });
    return created;
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly file: vscode.Uri, log: (s: string) => void) {
    super();
    this.register(panel);
    this.register({ dispose: () => { this.closed = true; } });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'lossCurve', panel.title);
    this.peer = new RpcPeer<LossCurveWebviewMessage, LossCurveHostMessage>(
      { post: (m) => { if (!this.closed) void panel.webview.postMessage(m); }, listen: (cb) => panel.webview.onDidReceiveMessage(cb) },
      LossCurveWebviewMessage,
      (message) => this.handle(message),
      (problem) => log(`${LossCurvePanel.viewType}: the webview sent an invalid message: ${problem}`),
    );
    this.register({ dispose: () => this.peer.dispose() });
    this.register({ dispose: () => clearTimeout(this.reloadTimer) });
    const dir = vscode.Uri.joinPath(file, '..');
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.basename(file.path))));
    const changed = () => this.scheduleReload();
    this.register(watcher.onDidChange(changed));
    this.register(watcher.onDidCreate(changed));
    this.register(watcher.onDidDelete(changed));
    const poll = setInterval(() => void this.pollFile(), POLL_MS);
    this.register({ dispose: () => clearInterval(poll) });
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  private async pollFile(): Promise<void> {
    if (this.seen === undefined) return;
    const now = await vscode.workspace.fs.stat(this.file).then((s) => `${s.mtime}:${s.size}`, () => 'missing');
    if (now !== this.seen) this.scheduleReload();
  }

  private async handle(message: LossCurveWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: lossCurveStrings() });
        await this.reload();
        this.markReady();
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
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(this.file));
      const { curves, skipped } = importCurves(this.file.fsPath, text);
      const run = toRun(fileName, curves, skipped.length);
      this.curves = curves;
      this.last = { run };
      this.peer.notify({ type: 'run', run });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const error = vscode.l10n.t('Cannot read {0} as a training log: {1}', fileName, reason);
      this.curves = undefined;
      this.last = { error };
      this.peer.notify({ type: 'error', message: error });
    }
  }

  /** Writes `<log>.curves.csv` beside the log and says where. */
  async exportCsv(): Promise<vscode.Uri | undefined> {
    if (!this.curves) return undefined;
    const target = this.file.with({ path: this.file.path + '.curves.csv' });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(curvesCsv(this.curves)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Wrote the curves to {0}.', vscode.workspace.asRelativePath(target)));
    return target;
  }
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function toRun(fileName: string, curves: RunCurves, skippedLines: number): LossRun {
  const locale = coreLocale();
  const d = diagnose(curves, { locale });
  const points = (ps: RunCurves['train']) => ps.map((p) => ({ step: p.step, ...(p.epoch !== undefined ? { epoch: p.epoch } : {}), loss: finiteOrNull(p.loss) }));
  return {
    fileName,
    source: curves.source,
    train: points(curves.train),
    eval: points(curves.eval),
    learningRate: curves.learningRate.filter((p) => Number.isFinite(p.value)),
    checkpoints: curves.checkpoints.map((c) => ({ step: c.step, ...(c.path !== undefined ? { path: c.path } : {}) })),
    ...(curves.totalSteps !== undefined ? { totalSteps: curves.totalSteps } : {}),
    verdict: d.verdict,
    reason: d.reason,
    advice: d.advice,
    ...(d.bestStep !== undefined ? { bestStep: d.bestStep } : {}),
    evidence: evidenceLines(d.evidence, locale),
    skippedLines,
  };
}

/** One row per logged step: step, epoch, train loss, eval loss, learning rate, checkpoint. */
export function curvesCsv(curves: RunCurves): string {
  interface Row { epoch?: number; train?: number; eval?: number; lr?: number; checkpoint?: string }
  const rows = new Map<number, Row>();
  const row = (step: number) => { let r = rows.get(step); if (!r) rows.set(step, (r = {})); return r; };
  for (const p of curves.train) { const r = row(p.step); r.train = p.loss; if (p.epoch !== undefined) r.epoch = p.epoch; }
  for (const p of curves.eval) { const r = row(p.step); r.eval = p.loss; if (p.epoch !== undefined) r.epoch ??= p.epoch; }
  for (const p of curves.learningRate) row(p.step).lr = p.value;
  for (const c of curves.checkpoints) row(c.step).checkpoint = c.path ?? `checkpoint-${c.step}`;
  const cell = (v: number | string | undefined) => {
    if (v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = ['step,epoch,train_loss,eval_loss,learning_rate,checkpoint'];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) {
    const r = rows.get(step)!;
    lines.push([step, r.epoch, r.train, r.eval, r.lr, r.checkpoint].map(cell).join(','));
  }
  return lines.join('\n') + '\n';
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
