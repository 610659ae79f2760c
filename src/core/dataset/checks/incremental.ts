// The editor's linter: keeps each line's result and, on an edit, re-checks only the lines that changed.
// Duplicate groups are updated for those lines alone, so a one-line edit in a 100k-line file costs one
// line's check plus a pass over the kept results. The result is always the same as `lintText` on the
// whole text (a test checks this on random edits).
import { FileAssembler, type AssemblerOptions } from './assembler';
import { overlapDiagnostics } from './crossLine';
import { DuplicateGroups, type LineEntry } from './duplicateGroups';
import { lintLine, type LineContext, type LineResult } from './lineLinter';
import { assemblerOptions, endsWithNewline, lineContext, splitLines } from './linter';
import type { DatasetDiagnostic, LintOptions, LintResult } from '../types';

const NONE: readonly DatasetDiagnostic[] = [];

export class IncrementalLinter {
  private lines: string[] = [];
  private entries: LineEntry[] = [];
  private finalNewline = false;
  private readonly groups = new DuplicateGroups();
  private readonly ctx: LineContext;
  private readonly assembly: AssemblerOptions;

  constructor(options: LintOptions = {}) {
    this.ctx = lineContext(options);
    this.assembly = assemblerOptions(options);
  }

  /** Lints the document's new text, re-checking only the lines between the unchanged start and end. */
  update(text: string): LintResult {
    const lines = splitLines(text);
    const old = this.lines;
    const max = Math.min(lines.length, old.length);
    let prefix = 0;
    while (prefix < max && lines[prefix] === old[prefix]) prefix++;
    let suffix = 0;
    while (suffix < max - prefix && lines[lines.length - 1 - suffix] === old[old.length - 1 - suffix]) suffix++;
    return this.replaceLines(prefix, old.length - prefix - suffix, lines.slice(prefix, lines.length - suffix), endsWithNewline(text));
  }

  /**
   * Replaces `deleteCount` lines from `start` with `newLines` (an editor change, in lines) and lints.
   * `finalNewline`: whether the document now ends with a line break (unchanged when omitted).
   */
  replaceLines(start: number, deleteCount: number, newLines: string[], finalNewline = this.finalNewline): LintResult {
    const removed = new Map<string, LineResult>();
    for (let i = start; i < start + deleteCount; i++) {
      removed.set(this.lines[i]!, this.entries[i]!.result);
      this.groups.remove(this.entries[i]!);
    }
    // A line moved or pasted back unchanged keeps its result.
    const fresh = newLines.map((line) => this.entry(removed.get(line) ?? lintLine(line, this.ctx)));
    // concat, not splice(...spread): a million-line first update would overflow the argument limit.
    this.lines = this.lines.slice(0, start).concat(newLines, this.lines.slice(start + deleteCount));
    this.entries = this.entries.slice(0, start).concat(fresh, this.entries.slice(start + deleteCount));
    for (let i = start; i < this.entries.length; i++) this.entries[i]!.index = i;
    for (const e of fresh) this.groups.add(e);
    this.finalNewline = finalNewline;
    return this.result();
  }

  /** The current result, assembled from the kept line results and duplicate groups. */
  result(): LintResult {
    const assembler = new FileAssembler(this.assembly);
    const duplicates = this.groups.diagnostics(this.assembly.locale);
    this.entries.forEach((e, i) => {
      const dup = duplicates.get(e);
      const cross = dup ? [dup, ...e.overlap] : e.overlap.length > 0 ? e.overlap : NONE;
      assembler.add(i, e.result, cross);
    });
    return assembler.finish({ finalNewline: this.finalNewline });
  }

  private entry(result: LineResult): LineEntry {
    const overlap: DatasetDiagnostic[] = [];
    if (result.kind === 'sample') overlapDiagnostics(0, result, this.assembly.overlap, this.assembly.split, this.assembly.locale, (d) => overlap.push(d));
    return { result, index: -1, overlap };
  }
}
