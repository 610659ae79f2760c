// Worker thread that reads training logs (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl, our events.jsonl)
// into loss curves with a convergence verdict, or CSV. Messages in src/shared/protocol/curvesWorker.ts.
// The logs it read are kept (a few, the most recent): a log that grew is read from where the last read stopped
// (growingLog.ts), and a zoomed range's points come from what is in memory.
import { parentPort } from 'node:worker_threads';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { CurvesWorkerRequest } from '../shared/protocol/curvesWorker';
import { curvesCsv, runDetail, toRun } from '../core/curves/run';
import { GrowingLog } from '../core/curves/growingLog';
import { NotRegularFileError } from '../core/regularFile';
import type { LossRun } from '../shared/protocol/lossCurve';
import type { Locale } from '../core/dataset/types';

if (!parentPort) throw new Error('the curves worker must run in a worker thread');

/** The logs kept in memory, least recently used first. */
const KEPT_LOGS = 8;
const logs = new Map<string, { log: GrowingLog; run?: { key: string; run: LossRun } }>();

/** A followed log read as of now; a FIFO, device or folder is refused (with the reason in `locale`), never waited on. */
function readLog(file: string, locale: Locale) {
  let entry = logs.get(file);
  logs.delete(file);
  entry ??= { log: new GrowingLog(file) };
  logs.set(file, entry);
  while (logs.size > KEPT_LOGS) logs.delete(logs.keys().next().value!);
  try {
    return { entry, result: entry.log.read() };
  } catch (err) {
    if (err instanceof NotRegularFileError) throw new Error(err.localized(locale));
    throw err;
  }
}

new RpcPeer<CurvesWorkerRequest, never>(workerPort(parentPort), CurvesWorkerRequest, (request) => {
  switch (request.type) {
    case 'lossRun': {
      const { entry, result } = readLog(request.path, request.locale);
      // Unchanged since the last read (a poll, a tooltip): the run made then.
      const key = `${entry.log.version}:${request.locale}:${request.displayName}`;
      if (entry.run?.key !== key) entry.run = { key, run: toRun(request.displayName, result.curves, result.skipped.length, request.locale) };
      return entry.run.run;
    }
    case 'lossDetail':
      return runDetail(readLog(request.path, 'en').result.curves, request.min, request.max, request.byEpoch);
    case 'lossCsv':
      return curvesCsv(readLog(request.path, 'en').result.curves);
  }
});
