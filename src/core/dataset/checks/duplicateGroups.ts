// Duplicates for the incremental linter, kept up to date edit by edit: the lines of each sample key and
// of each prompt key. An edit moves only the lines it touches between groups; the diagnostics then come
// from the few groups with more than one line, by the same rules as CrossLineChecks' single pass.
import { duplicateDiagnostic, type DuplicateKind } from './crossLine';
import type { LineResult } from './lineLinter';
import type { DatasetDiagnostic, Locale } from '../types';

/** A line of the document; `index` is kept equal to its position. */
export interface LineEntry {
  result: LineResult;
  index: number;
  /** Its FT043/FT044 diagnostics, on line 0 (they depend on the line alone). */
  overlap: DatasetDiagnostic[];
}

/** Entries by key; most keys have one entry, stored without an array. */
class Groups {
  private readonly map = new Map<number, LineEntry | LineEntry[]>();
  /** Keys with two or more entries. */
  readonly shared = new Set<number>();

  add(key: number, e: LineEntry): void {
    if (key === 0) return;
    const g = this.map.get(key);
    if (g === undefined) this.map.set(key, e);
    else if (Array.isArray(g)) g.push(e);
    else {
      this.map.set(key, [g, e]);
      this.shared.add(key);
    }
  }

  remove(key: number, e: LineEntry): void {
    const g = this.map.get(key);
    if (g === e) this.map.delete(key);
    if (!Array.isArray(g)) return;
    const i = g.indexOf(e);
    if (i >= 0) g.splice(i, 1);
    if (g.length === 1) {
      this.map.set(key, g[0]!);
      this.shared.delete(key);
    }
  }

  /** The entries of a shared key, first (lowest line) first. */
  entries(key: number): LineEntry[] {
    const g = this.map.get(key);
    return Array.isArray(g) ? [...g].sort((a, b) => a.index - b.index) : g ? [g] : [];
  }
}

export class DuplicateGroups {
  private readonly full = new Groups();
  private readonly prompt = new Groups();

  add(e: LineEntry): void {
    if (e.result.kind !== 'sample') return;
    this.full.add(e.result.full, e);
    this.prompt.add(e.result.prompt, e);
  }

  remove(e: LineEntry): void {
    if (e.result.kind !== 'sample') return;
    this.full.remove(e.result.full, e);
    this.prompt.remove(e.result.prompt, e);
  }

  /**
   * Each duplicate line's diagnostic, on line 0: a later copy of a sample, exact (FT040) or up to white
   * space and case (FT041), pointing at its first occurrence; else a later sample with the same prompt
   * and another answer (FT042).
   */
  diagnostics(locale: Locale): Map<LineEntry, DatasetDiagnostic> {
    const out = new Map<LineEntry, DatasetDiagnostic>();
    const mark = (groups: Groups, kindOf: (e: LineEntry, first: LineEntry) => DuplicateKind) => {
      for (const key of groups.shared) {
        const [first, ...later] = groups.entries(key);
        const copies = 1 + later.filter((e) => isExactCopy(e, first!)).length;
        for (const e of later) {
          if (out.has(e)) continue;
          out.set(e, duplicateDiagnostic(kindOf(e, first!), 0, e.result.length, { line: first!.index, length: first!.result.length }, locale, copies));
        }
      }
    };
    mark(this.full, (e, first) => (isExactCopy(e, first) ? 'exact' : 'near'));
    mark(this.prompt, () => 'conflict');
    return out;
  }
}

function isExactCopy(e: LineEntry, first: LineEntry): boolean {
  return (e.result.exact >>> 0) === (first.result.exact >>> 0);
}
