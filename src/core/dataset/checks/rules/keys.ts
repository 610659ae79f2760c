// Keys a sample (or a message) should not have: a misspelling of a key the loader reads (FT012, or
// FT014 when the real key is then missing), or one no loader reads (FT015); and required keys missing.
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import { closest } from '../../formats/suggest';
import { has, type Obj } from './values';

/** Other formats' names for the same field: a `role` in a ShareGPT turn means `from`. */
const KEY_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ['role', ['from']], ['from', ['role']], ['content', ['value']], ['value', ['content']],
  ['messages', ['conversations']], ['conversations', ['messages']], ['conversation', ['conversations', 'messages']],
  ['response', ['output']], ['answer', ['output']], ['question', ['instruction']], ['query', ['input']],
]);

/** More unknown keys than this in one object are not reported one by one (a wide table is not a typo). */
const MAX_REPORTED = 20;

export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const synonym = KEY_SYNONYMS.get(key)?.find((k) => known.includes(k));
  return synonym ?? closest(key, known);
}

/** Checks `obj`'s keys against `known`; `required` keys must be present (or misspelt, which says so). */
export function checkKeys(obj: Obj, known: readonly string[], required: readonly string[], path: JsonPath, out: Findings): void {
  let misspeltRequired: Set<string> | undefined;
  let reported = 0;
  for (const key in obj) {
    if (!has(obj, key) || known.includes(key) || reported >= MAX_REPORTED) continue;
    reported++;
    const at = { path: [...path, key], key: true };
    const suggestion = suggestKey(key, known);
    if (suggestion === undefined || has(obj, suggestion)) {
      out.add('FT015', at, 'key.unused', { key });
    } else if (required.includes(suggestion)) {
      (misspeltRequired ??= new Set()).add(suggestion);
      out.add('FT014', at, 'key.missingMisspelt', { key: suggestion, found: key }, { kind: 'rename-key', path: [...path, key], from: key, value: suggestion });
    } else {
      out.add('FT012', at, 'key.misspelt', { key: suggestion, found: key }, { kind: 'rename-key', path: [...path, key], from: key, value: suggestion });
    }
  }
  for (const key of required) {
    if (!has(obj, key) && !misspeltRequired?.has(key)) out.add('FT014', { path }, 'key.missing', { key });
  }
}
