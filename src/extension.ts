import * as vscode from 'vscode';
import { createPlatform, type Platform } from './platform/context';
import { registerTokens, type TokensApi } from './features/tokens';
import { registerDataset, type DatasetApi } from './features/dataset';
import { registerCurves, type CurvesApi } from './features/curves';
import { registerJobs, registerJobsView, type JobsApi } from './features/jobs';
import { registerEval, type EvalApi } from './features/eval';
import { registerModels, registerModelsView, type ModelsApi } from './features/models';
import { registerChat, type ChatApi } from './features/chat';
import { registerDeploy, type DeployApi } from './features/deploy';

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
  readonly chat: ChatApi;
  readonly deploy: DeployApi;
}

export function activate(context: vscode.ExtensionContext): FinetuneStudioApi {
  const activateStart = performance.now();
  const started = (globalThis as { __finetuneLoadStart?: number }).__finetuneLoadStart ?? activateStart;
  // The platform first, then the views' providers: VS Code shows "There is no data provider registered" in a view
  // until its provider is registered, so nothing runs before them. The jobs tree asks the curves feature for a
  // tooltip only after activation, when `curves` is set.
  const platform = createPlatform(context);
  let curves: CurvesApi | undefined;
  const jobsTree = registerJobsView(platform, (file, name) => curves!.lossRun(file, name));
  const modelsTree = registerModelsView(platform);
  // Then each feature on the ones below it: eval → jobs → curves → dataset → tokens; models and chat on jobs; deploy on chat.
  const tokens = registerTokens(platform);
  const dataset = registerDataset(platform, tokens);
  curves = registerCurves(platform);
  const jobs = registerJobs(platform, jobsTree, { tokens, dataset, curves });
  const evaluation = registerEval(platform, jobs);
  const models = registerModels(platform, modelsTree, jobs, evaluation);
  const chat = registerChat(platform, { jobs });
  const deploy = registerDeploy(platform, { jobs, chat });
  const activationMs = performance.now() - started;
  const loadMs = activateStart - started;
  platform.log.info(`activated in ${activationMs.toFixed(1)} ms (loading the bundle: ${loadMs.toFixed(1)} ms)`);
  return { activationMs, loadMs, platform, tokens, dataset, curves, jobs, eval: evaluation, models, chat, deploy };
}

export function deactivate(): void {
  // Everything is owned by the platform, which VS Code disposes through context.subscriptions.
}
