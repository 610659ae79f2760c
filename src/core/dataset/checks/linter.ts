// The dataset linter: a streaming class (push one line at a time, then finish) with memory bounded by
// the diagnostics cap and a few hashes a sample, and `lintText` for a whole text on top of it.
import { FileAssembler, type AssemblerOptions } from './assembler';
import { lintJsonArray } from './array/arrayLinter';
import { isJsonArrayText } from '../parsing/jsonArray';
import { indexOverlap } from './crossLine';
import { layoutFromDatasetInfo } from '../formats/datasetInfo';
import { lintLine, type LineContext, type LineDecodeInfo, type LineResult } from './lineLinter';
import { BUILTIN_SPECIAL_TOKEN_FINDER, BUILTIN_SPECIAL_TOKENS, specialTokenFinder } from './textHazards';
import type { LintOptions, LintResult, SampleKeys } from '../types';

export const DEFAULT_MAX_DIAGNOSTICS = 1000;
export const DEFAULT_MAX_LINE_LENGTH = 200_000;

export type { LineDecodeInfo } from './lineLinter';

/** The per-line context that options give (shared by the streaming and the incremental linter). */
export function lineContext(options: LintOptions): LineContext {
  return {
    locale: options.locale ?? 'en',
    mapped: options.datasetInfo === undefined ? undefined : layoutFromDatasetInfo(options.datasetInfo, options.fileName),
    maxLineLength: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
    replacementCharIsDecodeError: options.replacementCharIsDecodeError ?? false,
    specialTokens: options.specialTokens?.length ? specialTokenFinder([...BUILTIN_SPECIAL_TOKENS, ...options.specialTokens]) : BUILTIN_SPECIAL_TOKEN_FINDER,
  };
}

/** What the file assembler needs from the options (`overlap` indexed once by the caller). */
export function assemblerOptions(options: LintOptions, overlap = (options.overlapWith ?? []).map(indexOverlap)): AssemblerOptions {
  return {
    locale: options.locale ?? 'en',
    max: Math.max(0, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS),
    split: options.split ?? 'train',
    overlap,
    collectKeys: options.collectSampleKeys ?? false,
  };
}

/**
 * Lints a file line by line. Push every line in order (0-based numbers, without its line break; a
 * trailing `\r` is ignored), then `finish()`.
 */
export class DatasetLinter {
  private readonly ctx: LineContext;
  private readonly assembler: FileAssembler;

  constructor(options: LintOptions = {}) {
    this.ctx = lineContext(options);
    this.assembler = new FileAssembler(assemblerOptions(options));
  }

  /** `decode` tells what a byte-level reader saw, e.g. bytes that were not UTF-8. */
  push(text: string, line: number, decode?: LineDecodeInfo): void {
    this.assembler.add(line, lintLine(text, this.ctx, decode));
  }

  /** Adds line `line` already checked on its own (`lintLine`, e.g. in a worker thread), in order as `push`. */
  add(line: number, r: LineResult): void {
    this.assembler.add(line, r);
  }

  /** `finalNewline`: the text ended with a line break (default true, as files usually do). */
  finish(end: { finalNewline?: boolean } = {}): LintResult {
    return this.assembler.finish({ finalNewline: end.finalNewline ?? true });
  }

  /** This file's sample keys, for checking another file against it (needs `collectSampleKeys`). */
  sampleKeys(): SampleKeys {
    return this.assembler.sampleKeys();
  }

  /** Sizes the duplicate indexes for about this many samples at once (a hint: they grow as needed). */
  reserve(samples: number): void {
    this.assembler.reserve(samples);
  }
}

/**
 * Lints a whole text. Lines break at \n only, a \r before it dropped, as the CLI reads files and the
 * trainer reads datasets (a lone \r stays in its line: FT074 when it separates samples). A `.json` file (by
 * `options.fileName`) that holds an array is read record by record instead (arrayLinter.ts).
 */
export function lintText(text: string, options: LintOptions = {}): LintResult {
  if (isJsonArrayText(text, options.fileName)) return lintJsonArrayText(text, options).result;
  const linter = new DatasetLinter(options);
  const lines = splitLines(text);
  lines.forEach((line, i) => linter.push(line, i));
  return linter.finish({ finalNewline: endsWithNewline(text) });
}

/** Lints a JSON array text record by record (see isJsonArrayText), with its sample keys when `collectSampleKeys`. */
export function lintJsonArrayText(text: string, options: LintOptions = {}): { result: LintResult; keys: SampleKeys | undefined } {
  return lintJsonArray(text, lineContext(options), assemblerOptions(options));
}

/**
 * The lines of `text` without their line breaks (\n, or \r\n), and without the empty "line" after a final
 * one. The one definition of a line: Utf8LineSplitter (bytes) and trainer/finetune_trainer/jsonl.py agree.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  // Native split: a JS loop of indexOf/slice was seen to turn quadratic on some strings in V8.
  const lines = text.split('\n');
  if (endsWithNewline(text)) lines.pop();
  if (text.indexOf('\r') !== -1) {
    for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  }
  return lines;
}

export function endsWithNewline(text: string): boolean {
  return text.charCodeAt(text.length - 1) === 0x0a;
}
