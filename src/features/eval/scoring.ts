import * as vscode from 'vscode';
import type { EvalRunFiles, EvalRunMeta, ScoresFile } from '../../core/eval';
import { ScoringCancelled, type MetricsWorkerClient } from './metricsWorkerClient';

/**
 * Scores every model of a run that has answers, in the metrics worker, and writes scores.json. `report`
 * gets a line per model with its share of the work done. Throws ScoringCancelled when `token` is cancelled.
 */
export async function scoreRun(
  metrics: MetricsWorkerClient,
  files: EvalRunFiles,
  meta: EvalRunMeta,
  report: (message: string, fraction: number) => void,
  token?: vscode.CancellationToken,
): Promise<ScoresFile> {
  const predictions = await files.readPredictions(meta);
  const total = [...predictions.values()].reduce((n, rows) => n + rows.length, 0) || 1;
  const scores: ScoresFile = { version: 1, segmentation: meta.segmentation, models: {} };
  const controller = new AbortController();
  const sub = token?.onCancellationRequested(() => controller.abort());
  let before = 0;
  try {
    for (const model of meta.models) {
      const rows = predictions.get(model.id) ?? [];
      if (rows.length === 0) continue;
      scores.models[model.id] = await metrics.score(
        rows.map((r) => ({ predict: r.predict, label: r.label })),
        meta.segmentation,
        {
          signal: controller.signal,
          progress: (done) => report(vscode.l10n.t('Scoring {0}: {1}/{2}', model.name, done, rows.length), (before + done) / total),
        },
      );
      before += rows.length;
      // Texts too long for an exact ROUGE-L in seconds (src/core/metrics/rouge.ts); each sample has rougeLCut.
      const cut = scores.models[model.id]!.samples.filter((s) => s.rougeLCut);
      if (cut.length > 0) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0}: in {1} samples ROUGE-L compared only the first {2} words of each side (their texts are longer); ROUGE-1/2 and BLEU-4 took the whole texts.',
          model.name, cut.length, cut[0]!.rougeLCut!.limit.toLocaleString('en-US')));
      }
    }
  } finally {
    sub?.dispose();
  }
  if (controller.signal.aborted) throw new ScoringCancelled();
  await files.writeScores(scores);
  return scores;
}

/** scoreRun in a cancellable notification; true when scores.json was written (a failure is shown to the user). */
export async function scoreRunWithProgress(metrics: MetricsWorkerClient, files: EvalRunFiles, meta: EvalRunMeta): Promise<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Scoring predictions'), cancellable: true },
    async (progress, token) => {
      let last = 0;
      await scoreRun(metrics, files, meta, (message, fraction) => {
        progress.report({ message, increment: (fraction - last) * 100 });
        last = fraction;
      }, token);
      return true;
    },
  ).then((ok) => ok, (err: unknown) => {
    if (!(err instanceof ScoringCancelled)) void vscode.window.showErrorMessage(vscode.l10n.t('Scoring failed: {0}', err instanceof Error ? err.message : String(err)));
    return false;
  });
}
