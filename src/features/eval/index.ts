// Eval: eval runs under .finetune/evals (imported predictions, an OpenAI-compatible endpoint's answers, a job's
// model and its base on a test set), scored with BLEU-4 / ROUGE as LLaMA-Factory scores them in a worker thread,
// the sample-by-sample view and the comparison, and the export parity gate (an export against its adapter model).
// Uses the jobs feature to run a job's model.
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { JobsApi } from '../jobs';
import { MetricsWorkerClient } from './metricsWorkerClient';
import { evalCommands } from './commands';
import type { EvalCtx } from './context';
import { checkExportParity, type ParityCheck, type ParityOptions } from './parityGate';

export type { ParityCheck, ParityOptions } from './parityGate';

export interface EvalApi {
  readonly metrics: MetricsWorkerClient;
  /**
   * The export parity gate: the first `finetune.eval.paritySamples` test samples answered by the job's adapter model
   * and by the export in `exportFolder`, scored into one eval run; `flagged` when the export's ROUGE-L is lower by
   * more than `finetune.eval.parityThreshold` points. Says the verdict in a notification; `{ checked: false, reason }`
   * when it could not run (an Ollama export, no test set, a model that failed to answer).
   */
  checkExportParity(job: { dir: string }, exportFolder: string, options?: ParityOptions): Promise<ParityCheck | undefined>;
}

export function registerEval(platform: Platform, jobs: JobsApi): EvalApi {
  const metrics = platform.register(new MetricsWorkerClient(platform.extensionPath, (line) => platform.log.warn(line)));
  const ctx: EvalCtx = { ...platform, metrics, jobs };
  registerCommands(platform, ctx, evalCommands);
  return { metrics, checkExportParity: (job, exportFolder, options) => checkExportParity(ctx, job, exportFolder, { ask: false, ...options }) };
}
