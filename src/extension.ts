import * as vscode from 'vscode';
import { createPlatform, type Platform } from './platform/context';
import { registerTokens, type TokensApi } from './features/tokens';
import { registerDataset, type DatasetApi } from './features/dataset';
import { registerCurves, type CurvesApi } from './features/curves';
import { registerJobs, type JobsApi } from './features/jobs';
import { registerEval, type EvalApi } from './features/eval';
import { registerModels, type ModelsApi } from './features/models';

/** What activate() returns: each feature's API, used by the integration tests and by other extensions. */
export interface FinetuneStudioApi {
  /** Milliseconds from the start of loading the bundle to the end of activate(). */
  readonly activationMs: number;
  /** The part of it spent loading the bundle, before activate() ran. */
  readonly loadMs: number;
  readonly platform: Platform;
  readonly tokens: TokensApi;
  readonly dataset: DatasetApi;
  readonly curves: CurvesApi;
  readonly jobs: JobsApi;
  readonly eval: EvalApi;
  readonly models: ModelsApi;
}

export function activate(context: vscode.ExtensionContext): FinetuneStudioApi {
  const activateStart = performance.now();
  const started = (globalThis as { __finetuneLoadStart?: number }).__finetuneLoadStart ?? activateStart;
  // The platform first, then each feature on the ones below it: eval → jobs → curves → dataset → tokens; models on jobs.
  const platform = createPlatform(context);
  const tokens = registerTokens(platform);
  const dataset = registerDataset(platform, tokens);
  const curves = registerCurves(platform);
  const jobs = registerJobs(platform, { tokens, dataset, curves });
  const evaluation = registerEval(platform, jobs);
  const models = registerModels(platform, jobs);
  const activationMs = performance.now() - started;
  const loadMs = activateStart - started;
  platform.log.info(`activated in ${activationMs.toFixed(1)} ms (loading the bundle: ${loadMs.toFixed(1)} ms)`);
  return { activationMs, loadMs, platform, tokens, dataset, curves, jobs, eval: evaluation, models };
}

export function deactivate(): void {
  // Everything is owned by the platform, which VS Code disposes through context.subscriptions.
}
