// `lint --tokenizer <dir> [--max-tokens N]`: adds FT060 (samples over the maximum, counted with the model's
// own tokenizer and chat template) to the lint reports, counting in the token worker pool.
import * as path from 'node:path';
import type { CliIo } from '../io';
import type { LintResult, Locale, Span } from '../../core/dataset/types';
import { DEFAULT_MAX_TOKENS, lengthDiagnostics } from '../../core/tokens/lengthCheck';
import { sampleErrorText } from '../../core/tokens/messages';
import type { TokenItem, TokenResult } from '../../shared/protocol/tokenWorker';
import { fileLines, MAX_COUNTED_LINE_BYTES } from '../fileLines';

/** Starts the pool (throws a localized message for an unusable folder), counts each file, merges FT060 in. */
export async function addLengthDiagnostics(
  reports: { path: string; result: LintResult }[], tokenizer: string, maxTokens: number | undefined, io: CliIo, locale: Locale,
  seams: { maxLineBytes?: number; workerScript?: string } = {},
): Promise<void> {
  const maxLineBytes = seams.maxLineBytes ?? MAX_COUNTED_LINE_BYTES;
  const { TokenPool } = await import('../../core/tokens/pool');
  let pool: Awaited<ReturnType<typeof TokenPool.start>>;
  try {
    pool = await TokenPool.start({ tokenizer, cwd: io.cwd, workerScript: seams.workerScript });
  } catch (err) {
    const localized = (err as { localized?: (l: Locale) => string }).localized;
    throw new TokenizerUnusable(localized ? localized.call(err, locale) : String(err));
  }
  try {
    for (const report of reports) {
      const lengths = new Map<number, number>();
      const spans = new Map<number, Span>();
      const results: TokenResult[] = [];
      await pool.countStream(linesOf(path.resolve(io.cwd, report.path), lengths, spans, maxLineBytes), (batch) => { results.push(...batch); });
      // Samples the template could not render are not length-checked; a runaway template is said once per file.
      const runaway = results.find((r) => 'error' in r && r.localized);
      if (runaway && 'error' in runaway) io.stderr(`finetune-studio lint: ${report.path}: ${sampleErrorText(locale, runaway)}\n`);
      const found = lengthDiagnostics(results, maxTokens ?? DEFAULT_MAX_TOKENS, pool.model.name, locale, (line) => lengths.get(line) ?? 0);
      // A record of a `.json` array: the whole record (the first on its line), not its first line.
      for (const d of found) d.span = spans.get(d.span.line) ?? d.span;
      merge(report.result, found);
    }
  } finally {
    await pool.close();
  }
}

export class TokenizerUnusable extends Error {}

/**
 * The file's non-blank lines (or a `.json` array's records) as token items (1-based); records each line's length,
 * and each record's span, for the spans. A line over the
 * cap is not read: lint's FT008 already reports it.
 */
async function* linesOf(file: string, lengths: Map<number, number>, spans: Map<number, Span>, maxLineBytes: number): AsyncGenerator<TokenItem> {
  for await (const item of fileLines(file, maxLineBytes)) {
    if (!('text' in item)) continue;
    lengths.set(item.line - 1, item.text.length);
    if (item.span && !spans.has(item.line - 1)) spans.set(item.line - 1, item.span);
    yield { line: item.line, text: item.text };
  }
}

function merge(result: LintResult, extra: LintResult['diagnostics']): void {
  if (extra.length === 0) return;
  result.diagnostics = [...result.diagnostics, ...extra].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  if (result.counts) result.counts.warning += extra.length;
}
