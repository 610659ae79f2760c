// Worker thread that reads training logs (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl, our events.jsonl)
// into loss curves with a convergence verdict, or CSV. Messages in src/shared/protocol/curvesWorker.ts.
import { parentPort } from 'node:worker_threads';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { CurvesWorkerRequest } from '../shared/protocol/curvesWorker';
import { lossCsv, lossRun } from '../core/curves/run';
import { NotRegularFileError, readRegularFileSync } from '../core/regularFile';
import type { Locale } from '../core/dataset/types';

if (!parentPort) throw new Error('the curves worker must run in a worker thread');

/** A training log's text; a FIFO, device or folder is refused (with the reason in `locale`), never waited on. */
function readLog(file: string, locale: Locale): string {
  try {
    return readRegularFileSync(file);
  } catch (err) {
    throw err instanceof NotRegularFileError ? new Error(err.localized(locale)) : err;
  }
}

new RpcPeer<CurvesWorkerRequest, never>(workerPort(parentPort), CurvesWorkerRequest, (request) => {
  switch (request.type) {
    case 'lossRun':
      return lossRun(request.path, request.displayName, readLog(request.path, request.locale), request.locale);
    case 'lossCsv':
      return lossCsv(request.path, readLog(request.path, 'en'));
  }
});
