// Helpers for the dataset linter's tests: build samples, lint lines, read codes, apply fixes.
import { lintText } from '../../../src/core/dataset/checks/linter';
import type { DatasetDiagnostic, LintOptions, LintResult, TextEdit } from '../../../src/core/dataset/types';

export type Msg = Record<string, unknown>;

/** A one-line OpenAI sample. */
export function chat(...messages: Msg[]): string {
  return JSON.stringify({ messages });
}

export const user = (content: unknown = '头痛怎么办？'): Msg => ({ role: 'user', content });
export const assistant = (content: unknown = '少侠莫慌，老夫先为你把脉。'): Msg => ({ role: 'assistant', content });
export const system = (content = '你是一位江湖郎中。'): Msg => ({ role: 'system', content });

/** A valid sample, different for each `i` (so files of them have no duplicates). */
export function good(i = 0): string {
  return chat(system(), user(`第${i}问：头痛怎么办？`), assistant(`第${i}答：少侠莫慌。`));
}

/** Lints lines joined with \n and a final line break. */
export function lint(lines: string[], options: LintOptions = {}): LintResult {
  return lintText(lines.map((l) => l + '\n').join(''), options);
}

/** `FT001@3` for each diagnostic (1-based lines), in order. */
export function codes(result: LintResult): string[] {
  return result.diagnostics.map((d) => `${d.code}@${d.span.line + 1}`);
}

/** The codes on one 1-based line, leaving out the file-level size information. */
export function codesOn(result: LintResult, line: number): string[] {
  return result.diagnostics.filter((d) => d.span.line === line - 1 && d.code !== 'FT050').map((d) => d.code);
}

/** Codes of a single-line file, without the size information. */
export function codesOf(line: string, options: LintOptions = {}): string[] {
  return codesOn(lint([line], options), 1);
}

export function only(result: LintResult, code: string): DatasetDiagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) throw new Error(`expected one ${code}, got ${found.length}: ${JSON.stringify(codes(result))}`);
  return found[0]!;
}

/** The text a diagnostic's span covers. */
export function spanText(text: string, d: { span: DatasetDiagnostic['span'] }): string {
  return text.slice(offsetAt(text, d.span.line, d.span.column), offsetAt(text, d.span.endLine, d.span.endColumn));
}

/** Applies edits (no overlaps) from the last to the first, as an editor would. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.span.line, b.span.column) - offsetAt(text, a.span.line, a.span.column));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offsetAt(text, e.span.line, e.span.column)) + e.newText + out.slice(offsetAt(text, e.span.endLine, e.span.endColumn));
  }
  return out;
}

/** Offset of a 0-based line and UTF-16 column; lines break at \r\n, \n or \r (as in VS Code). */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const m = /\r\n|\n|\r/g;
    m.lastIndex = offset;
    const found = m.exec(text);
    if (!found) throw new Error(`line ${line} is past the end`);
    offset = found.index + found[0].length;
  }
  return offset + column;
}
