import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { buildDetail, type EvalRunFiles, type EvalRunMeta } from '../../core/eval';
import { scoreRunWithProgress } from './scoring';
import { EvalDetailWebviewMessage, evalDetailStringKeys, type EvalDetail, type EvalDetailHostMessage } from '../../shared/protocol/evalDetail';
import { resolveStored } from './runs';
import { requireTrust } from '../../platform/workspaceTrust';
import { PanelSlot, WebviewPanelHost } from '../../platform/webview/panelBase';

/**
 * One eval run sample by sample: prompt, reference, each model's answer with its diff against the reference and
 * its scores. One panel per run. The page keeps its sort, filter and scroll position in its saved state, and asks
 * for the run again when it is shown anew.
 */
export class EvalDetailPanel extends WebviewPanelHost<EvalDetailWebviewMessage, EvalDetailHostMessage> {
  static readonly viewType = 'finetune.evalDetail';
  private static readonly slot = new PanelSlot<EvalDetailPanel>();
  /** The detail last sent, or the error shown instead. */
  last: { detail: EvalDetail } | { error: string } | undefined;

  static show(ctx: EvalCtx, files: EvalRunFiles): EvalDetailPanel {
    return EvalDetailPanel.slot.show(
      files.dir,
      (panel) => {
        panel.panel.reveal(undefined, true);
        void panel.reload();
      },
      () => new EvalDetailPanel(
        WebviewPanelHost.createPanel(ctx.extensionUri, EvalDetailPanel.viewType, panelTitle(path.basename(files.dir))),
        ctx, files,
      ),
    );
  }

  private constructor(panel: vscode.WebviewPanel, private readonly ctx: EvalCtx, readonly files: EvalRunFiles) {
    super(panel, ctx.extensionUri, { viewType: EvalDetailPanel.viewType, bundle: 'evalDetail', title: panel.title, incoming: EvalDetailWebviewMessage }, (s) => ctx.log.warn(s));
  }

  protected async handle(message: EvalDetailWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: evalDetailStrings() });
        await this.reload();
        this.pageReady();
        return null;
      case 'reveal':
        await this.revealSample(message.index);
        return null;
      case 'compare':
        await vscode.commands.executeCommand('finetune.compareEvaluations', [this.files.dir]);
        return null;
      case 'rescore':
        await this.rescore(message.segmentation);
        return null;
      case 'addModel':
        // The command shows this panel again when a model was added, which reloads it.
        await vscode.commands.executeCommand('finetune.addModelToEvaluation', this.files.dir);
        return null;
    }
  }

  /** Scores the run again with another ROUGE segmentation, and shows the new scores. */
  async rescore(segmentation: EvalRunMeta['segmentation']): Promise<void> {
    if (!requireTrust(vscode.l10n.t('store eval runs'))) return;
    const meta = { ...(await this.files.readMeta()), segmentation };
    if (await scoreRunWithProgress(this.ctx.metrics, this.files, meta)) await this.files.writeMeta(meta);
    await this.reload();
  }

  /** Reads the run's files and sends the page every sample. */
  async reload(): Promise<void> {
    try {
      const meta = await this.files.readMeta();
      const [predictions, scores] = await Promise.all([this.files.readPredictions(meta), this.files.readScores()]);
      const detail = buildDetail(meta, predictions, scores, meta.models.map((m) => m.name).join(' · '));
      // The tab says which models, not the run's id (several eval tabs are told apart by it).
      this.panel.title = panelTitle(detail.title || meta.id);
      this.last = { detail };
      this.peer.notify({ type: 'detail', detail });
    } catch (err) {
      const error = vscode.l10n.t('Cannot read the eval run {0}: {1}', vscode.workspace.asRelativePath(this.files.dir), err instanceof Error ? err.message : String(err));
      this.last = { error };
      this.peer.notify({ type: 'error', message: error });
    }
  }

  /** Opens the test set at the sample's line. */
  async revealSample(index: number): Promise<void> {
    if (!this.last || !('detail' in this.last)) return;
    const { testSet, rows } = this.last.detail;
    const line = rows.find((r) => r.index === index)?.line;
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!testSet || line === undefined || !workspace) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This eval run does not know its test set file.'));
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(resolveStored(workspace, testSet)));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const position = new vscode.Position(Math.min(line, doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
}

function panelTitle(what: string): string {
  return vscode.l10n.t('Evaluation: {0}', what);
}

function evalDetailStrings(): Record<string, string> {
  const strings: Record<(typeof evalDetailStringKeys)[number], string> = {
    title: vscode.l10n.t('Evaluation'),
    prompt: vscode.l10n.t('Prompt'),
    reference: vscode.l10n.t('Reference'),
    search: vscode.l10n.t('Search prompts and answers'),
    sortBy: vscode.l10n.t('Sort by'),
    sortIndex: vscode.l10n.t('Sample order'),
    sortDrop: vscode.l10n.t('Largest drop against the base'),
    sortScore: vscode.l10n.t('Score'),
    model: vscode.l10n.t('Model'),
    diffWords: vscode.l10n.t('Word diff'),
    diffCharacters: vscode.l10n.t('Character diff'),
    noAnswer: vscode.l10n.t('(no answer)'),
    shown: vscode.l10n.t('{0} of {1} samples shown'),
    openSample: vscode.l10n.t('Open this sample in the test set'),
    compare: vscode.l10n.t('Compare Models'),
    ascending: vscode.l10n.t('Lowest first'),
    descending: vscode.l10n.t('Highest first'),
    base: vscode.l10n.t('base'),
    segmentation: vscode.l10n.t('ROUGE words'),
    testSet: vscode.l10n.t('Test Set'),
    segJieba: vscode.l10n.t('jieba (Chinese, as LLaMA-Factory)'),
    segWhitespace: vscode.l10n.t('split at whitespace'),
    segCharacter: vscode.l10n.t('characters'),
    addModel: vscode.l10n.t('Add a Model to This Run…'),
    sharedPrompt: vscode.l10n.t('Shared by every prompt (shown once)'),
  };
  return strings;
}
