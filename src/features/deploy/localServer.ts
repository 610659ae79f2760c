// One local OpenAI-compatible server in the extension host (src/inference/server) over a local ONNX model, whose
// model runs in its own worker thread: started by Serve Model Locally…, shown in the status bar while it serves,
// stopped from there or with the window. Its bearer token is kept in SecretStorage, under the key the trial chat and
// Evaluate Endpoint look up for its URL, so trying it in the chat needs nothing more.
import * as vscode from 'vscode';
import { openOnnxEngine } from '../../platform/onnxEngine';
import type { ChatServer } from '../../inference/server';
import type { OnnxEngine } from '../../inference/onnx';
import { coreLocale } from '../../platform/locale';
import { storeEndpointApiKey } from '../../platform/endpointPick';
import type { DeployCtx } from './context';

/** The SecretStorage key of the local server's token (its registry record names it). */
export const TOKEN_SECRET = 'finetune.localServer.token';
const PORT_STATE = 'finetune.localServer.port';

/** Keeps the model registry's record of what the server serves (a DeploymentRecord with server 'onnx-local'). */
export interface ServingRecorder {
  started(url: string, model: string, folder: string): Promise<(() => Promise<void>) | undefined>;
}

export interface Serving {
  readonly url: string;
  readonly model: string;
  readonly folder: string;
}

export class LocalServer implements vscode.Disposable {
  private server: ChatServer | undefined;
  private engine: OnnxEngine | undefined;
  private current: Serving | undefined;
  private markStopped: (() => Promise<void>) | undefined;
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly ctx: DeployCtx, private readonly recorder?: ServingRecorder) {
    this.item = vscode.window.createStatusBarItem('finetune.localServer', vscode.StatusBarAlignment.Left, 40);
    this.item.name = vscode.l10n.t('Fine-tune Studio: Local Server');
    this.item.command = 'finetune.localServerActions';
  }

  get serving(): Serving | undefined {
    return this.current;
  }

  /** The token: the one kept from before (so configured clients keep working), else a new one, kept. */
  async token(): Promise<string> {
    const kept = await this.ctx.extension.secrets.get(TOKEN_SECRET);
    if (kept) return kept;
    const { newToken } = await import('../../inference/server');
    const token = newToken();
    await this.ctx.extension.secrets.store(TOKEN_SECRET, token);
    return token;
  }

  /** Serves `folder` (stopping whatever served before); throws with a sentence for the user when it cannot. */
  async start(folder: string, label: string): Promise<Serving> {
    await this.stop();
    const { defaultTemperature } = await import('../../inference/onnx');
    const { startChatServer } = await import('../../inference/server');
    const locale = coreLocale();
    const engine = await openOnnxEngine(this.ctx.extensionPath, folder, label);
    const token = await this.token();
    // A request without its own sampling parameters gets the model's generation_config.json, as `generate` does.
    const options = { engine, token, locale, modelId: label, defaults: { temperature: defaultTemperature(engine.model.generation) } };
    let server: ChatServer;
    try {
      // The port of last time when it is free (clients keep their URL), else any free one.
      const last = this.ctx.extension.workspaceState.get<number>(PORT_STATE);
      server = await startChatServer({ ...options, port: last ?? 0 }).catch((err: NodeJS.ErrnoException) => {
        if (last !== undefined && err.code === 'EADDRINUSE') return startChatServer({ ...options, port: 0 });
        throw err;
      });
    } catch (err) {
      await engine.dispose();
      throw err;
    }
    await this.ctx.extension.workspaceState.update(PORT_STATE, server.port);
    await storeEndpointApiKey(this.ctx.extension, server.url, token);
    this.server = server;
    this.engine = engine;
    this.current = { url: server.url, model: label, folder };
    this.item.text = `$(broadcast) ${label}`;
    this.item.tooltip = vscode.l10n.t('Serving {0} at {1} (OpenAI-compatible, this machine only). Click for Copy URL, Copy Token, Try in Chat and Stop.', label, server.url);
    this.item.show();
    this.ctx.log.info(`local server: ${label} (${folder}) at ${server.url}`);
    this.markStopped = await this.recorder?.started(server.url, label, folder).catch((err: unknown) => {
      this.ctx.log.warn(`local server: not recorded in the model registry: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    return this.current;
  }

  async stop(): Promise<void> {
    const server = this.server;
    const engine = this.engine;
    this.server = undefined;
    this.engine = undefined;
    this.current = undefined;
    const markStopped = this.markStopped;
    this.markStopped = undefined;
    this.item.hide();
    await markStopped?.().catch(() => undefined);
    await server?.stop();
    await engine?.dispose();
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
  }
}
