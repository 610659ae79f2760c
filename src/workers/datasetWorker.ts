// Worker thread that lints datasets off the extension host's main thread. It keeps one incremental
// linter per open document, so an edit re-checks only the lines that changed.
import { parentPort } from 'node:worker_threads';
import { RpcPeer, type Port } from '../shared/rpc';
import { DatasetWorkerRequest } from '../shared/protocol/datasetWorker';
import { IncrementalLinter } from '../core/dataset/incremental';

if (!parentPort) throw new Error('datasetWorker must run in a worker thread');
const parent = parentPort;

const port: Port = {
  post: (m) => parent.postMessage(m),
  listen: (cb) => {
    parent.on('message', cb);
    return { dispose: () => parent.off('message', cb) };
  },
};

/** Per document: the linter and the options it was made with (new options → a new linter). */
const documents = new Map<string, { options: string; linter: IncrementalLinter }>();

function linterFor(uri: string, options: Extract<DatasetWorkerRequest, { type: 'lint' }>['options']): IncrementalLinter {
  const key = JSON.stringify(options);
  let entry = documents.get(uri);
  if (!entry || entry.options !== key) {
    // VS Code decodes bytes that are not UTF-8 as U+FFFD, so that character means invalid UTF-8 here.
    entry = { options: key, linter: new IncrementalLinter({ ...options, replacementCharIsDecodeError: true }) };
    documents.set(uri, entry);
  }
  return entry.linter;
}

new RpcPeer<DatasetWorkerRequest, never>(port, DatasetWorkerRequest, (request) => {
  switch (request.type) {
    case 'lint':
      return linterFor(request.uri, request.options).update(request.text);
    case 'forget':
      documents.delete(request.uri);
      return null;
  }
});
