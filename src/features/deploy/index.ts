// Deploy: serving a model. One local OpenAI-compatible server in the extension host (Serve Model Locally…), and
// deployments on a backend (Deploy Model…: vLLM or the trainer's serve, through an SSH tunnel), each recorded in the
// model registry; on top of jobs (finished jobs' models, the backends) and chat (Try in Chat in one click).
import * as vscode from 'vscode';
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { JobsApi } from '../jobs';
import type { ChatApi } from '../chat';
import { deployCommands, type DeployCommandCtx } from './commands';
import { LocalServer, type Serving } from './localServer';
import { Deployments } from './deployments';
import type { DeployArg } from './deployModel';
import type { DeploymentRecord, ExportRecord } from '../../shared/modelRegistry';

export type { Serving } from './localServer';

export interface DeployApi {
  /** Serves a model folder locally; undefined when it could not (the user was told) or in Restricted Mode. */
  serveLocally(folder: string, label?: string): Promise<Serving | undefined>;
  /** What the local server serves now. */
  serving(): Serving | undefined;
  /** The local server's bearer token (kept in SecretStorage). */
  token(): Promise<string>;
  stop(): Promise<void>;
  /** Deploy Model… for a job (`{ dir }`) or an export record; undefined when it did not deploy (the user was told). */
  deploy(arg?: DeployArg): Promise<DeploymentRecord | undefined>;
  /** Stop Deployment for a deployment record. */
  stopDeployment(arg: { root: string; record: DeploymentRecord | ExportRecord }): Promise<void>;
}

export function registerDeploy(platform: Platform, deps: { jobs: JobsApi; chat: ChatApi }): DeployApi {
  const deployments = platform.register(new Deployments({ ...platform, ...deps }));
  // Disposed with the extension, so the server stops with the window.
  const server = platform.register(new LocalServer({ ...platform, ...deps }, { started: (url, model, folder) => deployments.recordLocal(url, model, folder) }));
  const ctx: DeployCommandCtx = { ...platform, ...deps, server, deployments };
  registerCommands(platform, ctx, deployCommands);
  // Tunnels again to the deployments that still run (after a reload); quietly, in the background.
  if (vscode.workspace.isTrusted) void deployments.reattachAll().catch((err: unknown) => platform.log.warn(`re-attaching deployments: ${String(err)}`));
  return {
    serveLocally: (folder, label) => deployCommands['finetune.serveModelLocally'](ctx, { folder, ...(label ? { label } : {}) }),
    serving: () => server.serving,
    token: () => server.token(),
    stop: () => server.stop(),
    deploy: (arg) => deployCommands['finetune.deployModel'](ctx, arg),
    stopDeployment: (arg) => deployCommands['finetune.stopDeployment'](ctx, arg),
  };
}
