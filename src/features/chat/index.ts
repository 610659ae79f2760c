// Chat: the trial chat, where 1–4 models (OpenAI-compatible endpoints, local model folders, finished jobs' models)
// answer the same messages side by side. Uses the jobs feature for jobs' model folders, and picks an endpoint and keeps its
// key as Evaluate Endpoint does (src/platform/endpointPick.ts).
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { JobsApi } from '../jobs';
import { ChatPanel } from './chatPanel';
import { chatCommands } from './commands';
import type { ModelSource } from './engines';
import type { ChatCtx } from './context';

export type { ModelSource } from './engines';
export type { ChatPanel } from './chatPanel';
export { folderOfItem, pickLocalModel, type JobNode, type LocalModel, type ModelsViewFolder } from './localModelPick';

export interface ChatApi {
  /** Opens the chat (or brings it back) with these models added; undefined in Restricted Mode. */
  tryModels(sources: ModelSource[]): Promise<ChatPanel | undefined>;
  /** The open chat panel, if any. */
  current(): ChatPanel | undefined;
}

export function registerChat(platform: Platform, deps: { jobs: JobsApi }): ChatApi {
  const ctx: ChatCtx = { ...platform, ...deps };
  registerCommands(platform, ctx, chatCommands);
  return {
    tryModels: (sources) => chatCommands['finetune.tryModel'](ctx, sources),
    current: () => ChatPanel.current(),
  };
}
