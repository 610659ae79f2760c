// Where each model of the trial chat comes from, and the ChatEngine that answers for it: an OpenAI-compatible
// endpoint (EndpointEngine, its key from SecretStorage), a local model folder, or a finished job's model folder.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ChatEngine } from '../../inference/engine';
import { EndpointEngine } from '../../inference/endpointEngine';
import { endpointApiKey } from '../../platform/endpointPick';
import { coreLocale } from '../../platform/locale';
import { openOnnxEngine } from '../../platform/onnxEngine';
import type { OnnxEngine } from '../../inference/onnx';
import type { ChatModelInfo } from '../../shared/protocol/chat';
import type { ChatCtx } from './context';

/** A model to try, as the command, the views and the tests name it. */
export type ModelSource =
  | { kind: 'endpoint'; baseUrl: string; model: string; label?: string }
  | { kind: 'local'; folder: string; label?: string }
  | { kind: 'job'; dir: string };

/** A model ready to answer: what the page shows of it, and its engine. */
export interface ReadyModel {
  info: ChatModelInfo;
  engine: ChatEngine;
}

/** Thrown when a source cannot answer; its message is for the user. */
export class ModelUnavailable extends Error {}

/**
 * A local model folder as an engine: the ONNX engine (src/inference/onnx) in its own worker thread, where
 * onnxruntime-node is loaded only when a local model is first tried. A folder it cannot run says what is wrong.
 */
export async function localEngine(ctx: ChatCtx, folder: string, label: string): Promise<OnnxEngine> {
  try {
    return await openOnnxEngine(ctx.extensionPath, folder, label);
  } catch (err) {
    throw new ModelUnavailable(vscode.l10n.t('{0} cannot be tried here: {1}', label || folder, (err as Error).message));
  }
}

/** The engine for `source`, with the page's view of it. Rejects with ModelUnavailable saying why not. */
export async function readyModel(ctx: ChatCtx, source: ModelSource, id: string): Promise<ReadyModel> {
  switch (source.kind) {
    case 'endpoint': {
      const apiKey = await endpointApiKey(ctx.extension, source.baseUrl);
      const label = source.label ?? `${source.model} · ${hostOf(source.baseUrl)}`;
      const engine = new EndpointEngine({ baseUrl: source.baseUrl, model: source.model, label, locale: coreLocale(), ...(apiKey ? { apiKey } : {}) });
      return { info: { id, label, kind: 'endpoint', canRender: false }, engine };
    }
    case 'local': {
      const label = source.label ?? path.basename(source.folder);
      const engine = await localEngine(ctx, source.folder, label);
      return { info: { id, label, kind: 'local', canRender: true }, engine };
    }
    case 'job': {
      const model = await ctx.jobs.trainedModel(source.dir);
      if (typeof model === 'string') throw new ModelUnavailable(model);
      const engine = await localEngine(ctx, model.folder, model.name);
      const warning = model.templateHash ? templateMismatch(engine, model.templateHash) : undefined;
      return { info: { id, label: model.name, kind: 'job', canRender: true, ...(warning ? { templateWarning: warning } : {}) }, engine };
    }
  }
}

/** "trained ≠ now" (short hashes) when the engine loaded another chat template than the job trained with. */
function templateMismatch(engine: OnnxEngine, trained: string): string | undefined {
  const now = engine.model.templateHash;
  if (!now || now === trained) return undefined;
  return `${trained.slice(0, 12)} ≠ ${now.slice(0, 12)}`;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
