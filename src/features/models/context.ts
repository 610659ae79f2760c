import type { Platform } from '../../platform/context';
import type { EvalApi } from '../eval';
import type { JobsApi } from '../jobs';
import type { ModelsTree } from './modelsTree';

/** What the models feature's commands are given. */
export interface ModelsCtx extends Platform {
  readonly tree: ModelsTree;
  readonly jobs: JobsApi;
  readonly eval: EvalApi;
}
