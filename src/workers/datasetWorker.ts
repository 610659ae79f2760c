// Worker thread that lints datasets off the extension host's main thread.
import { parentPort } from 'node:worker_threads';
import { RpcPeer, type Port } from '../shared/rpc';
import { DatasetWorkerRequest } from '../shared/protocol/datasetWorker';
import { lintText } from '../core/dataset/linter';

if (!parentPort) throw new Error('datasetWorker must run in a worker thread');
const parent = parentPort;

const port: Port = {
  post: (m) => parent.postMessage(m),
  listen: (cb) => {
    parent.on('message', cb);
    return { dispose: () => parent.off('message', cb) };
  },
};

new RpcPeer<DatasetWorkerRequest, never>(port, DatasetWorkerRequest, (request) => {
  switch (request.type) {
    case 'lint':
      return lintText(request.text, request.options);
    case 'forget':
      return null;
  }
});
