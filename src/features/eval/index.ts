// Eval: eval runs under .finetune/evals (imported predictions, an OpenAI-compatible endpoint's answers, a job's
// model and its base on a test set), scored with BLEU-4 / ROUGE as LLaMA-Factory scores them in a worker thread,
// the sample-by-sample view and the comparison. Uses the jobs feature to run a job's model.
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { JobsApi } from '../jobs';
import { MetricsWorkerClient } from './metricsWorkerClient';
import { evalCommands } from './commands';
import type { EvalCtx } from './context';

export interface EvalApi {
  readonly metrics: MetricsWorkerClient;
}

export function registerEval(platform: Platform, jobs: JobsApi): EvalApi {
  const metrics = platform.register(new MetricsWorkerClient(platform.extensionPath, (line) => platform.log.warn(line)));
  const ctx: EvalCtx = { ...platform, metrics, jobs };
  registerCommands(platform, ctx, evalCommands);
  return { metrics };
}
