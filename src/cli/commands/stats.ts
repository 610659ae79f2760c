// `finetune-studio stats <file> --tokenizer <dir>`: token-length statistics of a JSONL dataset (or a `.json` array) with a model's own
// tokenizer and chat template, and the guide's context-length and epoch recommendations.
import * as path from 'node:path';
import type { CliIo } from '../io';
import { argsOrExit, localeOption, oneFile, parseArgs } from '../args';
import { usageMessage } from '../usageMessages';
import type { Locale } from '../../core/dataset/types';
import type { TokenItem, TokenResult } from '../../shared/protocol/tokenWorker';
import { computeStats, group, type SampleTokens, type TokenStats } from '../../core/tokens/stats';
import { message, percent, sampleErrorText } from '../../core/tokens/messages';
import { TokenizerFolderError } from '../../core/tokens/tokenizerFolder';
import { TokenPool } from '../../core/tokens/pool';
import { openRegularFile, readErrorReason } from '../../core/regularFile';
import { fileLines, MAX_COUNTED_LINE_BYTES } from '../fileLines';
import { MESSAGE_MAX_CHARS, quoteText } from '../../core/messageText';
import { displayWidth } from '../displayWidth';

const HELP = `Usage: finetune-studio stats <file> --tokenizer <dir> [--json] [--locale en|zh-cn] [--workers N]

Counts the tokens of every sample of a JSONL dataset (or a .json array of samples) with the model's tokenizer and chat template (as
transformers' apply_chat_template renders it), and prints length percentiles, the share of samples over 4k and
8k tokens, and the guide's context-length and epoch recommendations.

  <file>             the dataset: OpenAI chat (messages, optional tools), prompt/completion or text samples;
                     ShareGPT and Alpaca samples are counted as the OpenAI messages they convert to
  --tokenizer <dir>  the local model folder holding tokenizer.json and tokenizer_config.json (or chat_template.jinja)
  --json             print JSON: {"samples","tokens":{"mean","p50","p90","p95","p99","max"},"over4k","over8k",
                     "recommendation":{...},"perSample":[{"line","tokens","trainTokens"}]}; lines are 1-based,
                     over4k and over8k are fractions from 0 to 1 of samples with more than 4096 / 8192 tokens
  --locale en|zh-cn  language of the recommendation (default: from LANG)
  --workers N        worker threads (default: one per core, at most 4)

Percentiles are nearest-rank. Lines that are not valid JSON are skipped and counted (see finetune-studio lint).
Exit status: 0 done, 1 the file cannot be read, 2 wrong usage or an unusable tokenizer folder.
`;

interface StatsArgs {
  file: string;
  tokenizer: string;
  json: boolean;
  locale: Locale;
  workers: number | undefined;
}

/** Test seams: where the built worker script is, and how many workers to start. */
export interface StatsCommandOptions {
  workerScript?: string;
  workers?: number;
  /** Lines of more bytes are not read (default MAX_COUNTED_LINE_BYTES). */
  maxLineBytes?: number;
}

export async function statsCommand(args: string[], io: CliIo, options: StatsCommandOptions = {}): Promise<number> {
  const parsed = argsOrExit('stats', args, io, HELP, parseStatsArgs);
  if (typeof parsed === 'number') return parsed;
  const file = path.resolve(io.cwd, parsed.file);
  const readable = await checkReadable(file, parsed.locale);
  if (readable !== undefined) {
    io.stderr(`finetune-studio stats: cannot read ${parsed.file}: ${readable}\n`);
    return 1;
  }
  const maxLineBytes = options.maxLineBytes ?? MAX_COUNTED_LINE_BYTES;
  const tooLong: TokenResult[] = [];
  let pool: TokenPool;
  try {
    pool = await TokenPool.start({
      tokenizer: parsed.tokenizer,
      cwd: io.cwd,
      workers: parsed.workers ?? options.workers,
      workerScript: options.workerScript,
    });
  } catch (err) {
    if (err instanceof TokenizerFolderError) {
      io.stderr(`finetune-studio stats: ${err.localized(parsed.locale)}\n`);
      return 2;
    }
    throw err;
  }
  const results: TokenResult[] = [];
  try {
    await pool.countStream(readLines(file, maxLineBytes, parsed.locale, tooLong), (batch) => { for (const r of batch) results.push(r); });
    results.push(...tooLong);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) {
      io.stderr(`finetune-studio stats: cannot read ${parsed.file}: ${readErrorReason(err, parsed.locale)}\n`);
      return 1;
    }
    throw err;
  } finally {
    await pool.close();
  }
  results.sort((a, b) => a.line - b.line);
  const perSample: (SampleTokens & { approximate?: true })[] = [];
  const failed: Extract<TokenResult, { error: string }>[] = [];
  for (const r of results) {
    if ('error' in r) failed.push(r);
    else perSample.push(r);
  }
  const stats = computeStats(perSample, { locale: parsed.locale });
  const parseErrors = failed.filter((f) => f.error === 'parse').length;
  const otherErrors = failed.filter((f) => f.error !== 'parse');
  if (parsed.json) {
    io.stdout(JSON.stringify(toJson(stats, pool.model, perSample, parseErrors, otherErrors)) + '\n');
  } else {
    io.stdout(humanReport(stats, { file: parsed.file, model: parsed.tokenizer, locale: parsed.locale, parseErrors, otherErrors, perSample }));
  }
  return 0;
}

function parseStatsArgs(args: string[], defaultLocale: Locale): StatsArgs | string {
  let tokenizer: string | undefined;
  let json = false;
  let locale = defaultLocale;
  let workers: number | undefined;
  const parsed = parseArgs(args, {
    booleans: { '--json': () => { json = true; } },
    values: {
      '--tokenizer': (v) => {
        tokenizer = v;
        return tokenizer ? undefined : usageMessage(locale, 'tokenizerValue');
      },
      '--locale': localeOption((v) => { locale = v; }, locale),
      '--workers': (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 64) return usageMessage(locale, 'workers');
        workers = n;
        return undefined;
      },
    },
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  const one = oneFile(parsed.files, usageMessage(locale, 'noDataset'), 'dataset', locale);
  if ('error' in one) return one.error;
  if (!tokenizer) {
    return usageMessage(locale, 'noTokenizer');
  }
  return { file: one.file, tokenizer, json, locale, workers };
}

/** Why the file cannot be read (a FIFO, a device, a folder, missing...), or undefined. */
async function checkReadable(file: string, locale: Locale): Promise<string | undefined> {
  try {
    await (await openRegularFile(file)).close();
    return undefined;
  } catch (err) {
    return readErrorReason(err, locale);
  }
}

/**
 * The file's non-blank lines with 1-based numbers; a line over the cap is not read but listed in `tooLong` as a
 * sample that could not be counted, with its size.
 */
async function* readLines(file: string, maxLineBytes: number, locale: Locale, tooLong: TokenResult[]): AsyncGenerator<TokenItem> {
  for await (const item of fileLines(file, maxLineBytes)) {
    if ('text' in item) yield { line: item.line, text: item.text };
    else tooLong.push({ line: item.line, error: 'size', message: message(locale, 'cli.lineTooLong', { bytes: item.tooLongBytes, limit: maxLineBytes }) });
  }
}

function toJson(
  stats: TokenStats,
  model: { name: string; dir: string },
  perSample: readonly (SampleTokens & { approximate?: true })[],
  parseErrors: number,
  otherErrors: readonly { line: number; error: string; message: string }[],
) {
  return {
    samples: stats.samples,
    tokens: stats.tokens,
    over4k: stats.over4k,
    over8k: stats.over8k,
    totalTokens: stats.totalTokens,
    trainTokens: stats.trainTokens,
    recommendation: stats.recommendation,
    tokenizer: model,
    skipped: { notJson: parseErrors, notCounted: otherErrors.map(({ line, error, message }) => ({ line, reason: error, message })) },
    perSample: perSample.map(({ line, tokens, trainTokens, approximate }) => (approximate ? { line, tokens, trainTokens, approximate } : { line, tokens, trainTokens })),
  };
}

interface ReportContext {
  file: string;
  model: string;
  locale: Locale;
  parseErrors: number;
  otherErrors: readonly { line: number; message: string; localized?: { key: string; params: Record<string, string> } }[];
  perSample: readonly { approximate?: true }[];
}

function humanReport(stats: TokenStats, c: ReportContext): string {
  const t = (key: Parameters<typeof message>[1], params?: Record<string, string | number>) => message(c.locale, key, params);
  const s = stats.tokens;
  const over = (fraction: number, n: number) => `${percent(fraction)} (${group(n)})`;
  const rows: [string, string][] = [
    [t('cli.samples'), group(stats.samples)],
    [t('cli.tokens'), `mean ${s.mean} · p50 ${group(s.p50)} · p90 ${group(s.p90)} · p95 ${group(s.p95)} · p99 ${group(s.p99)} · max ${group(s.max)}`],
    [t('cli.over4k'), over(stats.over4k, stats.recommendation.longSamples.length)],
    [t('cli.over8k'), over(stats.over8k, stats.recommendation.over8kSamples.length)],
    [
      t('cli.trained'),
      t('cli.trainedValue', {
        train: group(stats.trainTokens),
        total: group(stats.totalTokens),
        share: percent(stats.totalTokens ? stats.trainTokens / stats.totalTokens : 0),
      }),
    ],
  ];
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  const out = [t('cli.title', { file: c.file, model: c.model }), ''];
  for (const [label, value] of rows) out.push(`  ${label}${' '.repeat(width - displayWidth(label))}  ${value}`);
  out.push('', t('cli.recommendation'));
  for (const m of stats.recommendation.messages) out.push(`  • ${m}`);
  const notes: string[] = [];
  if (c.parseErrors > 0) notes.push(t('cli.skippedParse', { count: c.parseErrors, file: c.file }));
  if (c.otherErrors.length > 0) {
    notes.push(t('cli.skippedOther', { count: c.otherErrors.length }));
    // A chat template's error can quote the sample: shortened and escaped.
    for (const e of c.otherErrors.slice(0, 10)) notes.push(`    ${e.line}: ${quoteText(sampleErrorText(c.locale, e), c.locale, MESSAGE_MAX_CHARS)}`);
    if (c.otherErrors.length > 10) notes.push(`    ${t('more', { count: c.otherErrors.length - 10 })}`);
  }
  const approximate = c.perSample.filter((p) => p.approximate).length;
  if (approximate > 0) notes.push(t('cli.approximate', { count: approximate }));
  if (notes.length > 0) out.push('', ...notes.map((n) => (n.startsWith('    ') ? n : `  ${n}`)));
  return out.join('\n') + '\n';
}
