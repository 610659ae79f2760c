// The host side of local ONNX generation: a ChatEngine whose model lives in a worker thread (dist/workers/generate.js),
// so the extension host's event loop stays free while it generates. The answer streams back piece by piece; an
// aborted generation resolves at once with what has arrived ('cancelled') and the worker stops at its next step.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as z from 'zod';
import { RpcPeer } from '../../shared/rpc';
import { workerPort } from '../../core/workerPort';
import type { ChatEngine, ChatMessage, GenerateParams, GenerateResult, RenderedPrompt } from '../engine';
import { GenerateReply, GenerateWorkerEvent, LoadReply, RenderReply, type GenerateWorkerMessage } from './workerProtocol';
import { OnnxModelError, onnxError } from './messages';
import type { GraphVariant } from './modelFolder';

export interface OnnxEngineOptions {
  /** Folder paths are resolved against it (default: the process's working directory). */
  cwd?: string;
  /** Which graph: model.onnx (default), its _fp16 or its _quantized variant. */
  variant?: GraphVariant;
  /** onnxruntime's intra-op threads (default: one per core but one, left to the host). */
  threads?: number;
  /** The built worker script; default `workers/generate.js` beside the running bundle (dist/). */
  workerScript?: string;
  /** The label the chat shows (default: the folder's name). */
  label?: string;
}

export interface OnnxEngine extends ChatEngine {
  render(messages: readonly ChatMessage[]): Promise<RenderedPrompt>;
  /** What was loaded: the graph file, whether it has a KV cache, generation_config's defaults, the template's hash. */
  readonly model: LoadedModel;
}

export type LoadedModel = Exclude<z.infer<typeof LoadReply>, { problem: unknown }>;

/**
 * The temperature of a request that gives none: generation_config.json's when the model samples, else 0 (greedy).
 * The worker fills in top_p, top_k and the repetition penalty from the same file itself.
 */
export function defaultTemperature(generation: LoadedModel['generation']): number {
  return generation.doSample ? generation.temperature ?? 1 : 0;
}

const LOAD_TIMEOUT_MS = 10 * 60_000;
/** How long a worker gets to finish its step and release its session when the engine is disposed. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Long generations on a slow CPU: a generous bound, not a deadline anyone should meet. */
const GENERATE_TIMEOUT_MS = 6 * 60 * 60_000;

/**
 * Starts a worker and loads the model folder in it. Throws OnnxModelError (say it with `.localized(locale)`) when
 * the folder cannot be run: no graph, no tokenizer or chat template, inputs it cannot feed, a cache that does not
 * match config.json.
 */
export async function createOnnxEngine(modelFolder: string, options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
  const script = options.workerScript ?? path.join(__dirname, 'workers', 'generate.js');
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
  const listeners = new Map<number, (text: string) => void>();
  let stopped: string | undefined;
  const peer = new RpcPeer<GenerateWorkerEvent, GenerateWorkerMessage>(workerPort(worker), GenerateWorkerEvent, (event) => listeners.get(event.id)?.(event.text));
  const failures = new Set<(err: Error) => void>();
  const fail = (reason: string) => {
    if (stopped !== undefined) return;
    stopped = reason;
    peer.dispose();
    for (const f of failures) f(onnxError('model.workerStopped', { reason }));
  };
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`exit code ${code}`));
  const ask = async <R>(message: GenerateWorkerMessage, schema: z.ZodType<R>, timeoutMs: number): Promise<Exclude<R, { problem: unknown }>> => {
    if (stopped !== undefined) throw onnxError('model.workerStopped', { reason: stopped });
    let onFail: (err: Error) => void = () => undefined;
    const died = new Promise<never>((_, reject) => { onFail = reject; failures.add(onFail); });
    try {
      const reply = await Promise.race([peer.request(message, schema, timeoutMs), died]);
      if (typeof reply === 'object' && reply !== null && 'problem' in reply) {
        const { catalogue, key, params } = (reply as { problem: { catalogue: 'onnx' | 'tokens'; key: string; params: Record<string, string> } }).problem;
        throw new OnnxModelError(catalogue, key, params);
      }
      return reply as Exclude<R, { problem: unknown }>;
    } finally {
      failures.delete(onFail);
    }
  };
  let closing: Promise<void> | undefined;
  const dispose = (): Promise<void> => closing ??= (async () => {
    const running = stopped === undefined;
    stopped ??= 'disposed';
    // What waits on the worker ends now (a generation in progress as cancelled); the worker itself is asked to
    // close, because terminating it inside a native onnxruntime call aborts the whole process.
    for (const f of failures) f(onnxError('model.workerStopped', { reason: 'disposed' }));
    if (running) {
      const exited = new Promise<boolean>((resolve) => worker.once('exit', () => resolve(true)));
      peer.notify({ type: 'close' });
      const closed = await Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS).unref())]);
      peer.dispose();
      if (closed) return;
    } else peer.dispose();
    await worker.terminate();
  })();

  let loaded: LoadedModel;
  try {
    loaded = await ask({ type: 'load', model: modelFolder, cwd: options.cwd ?? process.cwd(), variant: options.variant ?? 'default', threads: options.threads }, LoadReply, LOAD_TIMEOUT_MS);
  } catch (err) {
    await dispose();
    throw err;
  }

  let nextId = 1;
  return {
    label: options.label ?? loaded.name,
    model: loaded,
    async render(messages) {
      return ask({ type: 'render', messages: [...messages] }, RenderReply, LOAD_TIMEOUT_MS);
    },
    async generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, signal?: AbortSignal): Promise<GenerateResult> {
      if (stopped !== undefined) throw onnxError('model.workerStopped', { reason: stopped });
      const id = nextId++;
      const started = performance.now();
      let text = '';
      let firstAt: number | undefined;
      listeners.set(id, (piece) => {
        firstAt ??= performance.now();
        text += piece;
        onText(piece);
      });
      const cancelled = (): GenerateResult => ({ text, finishReason: 'cancelled', timeToFirstTokenMs: (firstAt ?? performance.now()) - started, tokensPerSecond: 0 });
      if (signal?.aborted) {
        listeners.delete(id);
        return cancelled();
      }
      let onAbort: () => void = () => undefined;
      const aborted = new Promise<GenerateResult>((resolve) => {
        onAbort = () => {
          listeners.delete(id);
          if (stopped === undefined) peer.notify({ type: 'cancel', id });
          resolve(cancelled());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      const params_ = { ...params, stop: params.stop ? [...params.stop] : undefined };
      try {
        return await Promise.race([ask({ type: 'generate', id, messages: [...messages], params: params_ }, GenerateReply, GENERATE_TIMEOUT_MS), aborted]);
      } catch (err) {
        // Disposing the engine (the chat closed) ends its generations like a cancel.
        if (stopped === 'disposed') return cancelled();
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        listeners.delete(id);
      }
    },
    dispose,
  };
}
