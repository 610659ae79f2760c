import type { Platform } from '../../platform/context';
import type { JobsApi } from '../jobs';
import type { ChatApi } from '../chat';

/** What the deploy feature's handlers take: the platform, the jobs (finished jobs' models) and the chat (to try it). */
export interface DeployCtx extends Platform {
  readonly jobs: JobsApi;
  readonly chat: ChatApi;
}
