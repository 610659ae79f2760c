// Types shared by the dataset linter, its quick fixes, the CLI and the extension host.
// Positions are 0-based; columns count UTF-16 code units, as VS Code does.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type Locale = 'en' | 'zh-cn';

export type DatasetFormat = 'openai' | 'sharegpt' | 'alpaca' | 'prompt_completion' | 'text';

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

/** A quick fix. `kind` groups fixes of one sort so the editor can offer "fix all of this kind". */
export interface DatasetFix {
  kind: string;
  title: string;
  edits: TextEdit[];
  /** What a fix that replaces one name with another changes (a role, a key): for the "fix all" title. */
  change?: { from: string; to: string };
}

export interface DatasetDiagnostic {
  /** Stable code, e.g. `FT001`; documented in docs/dataset-checks.md. */
  code: string;
  severity: Severity;
  span: Span;
  message: string;
  /** Other places that explain this one (e.g. the first copy of a duplicate). */
  related?: { span: Span; message: string }[];
  fix?: DatasetFix;
}

export interface LintOptions {
  locale?: Locale;
  /** Diagnostics kept per file (default 1000): the first ones by position; the rest are counted in `omitted`. */
  maxDiagnostics?: number;
  /** Parsed content of a LLaMA-Factory `dataset_info.json`; its entry for `fileName` sets format, columns and tags. */
  datasetInfo?: unknown;
  /** The dataset's file name (base name, or the path relative to `dataset_info.json`'s folder). */
  fileName?: string;
  /** `eval` leaves out the dataset-size guidance and words overlap findings for an eval file. Default `train`. */
  split?: 'train' | 'eval';
  /** Sample keys of other files (from `DatasetLinter.sampleKeys()`): samples also found there are reported. */
  overlapWith?: OverlapSource[];
  /** Keep this file's sample keys for `DatasetLinter.sampleKeys()` (24 bytes a sample). */
  collectSampleKeys?: boolean;
  /** Lines longer than this many UTF-16 units get FT008. Default 200,000. */
  maxLineLength?: number;
  /**
   * The text came from a decoder that turned invalid bytes into U+FFFD (VS Code does): report U+FFFD
   * as invalid UTF-8 (FT002, an error) rather than as a suspicious character (FT006, a warning).
   */
  replacementCharIsDecodeError?: boolean;
  /** Special tokens of the model's tokenizer, reported in text (FT071) besides the built-in list. */
  specialTokens?: readonly string[];
}

/**
 * Hashes of a file's samples, for train/eval overlap. Plain typed arrays so it crosses worker boundaries.
 * Entry i: `full[i]` (whole sample, whitespace- and case-normalised), `prompt[i]` (everything but the
 * final answer; 0 when the sample has no prompt), `lines[i]` (0-based line of its first occurrence).
 */
export interface SampleKeys {
  full: Float64Array;
  prompt: Float64Array;
  lines: Int32Array;
}

export interface OverlapSource {
  keys: SampleKeys;
  /** How messages name the other file, e.g. `train.jsonl`. */
  file: string;
}

export interface LintResult {
  /** The format most samples have; `mixed` when samples of several formats are present. */
  format: DatasetFormat | 'mixed' | 'unknown';
  samples: number;
  diagnostics: DatasetDiagnostic[];
  /** How many diagnostics were left out because of `maxDiagnostics`. */
  omitted: number;
  /** Diagnostics per severity, the omitted ones included (so "any error?" is answerable past the cap). */
  counts?: Record<Severity, number>;
}
