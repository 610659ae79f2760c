import type { Platform } from '../../platform/context';
import type { JobsApi } from '../jobs';

/** What the chat feature's commands and panel are given. */
export interface ChatCtx extends Platform {
  readonly jobs: JobsApi;
}
