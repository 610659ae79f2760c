// FT060: samples longer than the maximum length, counted with the model's own tokenizer and chat template.
import type { DatasetDiagnostic, Locale } from '../dataset/types';
import type { TokenResult } from '../../shared/protocol/tokenWorker';
import { message } from './messages';

/** The seed's default: a 4k-context model. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * One warning per counted sample over `maxTokens`, on its whole line (results carry 1-based lines;
 * `lineLength` gives a 0-based line's length so the span ends where the line does).
 */
export function lengthDiagnostics(
  results: readonly TokenResult[], maxTokens: number, model: string, locale: Locale, lineLength: (line: number) => number,
): DatasetDiagnostic[] {
  return results.flatMap((r) => {
    if (!('tokens' in r) || r.tokens <= maxTokens) return [];
    const line = r.line - 1;
    const params = { tokens: r.tokens, over: r.tokens - maxTokens, max: maxTokens, model };
    return [{
      code: 'FT060',
      severity: 'warning' as const,
      span: { line, column: 0, endLine: line, endColumn: lineLength(line) },
      message: message(locale, 'length.over', params),
    }];
  });
}
