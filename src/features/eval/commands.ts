import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EvalCtx } from './context';
import { EvalRunFiles } from '../../core/eval';
import { evalWorkspace, pickEvalRuns } from './runs';
import { EvalDetailPanel } from './detailPanel';
import { EvalComparePanel } from './comparePanel';
import { importPredictions } from './importPredictions';
import { evaluateEndpoint } from './endpoint';
import { evaluateJob } from './evaluateJob';
import { checkExportParity } from './parityGate';
import { addModelToRun, type AddedFile } from './addModel';
import type { CommandTable } from '../../platform/commands';

/** An eval run folder from a command argument: the folder, its eval.json, or a file in it (as a Uri or a path). */
function runFromArg(arg: unknown): EvalRunFiles | undefined {
  const fsPath = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (!fsPath) return undefined;
  return new EvalRunFiles(/\.(json|jsonl)$/i.test(fsPath) ? path.dirname(fsPath) : fsPath);
}

/** Fine-tune: Open Evaluation — the given run, the run of the active eval.json, or one picked. */
export async function openEvaluation(ctx: EvalCtx, arg?: unknown): Promise<EvalDetailPanel | undefined> {
  let files = runFromArg(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!files && active && /[\\/]\.finetune[\\/]evals[\\/][^\\/]+[\\/]/.test(active.fsPath)) files = runFromArg(active);
  if (!files) {
    const workspace = evalWorkspace();
    files = workspace ? (await pickEvalRuns(workspace, false))?.[0] : undefined;
  }
  return files && EvalDetailPanel.show(ctx, files);
}

/** Fine-tune: Compare Evaluations — the given runs (folders or paths), or those picked. */
export async function compareEvaluations(ctx: EvalCtx, arg?: unknown): Promise<EvalComparePanel | undefined> {
  let runs = Array.isArray(arg) ? arg.map(runFromArg).filter((r): r is EvalRunFiles => r !== undefined) : [];
  if (runs.length === 0) {
    const workspace = evalWorkspace();
    runs = (workspace && (await pickEvalRuns(workspace, true))) || [];
  }
  return runs.length > 0 ? EvalComparePanel.show(ctx, runs) : undefined;
}

/**
 * Fine-tune: Add a Model to an Evaluation… — another predictions file into the given run (folder or path; the eval
 * view's button passes its own), else one picked; then shows the run with the new model's scores and deltas.
 * `request` skips the file dialog and the name (tests).
 */
export async function addModelToEvaluation(ctx: EvalCtx, arg?: unknown, request?: AddedFile[]): Promise<EvalDetailPanel | undefined> {
  let files = runFromArg(arg);
  if (!files) {
    const workspace = evalWorkspace();
    files = workspace ? (await pickEvalRuns(workspace, false))?.[0] : undefined;
  }
  if (!files || !(await addModelToRun(ctx, files, request))) return undefined;
  return EvalDetailPanel.show(ctx, files);
}

/** The evaluation commands. */
export const evalCommands = {
  'finetune.importPredictions': importPredictions,
  'finetune.openEvaluation': openEvaluation,
  'finetune.compareEvaluations': compareEvaluations,
  'finetune.addModelToEvaluation': addModelToEvaluation,
  'finetune.evaluateEndpoint': evaluateEndpoint,
  'finetune.evaluateJob': evaluateJob,
  'finetune.checkExportParity': checkExportParity,
} satisfies CommandTable<EvalCtx>;
