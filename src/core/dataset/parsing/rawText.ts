// Recognises two ways a whole file goes wrong on a line that did not parse, so the linter can say
// what happened once instead of reporting binary data or one giant line: UTF-16 text read as UTF-8
// (FT073) and old Mac line endings, a lone CR between samples (FT074).

/** Characters looked at to recognise UTF-16. */
const WINDOW = 1024;

/**
 * Whether the line is UTF-16 text decoded as UTF-8: ASCII characters each followed by a NUL, at the same
 * parity (little-endian; big-endian, shifted by one, looks the same after the first NUL). A BOM (FF FE
 * or FE FF) becomes two U+FFFD at the file's start and is skipped.
 */
export function looksUtf16(text: string): boolean {
  const s = text.startsWith('\ufffd\ufffd') ? text.slice(2, WINDOW + 2) : text.slice(0, WINDOW);
  const hits = [0, 0];
  let nuls = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0) continue;
    nuls++;
    const before = s.charCodeAt(i - 1);
    if (before >= 0x20 && before < 0x7f) hits[i % 2]!++;
  }
  const best = Math.max(hits[0]!, hits[1]!);
  // Binary data has NULs too, but not mostly right after printable ASCII, all at one parity.
  return best >= 4 && best * 2 >= nuls;
}

/**
 * How many non-blank pieces a lone CR (not the one before the line's \n, already gone) splits the line
 * into, when at least two of them look like whole JSON values ({...} or [...]): the file was saved with CR
 * line endings. 0 otherwise (no CR, or a raw CR inside a string, which is a syntax error of its own).
 * trainer/finetune_trainer/jsonl.py (cr_only_lines) applies the same rule.
 */
export function crOnlyPieces(content: string): number {
  if (content.indexOf('\r') === -1) return 0;
  let pieces = 0;
  let whole = 0;
  for (const piece of content.split('\r')) {
    const p = piece.trim();
    if (p === '') continue;
    pieces++;
    if ((p.startsWith('{') && p.endsWith('}')) || (p.startsWith('[') && p.endsWith(']'))) whole++;
  }
  return whole >= 2 ? pieces : 0;
}
