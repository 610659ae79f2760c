// Builds a file's LintResult from its lines' results, in line order: moves each line's diagnostics to
// its line, adds the cross-line checks, keeps the first `max` diagnostics (counting the rest), and at
// the end adds the file-level ones (mixed formats, size, no samples, binary or UTF-16 file) and the edits of the
// delete-line fixes. Both the streaming linter and the editor's incremental linter feed it.
import { severityOf } from '../codes';
import { CrossLineChecks, type OverlapIndex } from './crossLine';
import type { LineResult } from './lineLinter';
import { lineSpan, message } from './materialise';
import type { DatasetDiagnostic, DatasetFormat, Locale, LintResult, SampleKeys, Severity, TextEdit } from '../types';

/** The seed's guidance: models under 20B usually need about 1000 labelled samples. */
export const SIZE_GUIDANCE = 1000;

const FORMAT_NAMES: Record<DatasetFormat, string> = {
  openai: 'OpenAI messages', sharegpt: 'ShareGPT', alpaca: 'Alpaca', prompt_completion: 'prompt/completion', text: 'text',
};

export interface AssemblerOptions {
  locale: Locale;
  max: number;
  split: 'train' | 'eval';
  overlap: readonly OverlapIndex[];
  collectKeys: boolean;
  /** For a JSON array, whose samples are numbered by record: the 0-based line record `id` starts on. */
  lineOf?: (id: number) => number;
}

export interface DocumentEnd {
  /** True when the text ends with a line break (so a line exists after the last one given). */
  finalNewline: boolean;
}

export class FileAssembler {
  private readonly cross: CrossLineChecks;
  private readonly kept: DatasetDiagnostic[] = [];
  private readonly counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  private readonly formats = new Map<DatasetFormat, { count: number; line: number; length: number }>();
  private omitted = 0;
  private samples = 0;
  private contentLines = 0;
  private binary: { diagnostic: DatasetDiagnostic | undefined; lines: number } | undefined;
  /** A line held samples separated by lone CRs (FT074), which already says why there are none. */
  private crOnly = false;
  private lastLine = -1;
  /** Lengths of line 0 and of the last line (for the first-line span and deleting the last line). */
  private firstLength = 0;
  private lastLength = 0;

  private readonly keepFn = (d: DatasetDiagnostic) => void this.keep(d);

  constructor(private readonly options: AssemblerOptions) {
    this.cross = new CrossLineChecks(options.locale, options.overlap, options.split, options.collectKeys, options.max, options.lineOf);
  }

  /**
   * Adds a line's result. `cross`: its cross-line diagnostics on line 0, when the caller already knows
   * them (the incremental linter); otherwise they are found here as lines stream in.
   */
  add(line: number, r: LineResult, cross?: readonly DatasetDiagnostic[]): void {
    this.track(line, r.length);
    if (r.kind !== 'blank' && this.contentLines++ === 0 && r.kind === 'binary') this.binary = { diagnostic: undefined, lines: 0 };
    if (this.binary) return this.addInBinaryFile(line, r);
    for (const d of r.diagnostics) this.keep(placed(d, line));
    if (r.kind !== 'sample') {
      if (r.kind === 'invalid' && r.diagnostics.some((d) => d.code === 'FT074')) this.crOnly = true;
      return;
    }
    this.samples++;
    if (r.format) this.countFormat(r.format, line, r.length);
    if (cross) for (const d of cross) this.keep(placed(d, line));
    else this.cross.check(line, r, this.keepFn);
  }

  /**
   * Adds record `id` (its number) of a JSON array, starting on `line`. `place` puts each diagnostic at its file
   * position: the record's own (`own`, on line 0 at offsets into the record) and its cross-record ones (on line
   * `id`, and related spans on the first copy's id), changing the object given (FT040 messages are rewritten later).
   */
  addRecord(id: number, line: number, r: LineResult, place: (d: DatasetDiagnostic, own: boolean) => void): void {
    this.track(line, r.length);
    this.contentLines++;
    for (const d of r.diagnostics) {
      place(d, true);
      this.keep(d);
    }
    if (r.kind !== 'sample') return;
    this.samples++;
    if (r.format) this.countFormat(r.format, line, r.length);
    this.cross.check(id, r, (d) => {
      place(d, false);
      this.keep(d);
    });
  }

  /** Adds a diagnostic already at its file position (a JSON array's syntax error). */
  addPlaced(d: DatasetDiagnostic): void {
    this.keep(d);
  }

  finish(end: DocumentEnd): LintResult {
    this.cross.finish();
    const fileLevel = this.fileLevel();
    for (const d of fileLevel) this.count(d);
    const all = [...this.kept, ...fileLevel].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
    const diagnostics = all.slice(0, this.options.max);
    const omitted = this.omitted + all.length - diagnostics.length;
    for (const d of diagnostics) if (d.fix && d.fix.edits.length === 0) d.fix.edits = [this.deleteLine(d.span.line, end)];
    return { format: this.format(), samples: this.samples, diagnostics, omitted, counts: { ...this.counts } };
  }

  sampleKeys(): SampleKeys {
    return this.cross.sampleKeys();
  }

  /** Sizes the duplicate indexes for about this many samples at once. */
  reserve(samples: number): void {
    this.cross.reserve(samples);
  }

  private addInBinaryFile(line: number, r: LineResult): void {
    if (r.kind === 'blank') return;
    this.binary!.lines++;
    if (this.binary!.diagnostic) return;
    // Binary data (FT005) or UTF-16 text (FT073): the first line's finding stands for the file.
    const d = r.diagnostics.find((x) => x.code === 'FT005' || x.code === 'FT073');
    if (d) this.binary!.diagnostic = this.keep(placed(d, line));
  }

  private keep(d: DatasetDiagnostic): DatasetDiagnostic {
    this.count(d);
    if (this.kept.length < this.options.max) this.kept.push(d);
    else this.omitted++;
    return d;
  }

  private count(d: DatasetDiagnostic): void {
    this.counts[d.severity]++;
  }

  private track(line: number, length: number): void {
    if (line === 0) this.firstLength = length;
    this.lastLength = length;
    this.lastLine = line;
  }

  private countFormat(format: DatasetFormat, line: number, length: number): void {
    const entry = this.formats.get(format);
    if (entry) entry.count++;
    else this.formats.set(format, { count: 1, line, length });
  }

  private format(): LintResult['format'] {
    if (this.formats.size === 0) return 'unknown';
    if (this.formats.size > 1) return 'mixed';
    return [...this.formats.keys()][0]!;
  }

  /** Mixed formats, few samples, no samples, and the binary file summary. */
  private fileLevel(): DatasetDiagnostic[] {
    const { locale } = this.options;
    const out: DatasetDiagnostic[] = [];
    if (this.binary) {
      if (this.binary.diagnostic?.code === 'FT005' && this.binary.lines > 1) this.binary.diagnostic.message = message(locale, 'binary.file', { lines: this.binary.lines });
      return out;
    }
    out.push(...this.mixedFormats());
    const first = lineSpan(0, 0, Math.min(1, this.firstLength));
    if (this.samples === 0 && !this.crOnly) {
      const id = this.contentLines === 0 ? 'empty.file' : 'empty.noSamples';
      out.push({ code: 'FT051', severity: severityOf('FT051'), span: first, message: message(locale, id, {}) });
    } else if (this.samples > 0 && this.options.split === 'train' && this.samples < SIZE_GUIDANCE / 2) {
      const text = message(locale, 'size.few', { count: this.samples, guidance: SIZE_GUIDANCE });
      out.push({ code: 'FT050', severity: severityOf('FT050'), span: first, message: text });
    }
    return out;
  }

  /** FT011 on the first sample of each format other than the main one. */
  private mixedFormats(): DatasetDiagnostic[] {
    if (this.formats.size < 2) return [];
    const entries = [...this.formats.entries()].sort((a, b) => b[1].count - a[1].count);
    const [mainFormat, main] = entries[0]!;
    return entries.slice(1).map(([format, e]) => ({
      code: 'FT011',
      severity: severityOf('FT011'),
      span: lineSpan(e.line, 0, e.length),
      message: message(this.options.locale, 'format.mixed', {
        format: FORMAT_NAMES[format], count: e.count, main: FORMAT_NAMES[mainFormat], mainCount: main.count,
      }),
    }));
  }

  /**
   * Deletes a whole line with its break. The last line of a text without a final break loses its text
   * only (the text then ends with a break), so deleting it never overlaps deleting the line before.
   */
  private deleteLine(line: number, end: DocumentEnd): TextEdit {
    if (line < this.lastLine || end.finalNewline) return { span: { line, column: 0, endLine: line + 1, endColumn: 0 }, newText: '' };
    return { span: lineSpan(line, 0, this.lastLength), newText: '' };
  }
}

/** A line-0 diagnostic moved to `line` (a copy: line results may be cached and reused). */
function placed(d: DatasetDiagnostic, line: number): DatasetDiagnostic {
  const move = <T extends { span: { line: number; column: number; endLine: number; endColumn: number } }>(x: T): T =>
    ({ ...x, span: { line: line + x.span.line, column: x.span.column, endLine: line + x.span.endLine, endColumn: x.span.endColumn } });
  const out = move(d);
  if (d.fix) out.fix = { ...d.fix, edits: d.fix.edits.map(move) };
  return out;
}
