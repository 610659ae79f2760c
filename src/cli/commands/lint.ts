// `finetune-studio lint <file...> [--eval <file>] [--tokenizer <dir> [--max-tokens N]] [--json] [--locale en|zh-cn]`:
// checks datasets for CI pipelines. JSONL files are streamed (never read whole), decoded line by line as
// UTF-8; a `.json` array (LLaMA-Factory's usual dataset) is read whole and checked record by record; a LLaMA-Factory dataset_info.json beside a file describes its columns. Exit status: 0 clean,
// 1 when any error-severity diagnostic, 2 on usage errors (unknown option, unreadable file). A file that is not a
// dataset (model predictions, a training log, a model's JSON) is said to be one and not checked.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../io';
import { parseArgs } from '../args';
import { DatasetLinter, lintJsonArrayText } from '../../core/dataset/checks/linter';
import { jsonArrayStatus } from '../../core/dataset/formats/jsonArrayFile';
import { readJsonArrayFile, type JsonArrayFile } from '../jsonArrayFile';
import { t } from '../../core/dataset/messages';
import { Utf8LineSplitter, type LineSink } from '../../core/dataset/parsing/utf8Lines';
import { NotRegularFileError, openRegularFile, readRegularFile } from '../../core/regularFile';
import { lintInWorkers } from '../lintInWorkers';
import { severityCounts } from '../../core/dataset/checks/severityCounts';
import type { LintOptions, LintResult, Locale, OverlapSource, SampleKeys, Severity } from '../../core/dataset/types';
import { notDatasetText, type NotDatasetKind } from '../../core/dataset/formats/notDataset';
import { notDatasetFile } from '../../core/dataset/formats/notDatasetFile';

interface LintArgs {
  files: string[];
  evalFile?: string;
  maxTokens?: number;
  tokenizer?: string;
  json: boolean;
  locale?: Locale;
  help: boolean;
}

interface FileReport {
  path: string;
  result: LintResult;
  keys: SampleKeys | undefined;
  /** What the file is instead of a dataset; it was not checked. */
  notDataset?: NotDatasetKind;
  /** A `.json` array that no dataset_info.json beside it names (LLaMA-Factory would not read it). */
  notRegistered?: boolean;
}

type Parsed = { ok: true; args: LintArgs } | { ok: false; error: string };

export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseLintArgs(argv, io.locale);
  const locale = parsed.ok ? parsed.args.locale ?? io.locale : io.locale;
  const usageError = (error: string) => {
    io.stderr(`finetune-studio lint: ${error}\n${t(locale, 'cli.usage', {})}\n`);
    return 2;
  };
  if (!parsed.ok) return usageError(parsed.error);
  const args = parsed.args;
  if (args.help) {
    io.stdout(t(locale, 'cli.usage', {}) + '\n');
    return 0;
  }
  if (args.files.length === 0) return usageError(t(locale, 'cli.noFiles', {}));
  const unreadable = await firstUnreadable([...args.files, ...(args.evalFile ? [args.evalFile] : [])], io, locale);
  if (unreadable) return usageError(unreadable);
  if (args.maxTokens !== undefined && args.tokenizer === undefined) io.stderr(t(locale, 'cli.maxTokensNeedsTokenizer', { max: args.maxTokens }) + '\n');
  const reports = await lintAll(args, io, locale, await tokenizerSpecialTokens(args.tokenizer, io));
  if (args.tokenizer !== undefined) {
    const { addLengthDiagnostics, TokenizerUnusable } = await import('./lintTokens');
    try {
      await addLengthDiagnostics(reports.filter((r) => !r.notDataset), args.tokenizer, args.maxTokens, io, locale);
    } catch (err) {
      if (err instanceof TokenizerUnusable) return usageError(err.message);
      throw err;
    }
  }
  printReports(reports, args.json, io, locale);
  return reports.some((r) => (r.result.counts?.error ?? 0) > 0) ? 1 : 0;
}

async function lintAll(args: LintArgs, io: CliIo, locale: Locale, specialTokens: string[]): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const common: LintOptions = specialTokens.length > 0 ? { locale, specialTokens } : { locale };
  // Sample keys are kept only when an eval file will be checked against them.
  for (const file of args.files) reports.push(await lintFile(file, { ...common, collectSampleKeys: args.evalFile !== undefined }, io));
  if (args.evalFile) {
    const train: OverlapSource[] = reports.flatMap((r) => (r.keys ? [{ keys: r.keys, file: r.path }] : []));
    reports.push(await lintFile(args.evalFile, { ...common, split: 'eval', overlapWith: train }, io));
  }
  return reports;
}

/** With --tokenizer, its special tokens (FT071 reports them in text); none when the folder is unusable (said later). */
async function tokenizerSpecialTokens(tokenizer: string | undefined, io: CliIo): Promise<string[]> {
  if (tokenizer === undefined) return [];
  const { inspectTokenizerFolder, textSpecialTokens } = await import('../../core/tokens/tokenizerFolder');
  try {
    return textSpecialTokens(await inspectTokenizerFolder(tokenizer, io.cwd, { requireChatTemplate: false }));
  } catch {
    return [];
  }
}

/** Files from this size on are read, decoded and checked line by line in worker threads (lintInWorkers.ts). */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/** Lines read before the duplicate indexes are sized for the whole file. */
const SIZING_LINES = 2000;

/** Streams one file through the linter (a big one through worker threads). */
async function lintFile(file: string, base: LintOptions, io: CliIo): Promise<FileReport> {
  const abs = path.resolve(io.cwd, file);
  const notDataset = await notDatasetFile(abs);
  if (notDataset) return { path: file, result: { diagnostics: [], omitted: 0, samples: 0, format: 'unknown' }, keys: undefined, notDataset };
  const options: LintOptions = { ...base, ...(await datasetInfoFor(abs, io, base.locale ?? 'en')) };
  const array = await readJsonArrayFile(abs);
  if (array) return lintArrayFile(file, array, { ...options, fileName: path.basename(abs) });
  const linter = new DatasetLinter(options);
  const size = (await fs.stat(abs)).size;
  let chars = 0;
  const sink: LineSink = (text, line, decode) => {
    linter.push(text, line, decode);
    if (line >= SIZING_LINES) return;
    chars += text.length + 1;
    // Size the duplicate indexes once from the first lines (at most 3 bytes a character: a low estimate).
    if (line === SIZING_LINES - 1) linter.reserve(Math.ceil((size * SIZING_LINES) / (chars * 3)));
  };
  const big = size >= WORKER_MIN_BYTES;
  const end = (big && (await lintInWorkers(abs, size, options, linter))) || (await streamInThread(abs, sink));
  return { path: file, result: linter.finish(end), keys: options.collectSampleKeys ? linter.sampleKeys() : undefined };
}

/** A `.json` array read whole, record by record; one that no dataset_info.json names gets a note, one of other records is not a dataset. */
function lintArrayFile(file: string, array: JsonArrayFile, options: LintOptions): FileReport {
  const status = jsonArrayStatus(array.text, options.fileName, options.datasetInfo);
  if (status === 'notSamples') return { path: file, result: { diagnostics: [], omitted: 0, samples: 0, format: 'unknown' }, keys: undefined, notDataset: 'jsonArray' };
  const { result, keys } = lintJsonArrayText(array.text, { ...options, replacementCharIsDecodeError: array.invalidUtf8 });
  return { path: file, result, keys, notRegistered: status === 'unregistered' };
}

async function streamInThread(abs: string, sink: LineSink): Promise<{ finalNewline: boolean }> {
  const splitter = new Utf8LineSplitter(sink);
  const handle = await openRegularFile(abs);
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) splitter.push(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return splitter.end();
}

/** LLaMA-Factory's dataset_info.json in the file's folder, when there is one. */
async function datasetInfoFor(abs: string, io: CliIo, locale: Locale): Promise<Partial<LintOptions>> {
  const infoPath = path.join(path.dirname(abs), 'dataset_info.json');
  let text: string;
  try {
    text = await readRegularFile(infoPath);
  } catch (e) {
    // None is the usual case; a FIFO or a folder of that name is said, not waited on.
    if (e instanceof NotRegularFileError) io.stderr(t(locale, 'cli.datasetInfoUnreadable', { file: infoPath, reason: e.localized(locale) }) + '\n');
    return {};
  }
  try {
    return { datasetInfo: JSON.parse(text) as unknown, fileName: path.basename(abs) };
  } catch (e) {
    io.stderr(t(locale, 'cli.datasetInfoUnreadable', { file: infoPath, reason: e instanceof Error ? e.message : String(e) }) + '\n');
    return {};
  }
}

/** A message for the first file that is missing, unreadable or not a regular file (a FIFO, a device), or undefined. */
async function firstUnreadable(files: string[], io: CliIo, locale: Locale): Promise<string | undefined> {
  for (const file of files) {
    try {
      await (await openRegularFile(path.resolve(io.cwd, file))).close();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = e instanceof NotRegularFileError ? e.localized(locale)
        : code === 'ENOENT' ? (locale === 'zh-cn' ? '文件不存在' : 'no such file') : code ?? String(e);
      return t(locale, 'cli.missingFile', { file, reason });
    }
  }
  return undefined;
}

function printReports(reports: FileReport[], json: boolean, io: CliIo, locale: Locale): void {
  if (json) {
    io.stdout(JSON.stringify({ files: reports.map(jsonFile) }) + '\n');
    for (const r of reports) if (r.result.omitted > 0) io.stderr(`${r.path}: ${t(locale, 'cli.omitted', { count: r.result.omitted }).trim()}\n`);
    return;
  }
  for (const r of reports) io.stdout(humanReport(r, locale));
}

/** The `--json` shape: lines and columns 1-based; `counts` and `omitted` per severity, the findings past the cap
 * included; a file that is not a dataset adds `notDataset` (what it is); a `.json` array no dataset_info.json
 * names adds `notRegistered: true`. */
function jsonFile(r: FileReport) {
  if (r.notDataset) return { path: r.path, format: r.result.format, samples: 0, diagnostics: [], notDataset: r.notDataset };
  const counts = severityCounts(r.result);
  return {
    path: r.path,
    format: r.result.format,
    samples: r.result.samples,
    ...(r.notRegistered ? { notRegistered: true } : {}),
    counts,
    omitted: omittedBySeverity(r.result, counts),
    diagnostics: r.result.diagnostics.map((d) => ({
      line: d.span.line + 1,
      column: d.span.column + 1,
      endLine: d.span.endLine + 1,
      endColumn: d.span.endColumn + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  };
}

/** What the cap left out: the total, and per severity (all found minus those listed). */
function omittedBySeverity(result: LintResult, counts: Record<Severity, number>): { total: number } & Record<Severity, number> {
  const shown: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of result.diagnostics) shown[d.severity]++;
  const left = (s: Severity) => Math.max(0, counts[s] - shown[s]);
  return { total: result.omitted, error: left('error'), warning: left('warning'), information: left('information'), hint: left('hint') };
}

/** `path:line:col: severity code message` lines, then the file's summary. */
function humanReport(r: FileReport, locale: Locale): string {
  if (r.notDataset) return t(locale, 'cli.notDataset', { file: r.path, kind: notDatasetText(locale, r.notDataset) }) + '\n\n';
  const lines = r.result.diagnostics.map((d) => `${r.path}:${d.span.line + 1}:${d.span.column + 1}: ${d.severity} ${d.code} ${d.message}`);
  if (r.result.omitted > 0) lines.push(t(locale, 'cli.omitted', { count: r.result.omitted }));
  if (r.notRegistered) lines.push(t(locale, 'cli.notRegistered', { file: r.path }));
  const c = severityCounts(r.result);
  lines.push(t(locale, 'cli.summary', {
    file: r.path, samples: r.result.samples, format: r.result.format,
    errors: c.error, warnings: c.warning, infos: c.information, hints: c.hint,
  }));
  return lines.join('\n') + '\n\n';
}

function parseLintArgs(argv: string[], locale: Locale): Parsed {
  const args: LintArgs = { files: [], json: false, help: false };
  const parsed = parseArgs(argv, {
    booleans: {
      '--json': () => { args.json = true; },
      '--help': () => { args.help = true; },
      '-h': () => { args.help = true; },
    },
    values: {
      '--eval': (v) => { args.evalFile = v; return undefined; },
      '--tokenizer': (v) => { args.tokenizer = v; return undefined; },
      '--max-tokens': (v = '') => {
        if (!/^[1-9]\d*$/.test(v)) return t(locale, 'cli.badValue', { flag: '--max-tokens', value: v, expected: locale === 'zh-cn' ? '正整数' : 'a positive integer' });
        args.maxTokens = Number(v);
        return undefined;
      },
      '--locale': (v) => {
        if (v !== 'en' && v !== 'zh-cn') return t(locale, 'cli.badValue', { flag: '--locale', value: v ?? '', expected: 'en | zh-cn' });
        args.locale = v;
        return undefined;
      },
    },
    missingValue: (flag) => t(locale, 'cli.missingValue', { flag }),
    unknown: (_arg, flag) => t(locale, 'cli.unknownFlag', { flag }),
    endOfOptions: true,
  });
  if ('error' in parsed) return { ok: false, error: parsed.error };
  args.files = parsed.files;
  return { ok: true, args };
}
