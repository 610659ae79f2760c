// Counts a batch of dataset lines into results that cross the worker boundary as they are.
// Used by the worker thread and, single-threaded, by tests and small inputs.
import type { TokenItem, TokenResult } from '../../shared/protocol/tokenWorker';
import { countLine, countSample, SampleError, type TokenCountModel } from './count';

export function countBatch(model: TokenCountModel, items: readonly TokenItem[]): TokenResult[] {
  return items.map((item) => {
    try {
      const counted = 'text' in item ? countLine(model, item.text) : countSample(model, item.value);
      return { line: item.line, ...counted };
    } catch (err) {
      if (err instanceof SampleError) {
        return err.localized ? { line: item.line, error: err.code, message: err.message, localized: err.localized } : { line: item.line, error: err.code, message: err.message };
      }
      throw err;
    }
  });
}
