// Preference data as LLaMA-Factory's converter reads it: with `ranking: true` each sample holds a chosen and a
// rejected answer (strings for Alpaca, one assistant message each for ShareGPT/OpenAI) after a prompt that ends on
// the user's side; a `kto_tag` column holds a boolean saying whether the sample's answer is desirable.
import type { Findings } from '../findings';
import type { Preference } from '../../formats/layout';
import type { ViewPart } from './turn';
import { get, typeName, type Obj } from './values';

/**
 * The view part of a ranked pair: both answers, so two samples are duplicates only when both are the same.
 * `read` checks one answer (the format's own rules) and returns its text.
 */
export function rankedPair(sample: Obj, ranking: NonNullable<Preference['ranking']>, read: (value: unknown, key: string) => string | undefined): ViewPart {
  // A missing column is already reported (a required key).
  const answer = (key: string) => {
    const value = get(sample, key);
    return value === undefined ? '' : read(value, key) ?? '';
  };
  const chosen = answer(ranking.chosen);
  const rejected = answer(ranking.rejected);
  return { role: 'assistant', text: `${chosen}\n${rejected}`, path: [], at: ranking.chosen };
}

/** A kto_tag must be true or false: LLaMA-Factory reads any other value as an ordinary supervised sample. */
export function checkKtoTag(sample: Obj, layout: Preference, out: Findings): void {
  if (!layout.ktoTag) return;
  const tag = get(sample, layout.ktoTag);
  if (tag === undefined || typeof tag === 'boolean') return;
  out.add('FT013', { path: [layout.ktoTag] }, 'type.expected', { key: layout.ktoTag, expected: 'boolean', found: typeName(tag) });
}
