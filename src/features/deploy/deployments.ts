// The deployments of this window: each started on a backend (src/backends/deploy), recorded in the workspace's model
// registry (endpoint, served model, port there, run, the SecretStorage key of its token, health), its tunnel kept
// open while the window lives and opened again after a reload to a server that still runs. The token lives in
// SecretStorage only, also under the endpoint's URL, where the trial chat and Evaluate Endpoint look for a key.
import * as vscode from 'vscode';
import { Deployer, type DeployRequest, type Planned, type Running } from '../../backends/deploy/deployer';
import { servedModelName } from '../../backends/deploy/serverCommand';
import type { Tunnel } from '../../backends/deploy/tunnel';
import { listModelRecords, newModelId, writeModelRecord } from '../../core/models/registry';
import type { DeploymentRecord } from '../../shared/modelRegistry';
import { coreLocale } from '../../platform/locale';
import { storeEndpointApiKey } from '../../platform/endpointPick';
import type { DeployCtx } from './context';
import { deployTarget, type DeploySource } from './targets';
import { TOKEN_SECRET as LOCAL_TOKEN_SECRET } from './localServer';

const tokenKey = (id: string) => `finetune.deployment.token/${id}`;

/** A deploy prepared: the record id it will have, the request, and what the probe and the check found. */
export interface Prepared {
  root: string;
  id: string;
  source: DeploySource;
  deployer: Deployer;
  /** The request planned; its model is the merged export when the adapter could not be served by vLLM. */
  request: DeployRequest;
  planned: Planned;
}

export class Deployments implements vscode.Disposable {
  private readonly tunnels = new Map<string, Tunnel>();

  constructor(private readonly ctx: DeployCtx) {}

  /** Probes the backend and runs the deploy check; a blocked vLLM adapter falls back to the merged export when there is one. */
  async prepare(root: string, source: DeploySource): Promise<Prepared> {
    const deployer = new Deployer(await deployTarget(this.ctx, source.backend, true), coreLocale());
    const id = await newModelId(root, `${source.label}-deploy`);
    const requestFor = (model: string, adapter?: string): DeployRequest => ({
      id, model, ...(adapter ? { adapter } : {}), servedModel: servedModelName(source.label),
      ...(source.trainedTemplateSha256 ? { trainedTemplateSha256: source.trainedTemplateSha256 } : {}),
    });
    const request = requestFor(source.model, source.adapter);
    const planned = await deployer.plan(request);
    if (planned.plan.blocked && source.merged && planned.plan.findings.some((f) => f.code === 'check.modulesToSave')) {
      const merged = requestFor(source.merged);
      return { root, id, source, deployer, request: merged, planned: await deployer.plan(merged) };
    }
    return { root, id, source, deployer, request, planned };
  }

  /** Starts the prepared server, waits until it answers, records it; throws with a sentence when it does not come up. */
  async start(p: Prepared): Promise<DeploymentRecord> {
    const { newToken } = await import('../../inference/server');
    const token = newToken();
    const { model, adapter, servedModel } = p.request;
    const running = await p.deployer.start(p.request, p.planned, token);
    if (running.tunnel) this.tunnels.set(p.id, running.tunnel);
    await this.ctx.extension.secrets.store(tokenKey(p.id), token);
    await storeEndpointApiKey(this.ctx.extension, running.endpoint, token);
    const now = new Date().toISOString();
    const backend = p.source.backend;
    const record: DeploymentRecord = {
      id: p.id, kind: 'deployment', name: `${p.source.label} · ${backend}`, createdAt: now, source: p.source.source,
      server: p.planned.plan.server, location: { backend, path: model }, ...(adapter ? { adapter: { backend, path: adapter } } : {}),
      endpoint: running.endpoint, servedModel, remotePort: running.remotePort, run: runOf(backend, running),
      tokenSecret: tokenKey(p.id), startedAt: now, health: { checkedAt: now, ok: true },
    };
    await writeModelRecord(p.root, record);
    this.ctx.log.info(`deployed ${p.source.label} on ${backend} (${record.server}) at ${record.endpoint}, remote port ${record.remotePort}`);
    return record;
  }

  /** The token of a deployment (SecretStorage). */
  token(record: DeploymentRecord): Thenable<string | undefined> {
    return this.ctx.extension.secrets.get(record.tokenSecret ?? tokenKey(record.id));
  }

  /** Ends the server, closes the tunnel, marks the record stopped (and forgets the token). */
  async stop(root: string, record: DeploymentRecord): Promise<void> {
    const runDir = typeof record.run?.['runDir'] === 'string' ? record.run['runDir'] : undefined;
    await this.tunnels.get(record.id)?.close();
    this.tunnels.delete(record.id);
    if (runDir) await new Deployer(await deployTarget(this.ctx, record.location.backend), coreLocale()).stop(runDir);
    await this.markStopped(root, record, 'stopped');
    if (record.server !== 'onnx-local') await this.ctx.extension.secrets.delete(record.tokenSecret ?? tokenKey(record.id));
  }

  /** Deployments of the open workspace folders that are not stopped. */
  async active(): Promise<{ root: string; record: DeploymentRecord }[]> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const found = await Promise.all(roots.map(async (root) => (await listModelRecords(root)).flatMap((m) =>
      'record' in m && m.record.kind === 'deployment' && !m.record.stoppedAt ? [{ root, record: m.record }] : [])));
    return found.flat();
  }

  /** After a reload: a tunnel again to each remote deployment whose server still runs; the others are marked. */
  async reattachAll(): Promise<void> {
    for (const { root, record } of await this.active()) {
      if (record.server === 'onnx-local') {
        await this.markStopped(root, record, 'the window closed'); // the in-process server ended with its window
        continue;
      }
      await this.reattach(root, record).catch((err: unknown) => this.ctx.log.warn(`deployment ${record.id}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  private async reattach(root: string, record: DeploymentRecord): Promise<void> {
    const runDir = record.run?.['runDir'];
    if (typeof runDir !== 'string' || !record.remotePort) return;
    const deployer = new Deployer(await deployTarget(this.ctx, record.location.backend), coreLocale());
    const state = await deployer.state(runDir);
    if (state.state !== 'running') return this.markStopped(root, record, state.state === 'exited' ? `exited (${state.code})` : state.reason);
    const now = new Date().toISOString();
    const lastPort = Number(new URL(record.endpoint).port) || undefined;
    const address = await deployer.serverAddress(runDir, record.remotePort);
    if (!address) return;
    const reach = await deployer.reach(address.port, lastPort, address.host);
    if (reach.tunnel) this.tunnels.set(record.id, reach.tunnel);
    const token = await this.token(record);
    if (token && reach.endpoint !== record.endpoint) await storeEndpointApiKey(this.ctx.extension, reach.endpoint, token);
    await writeModelRecord(root, { ...record, endpoint: reach.endpoint, health: { checkedAt: now, ok: true } });
    this.ctx.log.info(`deployment ${record.id}: re-attached at ${reach.endpoint}`);
  }

  /** Records the local ONNX server (Serve Model Locally…) in the first workspace folder's registry; returns how to mark it stopped. */
  async recordLocal(url: string, model: string, folder: string): Promise<(() => Promise<void>) | undefined> {
    const root = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    if (!root) return undefined;
    const now = new Date().toISOString();
    const record: DeploymentRecord = {
      id: await newModelId(root, `${model}-local`), kind: 'deployment', name: `${model} · ${vscode.l10n.t('local server')}`, createdAt: now,
      source: {}, server: 'onnx-local', location: { backend: 'local', path: folder }, endpoint: url, servedModel: model,
      tokenSecret: LOCAL_TOKEN_SECRET, startedAt: now, health: { checkedAt: now, ok: true },
    };
    await writeModelRecord(root, record);
    return () => this.markStopped(root, record, 'stopped');
  }

  /** Marks a record stopped, saying why (its server is no longer there to ask). */
  async markStopped(root: string, record: DeploymentRecord, message: string): Promise<void> {
    const now = new Date().toISOString();
    await writeModelRecord(root, { ...record, stoppedAt: now, health: { checkedAt: now, ok: false, message } });
  }

  dispose(): void {
    // The servers keep running (they outlive the window, like jobs); only the tunnels close.
    for (const t of this.tunnels.values()) void t.close();
    this.tunnels.clear();
  }
}

function runOf(backend: string, running: Running): Record<string, unknown> {
  const { pid, slurmJobId, runDir, remoteHost } = running;
  return { backend, runDir, host: remoteHost, ...(pid ? { pid } : {}), ...(slurmJobId ? { slurmJobId } : {}) };
}
