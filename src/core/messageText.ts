// Text from a dataset (keys, roles, values, ids) shown inside a message: every catalogue message (the dataset
// linter's `t()`, and fillTemplate for the job and token catalogues) passes its parameters through here, so a
// 50 MB key cannot make a 50 MB message and an escape sequence in a role cannot reach the terminal or a log.
import type { Locale } from './dataset/types';

/** Parameters that carry dataset text get at most this many characters... */
export const QUOTED_MAX_CHARS = 80;
/** ...and parameters that list several such texts (keys, declared tools, roles) this many. */
export const QUOTED_LIST_MAX_CHARS = 240;

/** Whole messages from elsewhere (a parser's or a template's error, which can quote the text) get this many. */
export const MESSAGE_MAX_CHARS = 500;

/** Catalogue parameter names whose values can come from a dataset or a dataset_info.json. */
const DATASET_TEXT = new Set(['found', 'key', 'role', 'name', 'id', 'call', 'prompt', 'query', 'assistant', 'main', 'suggestion', 'expected', 'value', 'format']);
const DATASET_LISTS = new Set(['keys', 'declared', 'valid']);

/**
 * C0 controls (tab and line breaks included: a message is one line), DEL, C1 controls, and the bidirectional
 * overrides and isolates that reorder what a terminal or an editor shows (U+202A–U+202E, U+2066–U+2069).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with the unsafe characters written as escapes (`\x1B`, `\u202E`, `\n`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase()}`);
  });
}

/** At most `max` characters of `text` (not splitting a surrogate pair), escaped; a cut is marked with its full length. */
export function quoteText(text: string, locale: Locale, max = QUOTED_MAX_CHARS): string {
  if (text.length <= max) return escapeControls(text);
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const length = text.length.toLocaleString('en-US');
  return escapeControls(text.slice(0, end)) + (locale === 'zh-cn' ? `…（共 ${length} 个字符）` : `… (${length} characters)`);
}

/** A message parameter made safe to show: dataset text shortened and escaped, any other string escaped. */
export function safeParam(name: string, value: unknown, locale: Locale): unknown {
  if (typeof value !== 'string') return value;
  if (DATASET_TEXT.has(name)) return quoteText(value, locale);
  if (DATASET_LISTS.has(name)) return quoteText(value, locale, QUOTED_LIST_MAX_CHARS);
  return escapeControls(value);
}

/** The parameters of a message, each made safe (see safeParam) as the message reads it. */
export function safeParams<T extends object>(params: T, locale: Locale): T {
  return new Proxy(params, {
    get: (target, key) => (typeof key === 'string' ? safeParam(key, Reflect.get(target, key), locale) : Reflect.get(target, key)),
  });
}
