import type { Platform } from '../../platform/context';
import type { JobsApi } from '../jobs';
import type { MetricsWorkerClient } from './metricsWorkerClient';

/** What the eval feature's commands and panels are given. */
export interface EvalCtx extends Platform {
  /** BLEU / ROUGE scoring of eval runs, in its own worker thread (started on first use). */
  readonly metrics: MetricsWorkerClient;
  readonly jobs: JobsApi;
}
