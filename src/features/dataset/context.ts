import type { Platform } from '../../platform/context';
import type { TokensApi } from '../tokens';
import type { DatasetWorkerClient } from './workerClient';
import type { DatasetDiagnostics } from './diagnostics';

/** What the dataset feature's commands and panels are given. */
export interface DatasetCtx extends Platform {
  readonly worker: DatasetWorkerClient;
  readonly diagnostics: DatasetDiagnostics;
  readonly tokens: TokensApi;
}
