// JSON with comments and trailing commas, as VS Code writes `.vscode/settings.json` (and a backend file may be
// written): comments and trailing commas become spaces, so a syntax error's line and column are the file's own.

import { parseJsonLine } from './dataset/parsing/jsonLine';

export type JsoncResult = { ok: true; value: unknown } | { ok: false; line: number; column: number };

/** Parses JSONC text; a syntax error says where (1-based line and column). */
export function parseJsonc(text: string): JsoncResult {
  const plain = blankCommentsAndTrailingCommas(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text);
  // The dataset's JSON parser: it says where an error is (JSON.parse does not always), and bounds nesting.
  const parsed = parseJsonLine(plain);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, ...lineColumn(plain, parsed.error.column) };
}

/** The text with each comment and each comma before `}` or `]` replaced by spaces (newlines kept). */
export function blankCommentsAndTrailingCommas(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      lastComma = -1;
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2; // unterminated: blanked, JSON.parse then says what is missing
      blank(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === ',') {
      lastComma = i;
      continue;
    }
    if ((c === '}' || c === ']') && lastComma >= 0) blank(lastComma, lastComma + 1);
    if (!/\s/.test(c)) lastComma = -1;
  }
  return out.join('');
}

/** The 1-based line and column of a character offset in `text`, as error messages name a place. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
