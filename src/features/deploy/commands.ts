// Fine-tune: Serve Model Locally… (a local model folder or a finished job's model, trusted workspaces only), the
// status bar item's actions (Try in Chat, Evaluate Endpoint, Copy URL, Copy Token, Stop) and Stop Local Server;
// Deploy Model… and Stop Deployment (deployModel.ts).
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandTable } from '../../platform/commands';
import { requireTrust } from '../../platform/workspaceTrust';
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
type ServeArg = { folder: string; label?: string } | { dir: string } | { kind: 'folder'; path: string; name?: string };

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

async function fromArg(ctx: DeployCommandCtx, arg: ServeArg): Promise<{ folder: string; label: string } | undefined> {
  if ('folder' in arg) return { folder: arg.folder, label: arg.label ?? path.basename(arg.folder) };
  if ('kind' in arg) return { folder: arg.path, label: arg.name ?? path.basename(arg.path) };
  const model = await ctx.jobs.trainedModel(arg.dir);
  if (typeof model === 'string') {
    void vscode.window.showErrorMessage(model);
    return undefined;
  }
  return { folder: model.folder, label: model.name };
}

async function askModel(ctx: DeployCommandCtx): Promise<{ folder: string; label: string } | undefined> {
  const folder = { label: `$(folder) ${vscode.l10n.t('Local model folder…')}`, detail: vscode.l10n.t('A folder with an ONNX model, tokenizer.json and tokenizer_config.json') };
  const jobs = (await ctx.jobs.trainedModels()).map((m) => ({ label: `$(beaker) ${m.name}`, detail: vscode.workspace.asRelativePath(m.folder), model: { folder: m.folder, label: m.name } }));
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { model?: { folder: string; label: string } }>([
    folder,
    ...(jobs.length ? [{ label: vscode.l10n.t('Finished jobs'), kind: vscode.QuickPickItemKind.Separator }, ...jobs] : []),
  ], { title: vscode.l10n.t('Serve Model Locally'), placeHolder: vscode.l10n.t('The model to serve on this machine') });
  if (!picked) return undefined;
  if (picked.model) return picked.model;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Serve This Model') });
  return chosen?.[0] ? { folder: chosen[0].fsPath, label: path.basename(chosen[0].fsPath) } : undefined;
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
