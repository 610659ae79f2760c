import { WorkerConnection } from '../../platform/workerConnection';
import { ConvertReply, LintReply, type DatasetWorkerRequest, type LintRequestOptions } from '../../shared/protocol/datasetWorker';
import type { LintResult } from '../../core/dataset/types';
import type { ConvertResult } from '../../core/dataset/formats/convert';

type EditRequest = Omit<Extract<DatasetWorkerRequest, { type: 'edit' }>, 'type'>;

/**
 * The dataset worker thread, started on first use. If it dies (a crash, out of memory on a huge file)
 * pending requests fail and the next request starts a fresh one.
 */
export class DatasetWorkerClient {
  private readonly worker: WorkerConnection<DatasetWorkerRequest>;

  constructor(extensionPath: string, log: (line: string) => void) {
    this.worker = new WorkerConnection(extensionPath, 'dataset', log);
  }

  /** Lints a document's whole text; the worker keeps it for the edits that follow. */
  async lint(uri: string, version: number, text: string, options: LintRequestOptions): Promise<LintResult> {
    const reply = await this.worker.connect().request({ type: 'lint', uri, version, text, options }, LintReply, 120_000);
    if ('stale' in reply) throw new Error('the dataset worker answered a full lint as stale');
    return reply;
  }

  /** Lints after replacing some lines of the version the worker has; `stale` when it has another one. */
  edit(edit: EditRequest): Promise<LintResult | { stale: true }> {
    return this.worker.connect().request({ type: 'edit', ...edit }, LintReply, 120_000);
  }

  /** ShareGPT / Alpaca text → OpenAI messages JSONL. */
  convert(text: string, locale: 'en' | 'zh-cn', fileName: string): Promise<ConvertResult> {
    return this.worker.connect().request({ type: 'convert', text, locale, fileName }, ConvertReply, 120_000);
  }

  forget(uri: string): void {
    this.worker.current?.notify({ type: 'forget', uri });
  }

  dispose(): void {
    this.worker.dispose();
  }
}
