// Worker thread that runs a local ONNX model (src/inference/onnx/localModel.ts): loads it once, renders prompts,
// generates answers one at a time and streams them to the host as `piece` events; a `cancel` event stops the
// generation it names at the next step. Messages in src/inference/onnx/workerProtocol.ts.
import { parentPort } from 'node:worker_threads';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { GenerateWorkerMessage, type GenerateWorkerEvent } from '../inference/onnx/workerProtocol';
import { LocalModel } from '../inference/onnx/localModel';
import { OnnxModelError } from '../inference/onnx/messages';

if (!parentPort) throw new Error('the generate worker must run in a worker thread');

let model: LocalModel | undefined;
const cancelled = new Set<number>();
/** Set by `close`: every generation stops at its next step. */
let closing = false;
/** Generations run one after another: one session, and the cores it uses. */
let queue: Promise<unknown> = Promise.resolve();

/** A user-facing problem as a reply the host turns back into an OnnxModelError; anything else stays an error. */
async function answer<T>(work: () => Promise<T> | T): Promise<T | { problem: { catalogue: OnnxModelError['catalogue']; key: string; params: Record<string, string> } }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OnnxModelError) return { problem: { catalogue: err.catalogue, key: err.key, params: err.params } };
    throw err;
  }
}

const peer: RpcPeer<GenerateWorkerMessage, GenerateWorkerEvent> = new RpcPeer(workerPort(parentPort), GenerateWorkerMessage, async (message) => {
  switch (message.type) {
    case 'load':
      return answer(async () => {
        await model?.dispose();
        model = undefined;
        model = await LocalModel.load(message.model, message.cwd, { variant: message.variant, threads: message.threads });
        return model.info;
      });
    case 'render':
      return answer(() => {
        if (!model) throw new Error('no model loaded');
        const { text, tokens, templateHash } = model.render(message.messages);
        return { text, tokens, templateHash };
      });
    case 'generate': {
      const run = queue.then(() => answer(async () => {
        if (!model) throw new Error('no model loaded');
        try {
          return await model.generate(message.messages, message.params,
            (text) => peer.notify({ type: 'piece', id: message.id, text }),
            () => closing || cancelled.has(message.id));
        } finally {
          cancelled.delete(message.id);
        }
      }));
      queue = run.catch(() => undefined);
      return run;
    }
    case 'cancel':
      cancelled.add(message.id);
      return undefined;
    case 'close':
      // Ending this thread from outside while onnxruntime runs a step aborts the whole process (a native error
      // thrown during termination): stop at the next step, release the session, then end the thread ourselves.
      closing = true;
      void queue.then(async () => {
        await model?.dispose().catch(() => undefined);
        model = undefined;
        process.exit(0);
      });
      return undefined;
  }
});
