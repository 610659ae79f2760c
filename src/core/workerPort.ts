import type { MessagePort, Worker } from 'node:worker_threads';
import type { Port } from '../shared/rpc';

/** The RPC helper's Port over a worker thread: `worker` on the starting side, `parentPort` inside the worker. */
export function workerPort(target: Worker | MessagePort): Port {
  return {
    post: (m) => target.postMessage(m),
    listen: (cb) => {
      target.on('message', cb);
      return { dispose: () => target.off('message', cb) };
    },
  };
}
