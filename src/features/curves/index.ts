// Curves: training logs (ours, HF Trainer's, LLaMA-Factory's) read into loss curves with a convergence verdict, in
// their own worker thread, shown and followed live in the loss-curve panel.
import * as vscode from 'vscode';
import type { Platform } from '../../platform/context';
import { registerCommands, type CommandTable } from '../../platform/commands';
import { coreLocale } from '../../platform/locale';
import type { LossRun } from '../../shared/protocol/lossCurve';
import { CurvesWorkerClient } from './workerClient';
import { sourceByName } from '../../core/curves/importers';
import { LossCurvePanel, pickLogFiles } from './lossCurvePanel';

export { LossCurvePanel, pickLogFiles } from './lossCurvePanel';
export { verdictLabels } from './verdictLabels';

export interface CurvesApi {
  /** A training log's curves and verdict; rejects with the reason it is not one. */
  lossRun(file: string, displayName: string): Promise<LossRun>;
  /** Opens (or reveals) the loss-curve panel for these logs, overlaid. */
  open(files: vscode.Uri | readonly vscode.Uri[], title?: string): LossCurvePanel;
}

type CurvesCtx = Platform & { worker: CurvesWorkerClient };

const curvesCommands = {
  /**
   * Opens the loss curves and the convergence diagnosis of training logs, overlaid: the given files (the explorer
   * passes the clicked file and the selection; a caller may pass an array), else the active editor's log, else
   * those picked.
   */
  'finetune.openTrainingLog': async (ctx: CurvesCtx, uri?: vscode.Uri | vscode.Uri[], selected?: vscode.Uri[]): Promise<LossCurvePanel | undefined> => {
    const given = [uri, ...(Array.isArray(selected) ? selected : [])].flat().filter((u): u is vscode.Uri => u instanceof vscode.Uri);
    let files = [...new Map(given.map((u) => [u.toString(), u])).values()];
    const active = vscode.window.activeTextEditor?.document.uri;
    if (!files.length && active && sourceByName(active.path)) files = [active];
    if (!files.length) files = (await pickLogFiles(true)) ?? [];
    return files.length ? LossCurvePanel.open(ctx, files) : undefined;
  },
} satisfies CommandTable<CurvesCtx>;

export function registerCurves(platform: Platform): CurvesApi {
  const worker = platform.register(new CurvesWorkerClient(platform.extensionPath, (line) => platform.log.warn(line)));
  const ctx: CurvesCtx = { ...platform, worker };
  registerCommands(platform, ctx, curvesCommands);
  return {
    lossRun: (file, displayName) => worker.lossRun(file, displayName, coreLocale()),
    open: (files, title) => LossCurvePanel.open(ctx, files, title),
  };
}
