// Lints a JSON array dataset (LLaMA-Factory's `.json` files): every top-level record is checked as a sample,
// as a JSONL line is, and each finding is moved from the record's own offsets to its line and column in the
// file. Duplicates are found across records (a record is named by its first line). A break in the array's
// structure is one FT001 at its place; the records before it are still checked.
import { FileAssembler, type AssemblerOptions } from '../assembler';
import { lintLine, syntaxMessage, type LineContext, type LineResult } from '../lineLinter';
import { message } from '../materialise';
import { severityOf } from '../../codes';
import { parseJsonLine, type JsonSyntaxError } from '../../parsing/jsonLine';
import { LineIndex, scanJsonArray, type RecordRange } from '../../parsing/jsonArray';
import type { DatasetDiagnostic, Locale, LintResult, SampleKeys, Span, TextEdit } from '../../types';

/**
 * Lints a JSON array text (see isJsonArrayText) record by record. Cross-record checks number the samples by record
 * (so two records on one line stay apart) and name them by the line they start on.
 */
export function lintJsonArray(text: string, ctx: LineContext, options: AssemblerOptions): { result: LintResult; keys: SampleKeys | undefined } {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const scan = scanJsonArray(text, bom);
  const index = new LineIndex(text);
  const at = (offset: number) => index.position(offset);
  const spanOf = (start: number, end: number): Span => {
    const a = at(start);
    const b = at(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const { records } = scan;
  const lines = records.map((rec) => at(rec.start).line);
  const assembler = new FileAssembler({ ...options, lineOf: (id) => lines[id] ?? id });
  records.forEach((rec, k) => {
    const r = lintRecord(text, rec, ctx, at);
    assembler.addRecord(k, lines[k]!, r, (d, own) => {
      if (own) return moveOwn(d, rec.start, spanOf, text, ctx.locale);
      d.span = spanOf(rec.start, rec.end);
      for (const rel of d.related ?? []) {
        const first = records[rel.span.line];
        if (first) rel.span = spanOf(first.start, first.end);
      }
      if (d.fix && d.fix.edits.length === 0) d.fix.edits = [deleteRecord(records, k, spanOf)];
    });
  });
  if (bom) assembler.addPlaced(bomDiagnostic(ctx.locale));
  if (scan.broken) assembler.addPlaced(syntaxDiagnostic(scan.broken, text.length, at, spanOf, ctx.locale));
  const result = assembler.finish({ finalNewline: text.charCodeAt(text.length - 1) === 0x0a });
  return { result, keys: options.collectKeys ? assembler.sampleKeys() : undefined };
}

/** A record's check; a syntax error in it says its file column (its span stays at offsets into the record). */
function lintRecord(text: string, rec: RecordRange, ctx: LineContext, at: (offset: number) => { line: number; column: number }): LineResult {
  const content = text.slice(rec.start, rec.end);
  const r = lintLine(content, ctx);
  const i = r.kind === 'invalid' ? r.diagnostics.findIndex((d) => d.code === 'FT001') : -1;
  const parsed = i >= 0 ? parseJsonLine(content) : undefined;
  if (parsed && !parsed.ok) {
    const m = syntaxMessage(parsed.error, at(rec.start + parsed.error.column).column + 1);
    r.diagnostics[i]!.message = message(ctx.locale, m.id, m.params);
  }
  return r;
}

/** Moves a record's own diagnostic (line 0, offsets into the record) and its fix's edits to file positions. */
function moveOwn(d: DatasetDiagnostic, start: number, spanOf: (s: number, e: number) => Span, text: string, locale: Locale): void {
  const move = (s: Span): Span => spanOf(start + s.column, start + s.endColumn);
  const from = start + d.span.column;
  const found = text.slice(from, start + d.span.endColumn);
  d.span = move(d.span);
  if (d.fix) d.fix = { ...d.fix, edits: d.fix.edits.map((e): TextEdit => ({ span: move(e.span), newText: e.newText })) };
  // Messages that say a column: the file's, not the record's.
  const column = d.span.column + 1;
  if (d.code === 'FT002') d.message = message(locale, 'utf8.invalid', { column });
  else if (d.code === 'FT006') d.message = message(locale, 'utf8.replacement', { column });
  else if (d.code === 'FT070') d.message = message(locale, 'surrogate.lone', { found, column });
}

/** Deletes record `k` with the comma and space that separate it from the next record (or the previous one). */
function deleteRecord(records: readonly RecordRange[], k: number, spanOf: (s: number, e: number) => Span): TextEdit {
  const rec = records[k]!;
  if (k + 1 < records.length) return { span: spanOf(rec.start, records[k + 1]!.start), newText: '' };
  if (k > 0) return { span: spanOf(records[k - 1]!.end, rec.end), newText: '' };
  return { span: spanOf(rec.start, rec.end), newText: '' };
}

/** FT001 at a syntax error's offset in the file (its message says the file column). */
function syntaxDiagnostic(
  error: JsonSyntaxError,
  limit: number,
  at: (offset: number) => { line: number; column: number },
  spanOf: (s: number, e: number) => Span,
  locale: Locale,
): DatasetDiagnostic {
  const start = Math.min(error.column, Math.max(0, limit - 1));
  const end = Math.min(limit, start + Math.max(1, error.found?.length ?? 1));
  const m = syntaxMessage(error, at(start).column + 1);
  return { code: 'FT001', severity: severityOf('FT001'), span: spanOf(start, end), message: message(locale, m.id, m.params) };
}

/** FT003 for a BOM before the array, with its fix (Python's json module refuses a BOM in UTF-8). */
function bomDiagnostic(locale: Locale): DatasetDiagnostic {
  const span: Span = { line: 0, column: 0, endLine: 0, endColumn: 1 };
  const fix = { kind: 'remove-bom', title: message(locale, 'fix.removeBom', {}), edits: [{ span, newText: '' }] };
  return { code: 'FT003', severity: severityOf('FT003'), span, message: message(locale, 'bom', {}), fix };
}
