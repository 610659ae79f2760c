// Worker thread that counts tokens: loads one model folder, then counts the batches of lines it is sent.
// Started by src/core/tokens/pool.ts; messages in src/shared/protocol/tokenWorker.ts.
import { parentPort } from 'node:worker_threads';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { TokenWorkerRequest, type CountReply, type LoadReply } from '../shared/protocol/tokenWorker';
import { loadTokenizerFolder, TokenizerFolderError } from '../core/tokens/tokenizerFolder';
import { countBatch } from '../core/tokens/batch';
import type { TokenCountModel } from '../core/tokens/count';

if (!parentPort) throw new Error('tokenWorker must run in a worker thread');

const port = workerPort(parentPort);

let model: TokenCountModel | undefined;

new RpcPeer<TokenWorkerRequest, never>(port, TokenWorkerRequest, async (request): Promise<LoadReply | CountReply> => {
  switch (request.type) {
    case 'load': {
      try {
        const loaded = await loadTokenizerFolder(request.tokenizer, request.cwd, { requireChatTemplate: request.requireChatTemplate });
        model = loaded;
        return { name: loaded.folder.name, dir: loaded.folder.dir };
      } catch (err) {
        if (err instanceof TokenizerFolderError) return { folderError: { key: err.key, params: err.params } };
        throw err;
      }
    }
    case 'count':
      if (!model) throw new Error('no tokenizer loaded');
      return { results: countBatch(model, request.items) };
  }
});
