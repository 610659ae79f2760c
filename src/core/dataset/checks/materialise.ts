// Turns a rule's finding into a diagnostic on line 0: the span located on the line, the message and
// fix title in the chosen language, and the fix's edits.
import { severityOf } from '../codes';
import type { Finding, FixSpec, Where } from './findings';
import type { ColumnRange, LineLocator } from '../parsing/jsonPath';
import { t, type MessageId } from '../messages';
import type { DatasetDiagnostic, DatasetFix, Locale, Span } from '../types';

export function materialise(f: Finding, locator: LineLocator, locale: Locale): DatasetDiagnostic {
  const range = rangeOf(f.where, locator);
  const diagnostic: DatasetDiagnostic = {
    code: f.code,
    severity: severityOf(f.code),
    span: lineSpan(0, range.start, range.end),
    message: message(locale, f.message.id, f.message.params),
  };
  const fix = f.fix && fixOf(f.fix, locator, locale);
  if (fix) diagnostic.fix = fix;
  return diagnostic;
}

/** A message by id with untyped parameters (the finding already checked them against the id). */
export function message(locale: Locale, id: MessageId, params: Record<string, string | number>): string {
  return t(locale, id, params as never);
}

export function lineSpan(line: number, column: number, endColumn: number): Span {
  return { line, column, endLine: line, endColumn };
}

function rangeOf(where: Where, locator: LineLocator): ColumnRange {
  if (where === 'line') return locator.whole();
  if ('path' in where) return locator.range(where.path, where.key === true);
  return where;
}

/** The fix with its edits; undefined when its target cannot be located (never a guess). */
function fixOf(spec: FixSpec, locator: LineLocator, locale: Locale): DatasetFix | undefined {
  switch (spec.kind) {
    case 'fix-role': {
      const r = locator.find(spec.path);
      const title = message(locale, 'fix.role', { found: spec.from, role: spec.value });
      return r && { kind: spec.kind, title, edits: [{ span: lineSpan(0, r.start, r.end), newText: JSON.stringify(spec.value) }] };
    }
    case 'rename-key': {
      const r = locator.find(spec.path, true);
      const title = message(locale, 'fix.renameKey', { found: spec.from, key: spec.value });
      return r && { kind: spec.kind, title, edits: [{ span: lineSpan(0, r.start, r.end), newText: JSON.stringify(spec.value) }] };
    }
    case 'remove-bom':
      return { kind: spec.kind, title: message(locale, 'fix.removeBom', {}), edits: [{ span: lineSpan(0, 0, 1), newText: '' }] };
    case 'delete-blank-line':
      return { kind: spec.kind, title: message(locale, 'fix.deleteBlank', {}), edits: [] };
    case 'delete-duplicate':
      return { kind: spec.kind, title: message(locale, 'fix.deleteDuplicate', {}), edits: [] };
    case 'replace-lone-surrogate':
      return { kind: spec.kind, title: message(locale, 'fix.loneSurrogate', {}), edits: [{ span: lineSpan(0, spec.start, spec.end), newText: '\\ufffd' }] };
  }
}
