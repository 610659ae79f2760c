// The export parity gate (Fine-tune: Check Export Parity): the first test samples of a job's test set answered by
// the job's adapter model (the trainer's predict) and by an export of it — a merged folder through the same predict
// with no adapter, an ONNX folder through the local engine in its worker — greedily both, with the same token budget.
// Both answer sets go into one eval run (the adapter as its base), so the detail view shows them side by side and
// sorts by the export's drop; the verdict compares ROUGE-L. Ollama exports cannot run here: not checked.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { createEvalRun, EvalRunFiles, type EvalModel, type EvalRunMeta, type StoredPrediction } from '../../core/eval';
import { exportKindOf, paritySubset, parityVerdict, settingNumber, PARITY_METRIC, PARITY_RANGES, type ExportKind, type ParityVerdict } from '../../core/eval/parity';
import { readJobRecord } from '../../core/jobs/jobStore';
import { readErrorReason } from '../../core/regularFile';
import { coreLocale } from '../../platform/locale';
import { writeFileAtomic } from '../../core/safeFiles';
import { JobSpec } from '../../shared/jobSpec';
import { ParityResult } from '../../shared/modelRegistry';
import type { JobRecord } from '../../shared/job';
import { answerWithEngine, AnswersCancelled } from '../../inference/engineAnswers';
import { openOnnxEngine } from '../../platform/onnxEngine';
import { requireTrust } from '../../platform/workspaceTrust';
import { askTestSet } from './importPredictions';
import { readPredictionsFile } from './predictionsFile';
import { evalWorkspace, storedPath } from './runs';
import { readEvalSamples } from './samples';
import { scoreRun } from './scoring';
import { EvalDetailPanel } from './detailPanel';
import { keepRunWithJob } from './evaluateJob';

/** The gate's outcome: the comparison (and its eval run), or why it could not run (the user was told). */
export type ParityCheck =
  | { checked: true; parity: ParityResult; run: string; promptsDiffer: number }
  | { checked: false; reason: string };

export interface ParityOptions {
  /** The export's kind when the caller knows it (the folder may be on a remote backend); else read from the folder. */
  format?: ExportKind;
  /** The test set (default: the job's `dataset.eval`, else `finetune.dataset.evalFile`, else asked when `ask`). */
  testSet?: string;
  samples?: number;
  threshold?: number;
  /** Ask for what is missing (the job, the export folder, a test set); default true. */
  ask?: boolean;
}

const ADAPTER_ID = 'adapter';
const EXPORT_ID = 'export';
const SUBSET_FILE = 'parity-samples.jsonl';

/**
 * Fine-tune: Check Export Parity — `job` is `{ dir }` of a finished job, `exportFolder` one of its exports. Returns
 * undefined only when a question was dismissed.
 */
export async function checkExportParity(ctx: EvalCtx, job?: { dir: string }, exportFolder?: string, options: ParityOptions = {}): Promise<ParityCheck | undefined> {
  const ask = options.ask !== false;
  if (!requireTrust(vscode.l10n.t('check an export'))) return notChecked(vscode.l10n.t('The workspace is not trusted.'), false);
  const dir = job?.dir ?? (ask ? await pickJob(ctx) : undefined);
  if (!dir) return ask ? undefined : notChecked(vscode.l10n.t('No job was given.'));
  let record: JobRecord;
  try {
    record = await readJobRecord(dir);
  } catch (err) {
    return notChecked(vscode.l10n.t('Cannot read the job in {0}: {1}', vscode.workspace.asRelativePath(dir), err instanceof Error ? err.message : String(err)));
  }
  const folder = typeof exportFolder === 'string' && exportFolder ? exportFolder : ask ? await pickExportFolder(ctx, dir) : undefined;
  if (!folder) return ask ? undefined : notChecked(vscode.l10n.t('No export folder was given.'));
  const kind = options.format ?? (await exportKindOfFolder(folder));
  if (!kind) return notChecked(vscode.l10n.t('{0} is not an export this can check: it holds no ONNX graph, no merged weights and no Ollama `Modelfile`.', folder));
  if (kind === 'ollama') {
    return notChecked(vscode.l10n.t('Not checked: an Ollama export runs only in Ollama, which the extension cannot start here. After `ollama create`, evaluate it with Evaluate Endpoint (http://127.0.0.1:11434/v1).'), 'info');
  }
  const workspace = evalWorkspace(vscode.Uri.file(dir));
  if (!workspace) return notChecked(vscode.l10n.t('No workspace folder is open.'), false);
  const testSet = options.testSet ?? jobTestSet(record, workspace) ?? (ctx.config.evalFile ? path.resolve(workspace, ctx.config.evalFile) : undefined)
    ?? (ask ? (await askTestSet(ctx, vscode.l10n.t('Test set for the parity check of "{0}"', record.name), false)) ?? undefined : undefined);
  if (!testSet) return notChecked(vscode.l10n.t('Not checked: job "{0}" has no test set file. Set "dataset.eval" in its job file or the setting finetune.dataset.evalFile.', record.name));

  let read: Awaited<ReturnType<typeof readEvalSamples>>;
  try {
    read = await readEvalSamples(testSet);
  } catch (err) {
    return notChecked(vscode.l10n.t('Cannot read {0}: {1}', vscode.workspace.asRelativePath(testSet), readErrorReason(err, coreLocale())));
  }
  const { samples, sampleLines } = read;
  if (samples.length === 0) return notChecked(vscode.l10n.t('{0} has no samples with an assistant answer to evaluate.', vscode.workspace.asRelativePath(testSet)));
  // A caller's figures are held to the settings' ranges, as the settings themselves are.
  const wanted = settingNumber(options.samples, ctx.config.paritySamples, PARITY_RANGES.samples.min, PARITY_RANGES.samples.max, true);
  const threshold = settingNumber(options.threshold, ctx.config.parityThreshold, PARITY_RANGES.threshold.min, PARITY_RANGES.threshold.max);
  const subset = paritySubset(read.text, sampleLines, wanted);
  const chosen = samples.slice(0, subset.lines.length);

  const exportName = `${record.name} · ${path.basename(folder)}`;
  const models: EvalModel[] = [
    { id: ADAPTER_ID, name: vscode.l10n.t('{0} (adapter)', record.name), kind: 'finetuned', source: storedPath(workspace, dir), status: 'running', isBase: true },
    { id: EXPORT_ID, name: exportName, kind: 'finetuned', source: storedPath(workspace, folder), status: 'pending', isBase: false },
  ];
  const created = await createEvalRun(workspace, { testSet: storedPath(workspace, testSet), sampleLines: subset.lines, segmentation: 'jieba', models });
  const files = created.files;
  let meta = created.meta;
  const setStatus = async (id: string, status: EvalModel['status'], message?: string) => {
    meta = { ...meta, models: meta.models.map((m) => (m.id === id ? { ...m, status, ...(message ? { message } : {}) } : m)) };
    await files.writeMeta(meta);
  };
  // The trainer reads the chosen lines as they are, from a file of their own kept with the run.
  const subsetFile = path.join(files.dir, SUBSET_FILE);
  await writeFileAtomic(subsetFile, subset.text);

  const adapter = await ctx.jobs.runTask(dir, 'predict', { testSet: subsetFile, label: models[0]!.name });
  const adapterRows = adapter?.artifacts['predictions'] ? await readPredictionsFile(adapter.artifacts['predictions']) : undefined;
  if (!adapter || !adapterRows) {
    await setStatus(ADAPTER_ID, 'failed');
    return notChecked(vscode.l10n.t('Not checked: the adapter model of "{0}" did not answer the test samples.', record.name), false);
  }
  await files.writePredictions(models[0]!, adapterRows);
  await setStatus(ADAPTER_ID, 'done');
  await setStatus(EXPORT_ID, 'running');

  // The same budget as predict's (it reports it); 1024 is predict's own cap, for a trainer too old to report it.
  const maxTokens = adapter.metrics['max_new_tokens'] ?? 1024;
  let exportRows: StoredPrediction[] | string | undefined;
  if (kind === 'merged') {
    const answered = await ctx.jobs.runTask(dir, 'predict', { testSet: subsetFile, load: folder, label: exportName });
    const file = answered?.artifacts['predictions'];
    exportRows = file ? await readPredictionsFile(file) : undefined;
  } else {
    exportRows = await answerWithOnnx(ctx, folder, exportName, chosen, maxTokens);
  }
  if (!Array.isArray(exportRows)) {
    const reason = exportRows ?? vscode.l10n.t('the export did not answer the test samples');
    await setStatus(EXPORT_ID, 'failed', reason);
    return notChecked(vscode.l10n.t('Not checked: {0}', reason), typeof exportRows === 'string');
  }
  await files.writePredictions(models[1]!, exportRows);
  await setStatus(EXPORT_ID, 'done');
  const promptsDiffer = kind === 'onnx' ? countDifferentPrompts(adapterRows, exportRows) : 0;

  const verdict = await scoreAndJudge(ctx, files, meta, threshold);
  if (typeof verdict === 'string') return notChecked(vscode.l10n.t('Not checked: scoring failed: {0}', verdict));
  const parity = ParityResult.parse({
    exportEval: storedPath(workspace, files.dir), adapterEval: storedPath(workspace, files.dir),
    metric: verdict.metric, exportScore: verdict.exportScore, adapterScore: verdict.adapterScore,
    samples: verdict.samples, flagged: verdict.flagged, threshold: verdict.threshold,
  });
  await keepRunWithJob(ctx, dir, files.dir);
  notifyVerdict(ctx, files, exportName, verdict, promptsDiffer);
  return { checked: true, parity, run: files.dir, promptsDiffer };
}

/** The job's own eval file (`dataset.eval` of its spec), resolved in the workspace. */
function jobTestSet(record: JobRecord, workspace: string): string | undefined {
  const spec = JobSpec.safeParse(record.spec);
  const file = spec.success ? spec.data.dataset.eval : undefined;
  return file ? path.resolve(workspace, file) : undefined;
}

async function exportKindOfFolder(folder: string): Promise<ExportKind | undefined> {
  const names = await fs.readdir(folder).catch(() => undefined);
  if (!names) return undefined;
  return exportKindOf(names, await fs.readdir(path.join(folder, 'onnx')).catch(() => []));
}

/** The ONNX export's answers, or a sentence saying why it gave none (undefined: cancelled). */
async function answerWithOnnx(ctx: EvalCtx, folder: string, label: string, samples: Parameters<typeof answerWithEngine>[1], maxTokens: number): Promise<StoredPrediction[] | string | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating answers with "{0}"', label), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let engine: Awaited<ReturnType<typeof openOnnxEngine>> | undefined;
      try {
        engine = await openOnnxEngine(ctx.extensionPath, folder, label);
        return await answerWithEngine(engine, samples, {
          maxTokens, signal: controller.signal,
          progress: (done, total) => progress.report({ message: `${done}/${total}`, increment: 100 / total }),
        });
      } catch (err) {
        if (err instanceof AnswersCancelled) return undefined;
        return err instanceof Error ? err.message : String(err);
      } finally {
        sub.dispose();
        await engine?.dispose();
      }
    },
  );
}

/** Samples whose prompt the export's chat template renders otherwise than the trainer did (by sample index). */
function countDifferentPrompts(adapter: readonly StoredPrediction[], exported: readonly StoredPrediction[]): number {
  const byIndex = new Map(adapter.map((r) => [r.index, r.prompt]));
  return exported.filter((r) => byIndex.has(r.index) && byIndex.get(r.index) !== r.prompt).length;
}

async function scoreAndJudge(ctx: EvalCtx, files: EvalRunFiles, meta: EvalRunMeta, threshold: number): Promise<ParityVerdict | string> {
  try {
    const scores = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Scoring predictions') },
      () => scoreRun(ctx.metrics, files, meta, () => undefined),
    );
    const adapter = scores.models[ADAPTER_ID];
    const exported = scores.models[EXPORT_ID];
    if (!adapter || !exported) return vscode.l10n.t('a model has no answers');
    // Compared on the samples both answered (predict skips none; a sample the export lacks counts as a zero).
    return parityVerdict(exported.mean[PARITY_METRIC], adapter.mean[PARITY_METRIC], adapter.samples.length, threshold);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function notifyVerdict(ctx: EvalCtx, files: EvalRunFiles, exportName: string, verdict: ParityVerdict, promptsDiffer: number): void {
  const score = (x: number) => x.toFixed(2);
  const text = verdict.flagged
    ? vscode.l10n.t('Export "{0}" is flagged: ROUGE-L {1} against {2} for the adapter model on {3} test samples, {4} points lower (more than the threshold of {5}).',
      exportName, score(verdict.exportScore), score(verdict.adapterScore), verdict.samples, score(verdict.drop), String(verdict.threshold))
    : vscode.l10n.t('Export "{0}" passed the parity check: ROUGE-L {1} against {2} for the adapter model on {3} test samples (threshold {4} points).',
      exportName, score(verdict.exportScore), score(verdict.adapterScore), verdict.samples, String(verdict.threshold));
  const template = promptsDiffer > 0
    ? ` ${vscode.l10n.t('Its chat template renders {0} of the prompts differently from the one the job trained with.', promptsDiffer)}`
    : '';
  const open = vscode.l10n.t('Open Evaluation');
  const shown = verdict.flagged || promptsDiffer > 0 ? vscode.window.showWarningMessage(text + template, open) : vscode.window.showInformationMessage(text + template, open);
  void shown.then((choice) => {
    if (choice === open) EvalDetailPanel.show(ctx, files);
  });
}

/** The reason, shown to the user ('info': as information; false: already told) and returned. */
function notChecked(reason: string, show: boolean | 'info' = true): ParityCheck {
  if (show === 'info') void vscode.window.showInformationMessage(reason);
  else if (show) void vscode.window.showWarningMessage(reason);
  return { checked: false, reason };
}

async function pickJob(ctx: EvalCtx): Promise<string | undefined> {
  const models = await ctx.jobs.trainedModels();
  if (models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No finished job with a model on this machine yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(models.map((m) => ({ label: m.name, description: vscode.workspace.asRelativePath(m.dir), dir: m.dir })),
    { title: vscode.l10n.t('Check Export Parity'), placeHolder: vscode.l10n.t('The job whose export to check') });
  return picked?.dir;
}

async function pickExportFolder(ctx: EvalCtx, dir: string): Promise<string | undefined> {
  const model = await ctx.jobs.trainedModel(dir);
  const near = typeof model === 'string' ? undefined : vscode.Uri.file(path.dirname(model.folder));
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
    openLabel: vscode.l10n.t('Check This Export'), title: vscode.l10n.t('The export folder (merged or ONNX)'),
    ...(near ? { defaultUri: near } : {}),
  });
  return picked?.[0]?.fsPath;
}
