import * as vscode from 'vscode';
import type { EvalCtx } from './context';
import { summariseRun, type EvalRunFiles } from '../../core/eval';
import { EvalCompareWebviewMessage, evalCompareStringKeys, type CompareRun, type EvalCompareHostMessage } from '../../shared/protocol/evalCompare';
import { evalWorkspace, pickEvalRuns } from './runs';
import { EvalDetailPanel } from './detailPanel';
import { PanelSlot, WebviewPanelHost } from '../../platform/webview/panelBase';

/**
 * BLEU-4 / ROUGE-1/2/L of the models of one or several eval runs: bars, radar and a table with deltas against each
 * run's base model. One panel; showing it again with other runs replaces them.
 */
export class EvalComparePanel extends WebviewPanelHost<EvalCompareWebviewMessage, EvalCompareHostMessage> {
  static readonly viewType = 'finetune.evalCompare';
  private static readonly slot = new PanelSlot<EvalComparePanel>();
  /** What the page was last sent. */
  last: { runs: CompareRun[]; problems: string[] } | undefined;

  static show(ctx: EvalCtx, runs: EvalRunFiles[]): EvalComparePanel {
    return EvalComparePanel.slot.show(
      'compare',
      (panel) => {
        panel.runs = runs;
        panel.panel.reveal(undefined, true);
        void panel.reload();
      },
      () => new EvalComparePanel(WebviewPanelHost.createPanel(ctx.extensionUri, EvalComparePanel.viewType, vscode.l10n.t('Compare Models')), ctx, runs),
    );
  }

  private constructor(panel: vscode.WebviewPanel, private readonly ctx: EvalCtx, private runs: EvalRunFiles[]) {
    super(panel, ctx.extensionUri, { viewType: EvalComparePanel.viewType, bundle: 'evalCompare', title: panel.title, incoming: EvalCompareWebviewMessage }, (s) => ctx.log.warn(s));
  }

  protected async handle(message: EvalCompareWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: evalCompareStrings() });
        await this.reload();
        this.pageReady();
        return null;
      case 'pickRuns': {
        const workspace = evalWorkspace();
        const picked = workspace && (await pickEvalRuns(workspace, true));
        if (picked) {
          this.runs = picked;
          await this.reload();
        }
        return null;
      }
      case 'openRun': {
        const files = this.runs.find((r) => r.dir === message.dir);
        if (files) EvalDetailPanel.show(this.ctx, files);
        return null;
      }
    }
  }

  async reload(): Promise<void> {
    const runs: CompareRun[] = [];
    const problems: string[] = [];
    for (const files of this.runs) {
      try {
        const meta = await files.readMeta();
        const models = summariseRun(meta, await files.readScores());
        runs.push({ runId: meta.id, dir: files.dir, created: meta.created, ...(meta.testSet ? { testSet: meta.testSet } : {}), models });
      } catch (err) {
        problems.push(vscode.l10n.t('Cannot read the eval run {0}: {1}', vscode.workspace.asRelativePath(files.dir), err instanceof Error ? err.message : String(err)));
      }
    }
    this.last = { runs, problems };
    this.peer.notify({ type: 'runs', runs, problems });
  }
}

function evalCompareStrings(): Record<string, string> {
  const strings: Record<(typeof evalCompareStringKeys)[number], string> = {
    title: vscode.l10n.t('Compare Models'),
    run: vscode.l10n.t('Eval run'),
    model: vscode.l10n.t('Model'),
    kind: vscode.l10n.t('Kind'),
    samples: vscode.l10n.t('Samples'),
    delta: vscode.l10n.t('Δ vs base'),
    base: vscode.l10n.t('base'),
    pickRuns: vscode.l10n.t('Choose Eval Runs…'),
    openRun: vscode.l10n.t('Open samples'),
    bars: vscode.l10n.t('Scores by model'),
    radar: vscode.l10n.t('Profile'),
    table: vscode.l10n.t('Table'),
    noScores: vscode.l10n.t('None of these eval runs has scores yet.'),
    'kind.base': vscode.l10n.t('base model'),
    'kind.finetuned': vscode.l10n.t('fine-tuned'),
    'kind.endpoint': vscode.l10n.t('endpoint'),
    'kind.imported': vscode.l10n.t('imported'),
  };
  return strings;
}
