import type { Platform } from '../../platform/context';
import type { TokensApi } from '../tokens';
import type { DatasetApi } from '../dataset';
import type { CurvesApi } from '../curves';
import type { JobRunner } from './runner';
import type { JobsTree } from './jobsTree';
import type { JobSpecFiles } from './specFiles';
import type { RemoteBackends } from './remote/remoteBackends';
import type { ProbeStore } from './remote/probeStore';

/** What the jobs feature's commands, tasks and the Start Job form are given. */
export interface JobsCtx extends Platform {
  readonly runner: JobRunner;
  readonly tree: JobsTree;
  readonly specFiles: JobSpecFiles;
  /** The `finetune.backends` entries and their SSH sessions. */
  readonly remote: RemoteBackends;
  /** The last probe report of each Slurm backend. */
  readonly probes: ProbeStore;
  readonly dataset: DatasetApi;
  readonly tokens: TokensApi;
  readonly curves: CurvesApi;
}
