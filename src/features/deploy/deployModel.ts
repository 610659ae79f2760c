// Fine-tune: Deploy Model… (a finished job or a merged export, served where its files are: the probe and the deploy
// check shown first, then the server started with progress, then Try in Chat / Evaluate Endpoint / Copy URL / Copy
// Token) and Fine-tune: Stop Deployment. Both take what the Models view passes: `{ root, record }` (an export or a
// deployment record) or a job `{ dir }`.
import * as vscode from 'vscode';
import { listJobs } from '../../core/jobs/jobStore';
import { listModelRecords } from '../../core/models/registry';
import type { DeploymentRecord, ExportRecord } from '../../shared/modelRegistry';
import { requireTrust } from '../../platform/workspaceTrust';
import type { DeployCommandCtx } from './commands';
import type { Prepared } from './deployments';
import { endpointAction, endpointActionLabels, type ServedEndpoint } from './endpointActions';
import { CannotDeploy, exportSource, jobSource, type DeploySource } from './targets';

type RecordArg = { root: string; record: DeploymentRecord | ExportRecord };
export type DeployArg = RecordArg | { dir: string };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function deployModel(ctx: DeployCommandCtx, arg?: DeployArg): Promise<DeploymentRecord | undefined> {
  if (!requireTrust(vscode.l10n.t('deploy a model'))) return undefined;
  let picked: { root: string; source: DeploySource } | undefined;
  try {
    if (arg && 'record' in arg && arg.record.kind === 'deployment') {
      await showDeployment(ctx, arg.record);
      return arg.record;
    }
    picked = arg ? await fromArg(ctx, arg) : await askSource(ctx);
  } catch (err) {
    void vscode.window.showErrorMessage(errorText(err));
    return undefined;
  }
  if (!picked) return undefined;
  const { root, source } = picked;
  let prepared: Prepared;
  try {
    prepared = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} before deploying {1}…', source.backend, source.label) },
      () => ctx.deployments.prepare(root, source),
    );
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be deployed: {1}', source.label, errorText(err)));
    return undefined;
  }
  if (!(await confirm(prepared))) return undefined;
  const server = prepared.planned.plan.server === 'vllm' ? 'vLLM' : vscode.l10n.t('the trainer\'s server');
  let record: DeploymentRecord;
  try {
    record = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting {0} on {1} for {2} (loading a model can take minutes)…', server, source.backend, source.label) },
      () => ctx.deployments.start(prepared),
    );
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be deployed: {1}', source.label, errorText(err)));
    return undefined;
  }
  void showDeployment(ctx, record);
  return record;
}

async function fromArg(ctx: DeployCommandCtx, arg: DeployArg): Promise<{ root: string; source: DeploySource }> {
  if ('dir' in arg) {
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(arg.dir))?.uri.fsPath;
    if (!root) throw new CannotDeploy(vscode.l10n.t('The job in {0} is not in an open workspace folder.', arg.dir));
    return { root, source: await jobSource(ctx, arg.dir) };
  }
  if (arg.record.kind !== 'export') throw new CannotDeploy(vscode.l10n.t('Nothing to deploy in {0}.', arg.record.name));
  return { root: arg.root, source: exportSource(arg.record) };
}

/** Finished jobs (on any backend) and merged exports of the open workspace folders. */
async function askSource(ctx: DeployCommandCtx): Promise<{ root: string; source: DeploySource } | undefined> {
  type Item = vscode.QuickPickItem & { take?: () => Promise<{ root: string; source: DeploySource }> };
  const items: Item[] = [];
  for (const folder of (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file')) {
    const root = folder.uri.fsPath;
    for (const job of await listJobs(root)) {
      if (!('record' in job) || job.record.status !== 'succeeded' || !job.record.run) continue;
      const where = job.record.run.backend === 'local' ? vscode.l10n.t('this machine') : job.record.run.backendName;
      items.push({ label: `$(beaker) ${job.record.name}`, description: where, detail: job.record.baseModel, take: async () => ({ root, source: await jobSource(ctx, job.dir) }) });
    }
    for (const m of await listModelRecords(root)) {
      if (!('record' in m) || m.record.kind !== 'export' || m.record.format !== 'merged') continue;
      const record = m.record;
      items.push({ label: `$(package) ${record.name}`, description: record.location.backend, detail: record.location.path, take: () => Promise.resolve({ root, source: exportSource(record) }) });
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No finished job or merged export to deploy in this workspace.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Deploy Model'), placeHolder: vscode.l10n.t('The model to serve (on the backend where its files are)'), matchOnDescription: true });
  return picked?.take?.();
}

/** Shows the deploy check; blockers stop here, otherwise the user confirms. */
async function confirm(p: Prepared): Promise<boolean> {
  const { plan } = p.planned;
  const icon = { info: 'ℹ', warning: '⚠', blocker: '⛔' } as const;
  const findings = plan.findings.map((f) => `${icon[f.severity]} ${f.message}`).join('\n\n');
  const server = plan.server === 'vllm' ? `vLLM ${p.planned.probe.facts.vllm ?? ''}`.trim() : vscode.l10n.t('the trainer\'s server (transformers)');
  const { model, adapter } = p.request;
  const what = adapter ? vscode.l10n.t('{0} with the adapter {1}', model, adapter) : model;
  if (plan.blocked) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be deployed on {1} as it is', p.source.label, p.source.backend), { modal: true, detail: findings });
    return false;
  }
  const deploy = vscode.l10n.t('Deploy');
  const detail = [vscode.l10n.t('Serves {0} with {1} on 127.0.0.1 there, reached through a tunnel from this machine only.', what, server), findings].filter(Boolean).join('\n\n');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Deploy {0} on {1}?', p.source.label, p.source.backend), { modal: true, detail }, deploy);
  return choice === deploy;
}

function deploymentEndpoint(ctx: DeployCommandCtx, record: DeploymentRecord): ServedEndpoint {
  return { url: record.endpoint, model: record.servedModel, label: record.name, token: async () => (await ctx.deployments.token(record)) };
}

/** Fine-tune: Evaluate Deployment… (the Models view): Evaluate Endpoint with this deployment's URL, model and token. */
export async function evaluateDeployment(ctx: DeployCommandCtx, arg?: { record: DeploymentRecord | ExportRecord }): Promise<void> {
  if (arg?.record.kind !== 'deployment') return;
  await endpointAction(ctx, deploymentEndpoint(ctx, arg.record), endpointActionLabels()[1]);
}

async function showDeployment(ctx: DeployCommandCtx, record: DeploymentRecord): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is served at {1} (OpenAI-compatible, model "{2}", reachable from this machine only). Requests need the header "Authorization: Bearer <token>".', record.name, record.endpoint, record.servedModel),
    ...endpointActionLabels(),
  );
  await endpointAction(ctx, deploymentEndpoint(ctx, record), choice);
}

export async function stopDeployment(ctx: DeployCommandCtx, arg?: { root: string; record: DeploymentRecord | ExportRecord }): Promise<void> {
  let target = arg && arg.record.kind === 'deployment' ? { root: arg.root, record: arg.record } : undefined;
  if (!target) {
    const active = await ctx.deployments.active();
    if (!active.length) return void vscode.window.showInformationMessage(vscode.l10n.t('No deployment is running.'));
    const picked = await vscode.window.showQuickPick(active.map((a) => ({ label: a.record.name, description: a.record.endpoint, detail: a.record.server, a })), { title: vscode.l10n.t('Stop Deployment') });
    target = picked?.a;
  }
  if (!target) return;
  const { root, record } = target;
  try {
    if (record.server === 'onnx-local') {
      // This window's server marks its own record; a record of another window's server is only marked.
      return ctx.server.serving?.url === record.endpoint ? await ctx.server.stop() : await ctx.deployments.markStopped(root, record, 'stopped');
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Stopping {0}…', record.name) }, () => ctx.deployments.stop(root, record));
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is stopped.', record.name));
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be stopped: {1}', record.name, errorText(err)));
  }
}
