// Deploy: serving a model. For now one local OpenAI-compatible server in the extension host (Serve Model Locally…),
// on top of jobs (finished jobs' models) and chat (Try in Chat adds it as an endpoint in one click).
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { JobsApi } from '../jobs';
import type { ChatApi } from '../chat';
import { deployCommands, type DeployCommandCtx } from './commands';
import { LocalServer, type Serving } from './localServer';

export type { Serving } from './localServer';

export interface DeployApi {
  /** Serves a model folder locally; undefined when it could not (the user was told) or in Restricted Mode. */
  serveLocally(folder: string, label?: string): Promise<Serving | undefined>;
  /** What the local server serves now. */
  serving(): Serving | undefined;
  /** The local server's bearer token (kept in SecretStorage). */
  token(): Promise<string>;
  stop(): Promise<void>;
}

export function registerDeploy(platform: Platform, deps: { jobs: JobsApi; chat: ChatApi }): DeployApi {
  // Disposed with the extension, so the server stops with the window.
  const server = platform.register(new LocalServer({ ...platform, ...deps }));
  const ctx: DeployCommandCtx = { ...platform, ...deps, server };
  registerCommands(platform, ctx, deployCommands);
  return {
    serveLocally: (folder, label) => deployCommands['finetune.serveModelLocally'](ctx, { folder, ...(label ? { label } : {}) }),
    serving: () => server.serving,
    token: () => server.token(),
    stop: () => server.stop(),
  };
}
