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
      return r && { kind: spec.kind, title, change: { from: spec.from, to: spec.value }, edits: [{ span: lineSpan(0, r.start, r.end), newText: JSON.stringify(spec.value) }] };
    }
    case 'rename-key': {
      const r = locator.find(spec.path, true);
      const title = message(locale, 'fix.renameKey', { found: spec.from, key: spec.value });
      return r && { kind: spec.kind, title, change: { from: spec.from, to: spec.value }, edits: [{ span: lineSpan(0, r.start, r.end), newText: JSON.stringify(spec.value) }] };
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

/**
 * The title of fixing all of `fixes` (one kind) at once: their common title when they all do the same, else every
 * distinct change they make ("Change roles: "assitant" → "assistant", "usr" → "user""), so the title never says
 * less than the fix does.
 */
export function fixAllTitle(fixes: readonly DatasetFix[], locale: Locale): string {
  const titles = [...new Set(fixes.map((f) => f.title))];
  if (titles.length <= 1) return titles[0] ?? '';
  const changes = [...new Map(fixes.filter((f) => f.change).map((f) => [`${f.change!.from}\u0000${f.change!.to}`, f.change!])).values()];
  const kind = fixes[0]!.kind;
  if (changes.length === titles.length && (kind === 'fix-role' || kind === 'rename-key')) {
    const list = changes.map((c) => `"${c.from}" → "${c.to}"`).join(locale === 'zh-cn' ? '、' : ', ');
    return message(locale, kind === 'fix-role' ? 'fix.roleAll' : 'fix.renameKeyAll', { changes: list });
  }
  return titles.join(locale === 'zh-cn' ? '；' : '; ');
}
