import * as z from 'zod';
import { WorkerConnection } from '../../platform/workerConnection';
import { LossRunReply, RunDetailReply, type CurvesWorkerRequest } from '../../shared/protocol/curvesWorker';
import type { LossRun, RunDetail } from '../../shared/protocol/lossCurve';

/** The curves worker thread (src/workers/curvesWorker.ts), started on first use and again after a crash. */
export class CurvesWorkerClient {
  private readonly worker: WorkerConnection<CurvesWorkerRequest>;

  constructor(extensionPath: string, log: (line: string) => void) {
    this.worker = new WorkerConnection(extensionPath, 'curves', log);
  }

  /** Reads, imports and diagnoses a training log; rejects with the reason it is not one. */
  lossRun(path: string, displayName: string, locale: 'en' | 'zh-cn'): Promise<LossRun> {
    return this.worker.connect().request({ type: 'lossRun', path, displayName, locale }, LossRunReply, 120_000);
  }

  /** The points of a log between two steps (or epochs) at full resolution, for a zoomed chart. */
  lossDetail(path: string, min: number, max: number, byEpoch: boolean): Promise<RunDetail> {
    return this.worker.connect().request({ type: 'lossDetail', path, min, max, byEpoch }, RunDetailReply, 120_000);
  }

  /** A training log's curves as CSV. */
  lossCsv(path: string): Promise<string> {
    return this.worker.connect().request({ type: 'lossCsv', path }, z.string(), 120_000);
  }

  dispose(): void {
    this.worker.dispose();
  }
}
