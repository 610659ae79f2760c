// Checks across lines, from hashes only (memory stays small whatever the file size): exact duplicates
// (FT040), near duplicates (FT041), one prompt with different answers (FT042) and samples found in
// another split (FT043, FT044). Each points at the first occurrence.
import { HashIndex, LineLengths } from './hashIndex';
import type { LineResult } from './lineLinter';
import { lineSpan, message } from './materialise';
import { severityOf, type Code } from '../codes';
import type { MessageId } from '../messages';
import { SampleKeyList } from './sampleKeys';
import type { DatasetDiagnostic, Locale, OverlapSource, SampleKeys } from '../types';

/** Another file's keys, indexed for lookups. */
export interface OverlapIndex {
  file: string;
  full: HashIndex;
  prompt: HashIndex;
}

export function indexOverlap(source: OverlapSource): OverlapIndex {
  const { keys } = source;
  const full = new HashIndex(keys.full.length);
  const prompt = new HashIndex(keys.full.length);
  for (let i = 0; i < keys.full.length; i++) {
    full.addFirst(keys.full[i]!, keys.lines[i]!);
    if (keys.prompt[i]) prompt.addFirst(keys.prompt[i]!, keys.lines[i]!);
  }
  return { file: source.file, full, prompt };
}

/** Receives diagnostics as they are found. */
export type Sink = (d: DatasetDiagnostic) => void;

export type DuplicateKind = 'exact' | 'near' | 'conflict';

const DUPLICATE: Record<DuplicateKind, { code: Code; id: MessageId }> = {
  exact: { code: 'FT040', id: 'dup.exact' },
  near: { code: 'FT041', id: 'dup.near' },
  conflict: { code: 'FT042', id: 'dup.conflict' },
};

/** Finds duplicates with hash indexes as lines stream past, and overlaps with other files. */
export class CrossLineChecks {
  /** Sample key → first line, tagged with that line's exact key (low 32 bits): same tag, exact copy. */
  private readonly full = new HashIndex(16384, true);
  private readonly prompts = new HashIndex();
  private readonly lengths = new LineLengths();
  /** Each distinct sample's keys, kept only when asked for (train/eval overlap). */
  private readonly keys: SampleKeyList | undefined;
  /**
   * Exact copies per first line, with their FT040 diagnostics, whose messages say the final count at `finish`.
   * At most `maxGroups` samples are followed: past that many FT040s the cap leaves the later ones out anyway.
   */
  private readonly copies = new Map<number, { count: number; diagnostics: DatasetDiagnostic[] }>();
  private rewritten = 0;

  constructor(
    private readonly locale: Locale,
    private readonly overlap: readonly OverlapIndex[],
    private readonly split: 'train' | 'eval',
    collectKeys = false,
    private readonly maxGroups = Infinity,
    /** The 0-based file line of sample `id`, for messages and sample keys (ids are lines, or a JSON array's record numbers). */
    private readonly lineOf: (id: number) => number = (id) => id,
  ) {
    this.keys = collectKeys ? new SampleKeyList() : undefined;
  }

  /** Sizes the indexes for about this many samples (lines) at once. */
  reserve(samples: number): void {
    for (const index of [this.full, this.prompts]) index.reserve(samples);
    this.lengths.reserve(samples);
  }

  /** Reports the cross-line diagnostics of a sample line (on `line`) to `out`. */
  check(line: number, r: LineResult, out: Sink): void {
    this.lengths.set(line, r.length);
    const dup = this.duplicateOf(line, r);
    if (dup) {
      const copies = dup.kind === 'exact' ? this.countCopy(dup.first) : undefined;
      const d = duplicateDiagnostic(dup.kind, line, r.length, { line: dup.first, length: this.lengths.get(dup.first), shown: this.lineOf(dup.first) }, this.locale, copies?.count);
      // Only the first `maxGroups` diagnostics can be kept under the cap: later ones need no rewriting.
      if (copies && this.rewritten++ < this.maxGroups) copies.diagnostics.push(d);
      out(d);
    }
    overlapDiagnostics(line, r, this.overlap, this.split, this.locale, out);
  }

  /** Rewrites each FT040 message with its sample's final number of copies (call once, after the last line). */
  finish(): void {
    for (const [first, group] of this.copies) {
      for (const d of group.diagnostics) d.message = message(this.locale, 'dup.exact', { line: this.lineOf(first) + 1, copies: group.count });
    }
  }

  /** One more exact copy of the sample first seen on `first` (the group, or undefined past `maxGroups`). */
  private countCopy(first: number): { count: number; diagnostics: DatasetDiagnostic[] } | undefined {
    let group = this.copies.get(first);
    if (!group) {
      if (this.copies.size >= this.maxGroups) return undefined;
      this.copies.set(first, (group = { count: 1, diagnostics: [] }));
    }
    group.count++;
    return group;
  }

  sampleKeys(): SampleKeys {
    if (!this.keys) throw new Error('sampleKeys() needs the option collectSampleKeys');
    return this.keys.export();
  }

  /**
   * The same sample as an earlier one: an exact copy of its first occurrence, or equal up to white space
   * and case; else the same prompt as an earlier sample with another answer. (duplicateGroups.ts keeps
   * the same rules for the editor.)
   */
  private duplicateOf(line: number, r: LineResult): { kind: DuplicateKind; first: number } | undefined {
    const same = this.full.addFirst(r.full, line, r.exact >>> 0);
    if (same >= 0) return { kind: this.full.tagOf(r.full) === r.exact >>> 0 ? 'exact' : 'near', first: same };
    this.keys?.push(r.full, r.prompt, this.lineOf(line));
    // A new sample with a known prompt: its answer differs (the same answer would be the same sample).
    const first = r.prompt === 0 ? -1 : this.prompts.addFirst(r.prompt, line);
    return first >= 0 ? { kind: 'conflict', first } : undefined;
  }
}

/**
 * FT040/FT041/FT042 on `line`, pointing at the first occurrence (`shown`: the line its message names, when not
 * `line`); `copies`: how many exact copies there are (FT040).
 */
export function duplicateDiagnostic(kind: DuplicateKind, line: number, length: number, first: { line: number; length: number; shown?: number }, locale: Locale, copies = 2): DatasetDiagnostic {
  const { code, id } = DUPLICATE[kind];
  const d = diagnostic(code, message(locale, id, { line: (first.shown ?? first.line) + 1, copies }), line, length);
  d.related = [{ span: lineSpan(first.line, 0, first.length), message: message(locale, 'dup.first', {}) }];
  if (code === 'FT040') d.fix = { kind: 'delete-duplicate', title: message(locale, 'fix.deleteDuplicate', {}), edits: [] };
  return d;
}

/** FT043 (whole sample) or FT044 (prompt only) for each other file that has the sample. */
export function overlapDiagnostics(line: number, r: LineResult, overlap: readonly OverlapIndex[], split: 'train' | 'eval', locale: Locale, out: Sink): void {
  if (r.full === 0) return;
  const id: MessageId = split === 'eval' ? 'overlap.evalSample' : 'overlap.trainSample';
  for (const other of overlap) {
    const hit = other.full.lineOf(r.full);
    const promptHit = hit >= 0 || r.prompt === 0 ? -1 : other.prompt.lineOf(r.prompt);
    if (hit >= 0) out(diagnostic('FT043', message(locale, id, { file: other.file, line: hit + 1 }), line, r.length));
    else if (promptHit >= 0) out(diagnostic('FT044', message(locale, 'overlap.prompt', { file: other.file, line: promptHit + 1 }), line, r.length));
  }
}

function diagnostic(code: Code, text: string, line: number, length: number): DatasetDiagnostic {
  return { code, severity: severityOf(code), span: lineSpan(line, 0, length), message: text };
}
