// Fine-tune: Serve Model Locally… (a local model folder or a finished job's model, trusted workspaces only), the
// status bar item's actions (Try in Chat, Evaluate Endpoint, Copy URL, Copy Token, Stop) and Stop Local Server;
// Deploy Model… and Stop Deployment (deployModel.ts).
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandTable } from '../../platform/commands';
import { requireTrust } from '../../platform/workspaceTrust';
import { folderOfItem, pickLocalModel, type JobNode, type LocalModel, type ModelsViewFolder } from '../chat';
import type { DeployCtx } from './context';
import type { LocalServer, Serving } from './localServer';
import type { Deployments } from './deployments';
import { endpointAction, endpointActionLabels, type ServedEndpoint } from './endpointActions';
import { deployModel, evaluateDeployment, stopDeployment } from './deployModel';

export type DeployCommandCtx = DeployCtx & { server: LocalServer; deployments: Deployments };

export const deployCommands = {
  'finetune.deployModel': deployModel,
  'finetune.stopDeployment': stopDeployment,
  'finetune.evaluateDeployment': evaluateDeployment,
  'finetune.serveModelLocally': serveModelLocally,
  'finetune.stopLocalServer': (ctx: DeployCommandCtx) => ctx.server.stop(),
  'finetune.localServerActions': localServerActions,
} satisfies CommandTable<DeployCommandCtx>;

/** What the command may be given: a folder, a Jobs view node (`dir`), or a Models view folder item. */
type ServeArg = { folder: string; label?: string } | JobNode | ModelsViewFolder;

async function serveModelLocally(ctx: DeployCommandCtx, arg?: ServeArg): Promise<Serving | undefined> {
  if (!requireTrust(vscode.l10n.t('serve a model'))) return undefined;
  const picked = arg ? await fromArg(ctx, arg) : await askModel(ctx);
  if (!picked) return undefined;
  let serving: Serving;
  try {
    serving = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading {0} to serve it…', picked.label) },
      () => ctx.server.start(picked.folder, picked.label),
    );
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be served: {1}', picked.label, err instanceof Error ? err.message : String(err)));
    return undefined;
  }
  void announce(ctx, serving);
  return serving;
}

async function fromArg(ctx: DeployCommandCtx, arg: ServeArg): Promise<LocalModel | undefined> {
  if ('folder' in arg) return { folder: arg.folder, label: arg.label ?? path.basename(arg.folder) };
  if ('kind' in arg) return fromArg(ctx, folderOfItem(arg));
  return jobModel(ctx, arg.dir);
}

async function jobModel(ctx: DeployCommandCtx, dir: string): Promise<LocalModel | undefined> {
  const model = await ctx.jobs.trainedModel(dir);
  if (typeof model === 'string') {
    void vscode.window.showErrorMessage(model);
    return undefined;
  }
  return { folder: model.folder, label: model.name };
}

async function askModel(ctx: DeployCommandCtx): Promise<LocalModel | undefined> {
  return pickLocalModel<never>(ctx.jobs, { title: vscode.l10n.t('Serve Model Locally'), placeHolder: vscode.l10n.t('The model to serve on this machine'), openLabel: vscode.l10n.t('Serve This Model') });
}

/** The notification once it serves: the URL, with buttons to copy it and the token, and to try it in the chat. */
async function announce(ctx: DeployCommandCtx, serving: Serving): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is served at {1} (OpenAI-compatible, on this machine only). Requests need the header "Authorization: Bearer <token>".', serving.model, serving.url),
    ...endpointActionLabels(),
  );
  await endpointAction(ctx, localEndpoint(ctx, serving), choice);
}

async function localServerActions(ctx: DeployCommandCtx): Promise<void> {
  const serving = ctx.server.serving;
  if (!serving) return;
  const stop = vscode.l10n.t('Stop');
  const picked = await vscode.window.showQuickPick([...endpointActionLabels(), stop], { title: `${serving.model} · ${serving.url}` });
  if (picked === stop) return ctx.server.stop();
  await endpointAction(ctx, localEndpoint(ctx, serving), picked);
}

function localEndpoint(ctx: DeployCommandCtx, serving: Serving): ServedEndpoint {
  return { url: serving.url, model: serving.model, label: `${serving.model} · ${vscode.l10n.t('local server')}`, token: () => ctx.server.token() };
}
