// Checks one line on its own: encoding, BOM, blank, binary or UTF-16, CR-only line endings, length, JSON
// syntax, nesting, text hazards (textHazards.ts), then the sample's format rules. The result depends only on the line's text (and the options), so the editor
// can cache it by text and re-check only the lines that change. Diagnostics are on line 0; the file
// assembler moves them to the line's real number.
import { detectLayout } from '../formats/detect';
import { Findings, type Finding } from './findings';
import { combine, hashString, quickHash32 } from './hash';
import { parseJsonLine, type JsonSyntaxError } from '../parsing/jsonLine';
import { LineLocator } from '../parsing/jsonPath';
import type { Layout } from '../formats/layout';
import { materialise } from './materialise';
import { literalSuggestion } from '../messages';
import { checkPlaceholders } from './placeholders';
import { checkSample } from './rules/sample';
import { isBlank, isObject, typeName } from './rules/values';
import { crOnlyPieces, looksUtf16 } from '../parsing/rawText';
import { viewKeys } from './sampleKeys';
import { checkTextHazards, type SpecialTokenFinder } from './textHazards';
import type { DatasetDiagnostic, DatasetFormat, Locale } from '../types';

/** Nesting deeper than this is reported (FT009): Python's json module fails near 1000 levels; the trainer (jsonl.py) rejects the same. */
export const MAX_DEPTH = 500;

export interface LineContext {
  locale: Locale;
  /** The layout a dataset_info.json entry gives every sample, if any. */
  mapped: Layout | undefined;
  maxLineLength: number;
  replacementCharIsDecodeError: boolean;
  /** Finds special tokens in JSON text (FT071). */
  specialTokens: SpecialTokenFinder;
}

/** What a byte-level reader learned while decoding the line. */
export interface LineDecodeInfo {
  /** The bytes were not valid UTF-8 (the text has U+FFFD where they were). */
  invalidUtf8?: boolean;
  /** The line was too long to decode (this many bytes); its text is not given. */
  tooLongBytes?: number;
  /** The reader saw no U+FFFD in the line's bytes, so the text need not be searched for one. */
  noReplacementChar?: boolean;
  /**
   * A 32-bit hash of the line's bytes (without its line break and a final \r), from `hashBytes32`;
   * faster than hashing the text for exact duplicates. Omitted, the text is hashed.
   */
  rawHash?: number;
}

export interface LineResult {
  kind: 'blank' | 'binary' | 'invalid' | 'sample';
  /** On line 0. A delete-line fix has no edits yet: they depend on the lines around it. */
  diagnostics: DatasetDiagnostic[];
  format?: DatasetFormat;
  /**
   * For samples: hashes of the exact text, of the normalised sample (of the text when it has no
   * turns to read) and of its prompt (0 when there is none); 0 for other lines.
   */
  exact: number;
  full: number;
  prompt: number;
  /** Length of the line without its line break. */
  length: number;
}

export function lintLine(raw: string, ctx: LineContext, decode?: LineDecodeInfo): LineResult {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const result: LineResult = { kind: 'invalid', diagnostics: [], exact: 0, full: 0, prompt: 0, length: text.length };
  const out = new Findings();
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const content = bom ? text.slice(1) : text;
  checkLine(text, content, bom, ctx, decode, out, result);
  // Most lines have no findings: the locator (which may parse the line again) only for those that do.
  if (out.list.length > 0) {
    const locator = new LineLocator(content, bom);
    result.diagnostics = out.list.map((f) => materialise(f, locator, ctx.locale));
  }
  return result;
}

function checkLine(text: string, content: string, bom: number, ctx: LineContext, decode: LineDecodeInfo | undefined, out: Findings, result: LineResult): void {
  if (decode?.tooLongBytes !== undefined) {
    out.add('FT008', 'line', 'longLine.unchecked', { bytes: decode.tooLongBytes });
    return;
  }
  if (isBlank(text)) {
    out.add('FT004', 'line', 'blank', {}, { kind: 'delete-blank-line' });
    result.kind = 'blank';
    return;
  }
  // Valid JSON cannot hold raw NUL or control characters, so only a line that does not parse can be binary.
  const parsed = parse(content);
  if (parsed === FAILED && checkRawText(text, out)) {
    result.kind = 'binary';
    return;
  }
  const pieces = parsed === FAILED ? crOnlyPieces(content) : 0;
  if (pieces > 1) {
    out.add('FT074', 'line', 'crOnly', { count: pieces });
    return;
  }
  checkEncoding(text, ctx, decode, out);
  if (bom) out.add('FT003', { start: 0, end: 1 }, 'bom', {}, { kind: 'remove-bom' });
  if (text.length > ctx.maxLineLength) out.add('FT008', 'line', 'longLine', { length: text.length, limit: ctx.maxLineLength });
  if (parsed === FAILED) out.list.push(syntaxFinding(content, bom));
  else checkValue(parsed, content, bom, ctx, out, result, bom ? undefined : decode?.rawHash);
}

const FAILED = Symbol('not JSON');

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return FAILED;
  }
}

/** UTF-16 text, NUL bytes, or a line that is mostly control characters: nothing else worth saying. */
function checkRawText(text: string, out: Findings): boolean {
  if (looksUtf16(text)) {
    out.add('FT073', 'line', 'utf16', {});
    return true;
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    out.add('FT005', { start: nul, end: nul + 1 }, 'binary.nul', { column: nul + 1 });
    return true;
  }
  const n = Math.min(text.length, 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c < 0xa0)) control++;
  }
  if (n >= 8 && control * 10 > n) {
    out.add('FT005', 'line', 'binary.control', {});
    return true;
  }
  return false;
}

function checkEncoding(text: string, ctx: LineContext, decode: LineDecodeInfo | undefined, out: Findings): void {
  if (decode?.noReplacementChar) return;
  const bad = text.indexOf('\ufffd');
  const at = bad >= 0 ? { start: bad, end: bad + 1 } : { start: 0, end: Math.min(1, text.length) };
  if (decode?.invalidUtf8 || (bad >= 0 && ctx.replacementCharIsDecodeError)) {
    out.add('FT002', at, 'utf8.invalid', { column: at.start + 1 });
  } else if (bad >= 0) {
    out.add('FT006', at, 'utf8.replacement', { column: bad + 1 });
  }
}

/** Checks a parsed line: nesting depth, an object, then its format's rules. */
function checkValue(value: unknown, content: string, offset: number, ctx: LineContext, out: Findings, result: LineResult, rawHash?: number): void {
  if (mayBeDeeperThan(content, MAX_DEPTH) && deeperThan(value, MAX_DEPTH)) {
    const located = parseJsonLine(content, { maxDepth: MAX_DEPTH });
    const column = located.ok ? 0 : located.error.column;
    out.add('FT009', { start: column + offset, end: column + offset + 1 }, 'deep', { limit: MAX_DEPTH });
    return;
  }
  if (!isObject(value)) {
    if (Array.isArray(value) && value.length > 0 && value.every(isObject)) out.add('FT007', 'line', 'notObject.array', { count: value.length });
    else out.add('FT007', 'line', 'notObject', { found: typeName(value) });
    return;
  }
  result.kind = 'sample';
  const rare = checkTextHazards(value, content, offset, ctx.specialTokens, out);
  checkObject(value, ctx, out, result, rare);
  // A sample with no view (unknown format, no messages) is keyed by its text, so copies are still found.
  if (result.full === 0) result.full = hashString(content);
  // The sample key already tells near duplicates apart; a 32-bit hash of the text on top tells exact ones.
  result.exact = combine(result.full, rawHash ?? quickHash32(content));
}

/** `rare`: the line's text has something rare in it (textHazards.ts), such as the start of a placeholder. */
function checkObject(sample: Record<string, unknown>, ctx: LineContext, out: Findings, result: LineResult, rare: boolean): void {
  const layout = detectLayout(sample, ctx.mapped);
  if (!layout) {
    const keys = Object.keys(sample).slice(0, 6).map((k) => JSON.stringify(k)).join(', ') || '{}';
    out.add('FT010', 'line', 'format.unknown', { keys });
    return;
  }
  result.format = layout.format;
  const view = checkSample(sample, layout, out);
  if (!view) return;
  if (rare) checkPlaceholders(view, out);
  const keys = viewKeys(view);
  result.full = keys.full;
  result.prompt = keys.prompt;
}

/** The FT001 finding for a line JSON.parse rejected, located by the span parser. */
function syntaxFinding(content: string, offset: number): Finding {
  const trimmed = content.trim();
  if (trimmed === '{' || trimmed === '[') {
    return { code: 'FT001', where: 'line', message: { id: 'json.prettyPrinted', params: { found: trimmed } } };
  }
  const parsed = parseJsonLine(content);
  const error = parsed.ok ? { kind: 'unexpected_char' as const, column: 0, found: content[0] ?? '' } : parsed.error;
  const column = error.column + offset;
  const lineEnd = content.length + offset;
  const start = Math.min(column, Math.max(offset, lineEnd - 1));
  const end = Math.min(lineEnd, Math.max(start + 1, start + (error.found?.length ?? 1)));
  return { code: 'FT001', where: { start, end }, message: syntaxMessage(error, column + 1) };
}

/** The message of a syntax error; `column`: 1-based, as the message shows it (a file column for a JSON array). */
export function syntaxMessage(error: JsonSyntaxError, column: number): Finding['message'] {
  const params: Record<string, string | number> = { column, found: describeChar(error.found ?? ''), expected: error.expected ?? '' };
  if (error.kind === 'bad_literal') params.suggestion = literalSuggestion(error.found ?? '');
  return { id: `json.${error.kind}`, params };
}

/** Control characters as U+XXXX, so a message never carries an invisible character. */
function describeChar(s: string): string {
  return s.length === 1 && (s.charCodeAt(0) < 0x20 || s.charCodeAt(0) === 0x7f)
    ? 'U+' + s.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    : s.slice(0, 40);
}

/** False when the text has too few brackets to nest that deep (a cheap native scan, no walk). */
function mayBeDeeperThan(content: string, limit: number): boolean {
  if (content.length <= limit * 2) return false;
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = content.indexOf(bracket); i !== -1 && n <= limit; i = content.indexOf(bracket, i + 1)) n++;
  }
  return n > limit;
}

/** Whether `value` nests containers more than `limit` deep (iteratively: any depth is safe). */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
