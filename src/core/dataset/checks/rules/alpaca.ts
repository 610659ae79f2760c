// An Alpaca sample: `instruction` and `input` (the prompt, joined by a newline as LLaMA-Factory does),
// `output` (the answer), optional `system` and `history` ([[query, answer], ...]). A dataset_info.json entry may
// make it preference data (chosen/rejected strings instead of `output`; a kto_tag) or pre-training text (a prompt
// column only).
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import { topLevelKeys, requiredKeys, type AlpacaLayout } from '../../formats/layout';
import { checkKeys } from './keys';
import { checkKtoTag, rankedPair } from './preference';
import type { SampleView, ViewPart } from './turn';
import { get, isBlank, typeName, type Obj } from './values';

export function checkAlpaca(sample: Obj, layout: AlpacaLayout, out: Findings): SampleView {
  checkKeys(sample, topLevelKeys(layout), requiredKeys(layout), [], out);
  const text = (key: string | undefined) => (key ? optionalString(sample, key, out) : '');
  const system = text(layout.system);
  const prompt = [text(layout.prompt), text(layout.query)].filter((s) => s.length > 0).join('\n');
  if (!layout.ranking && layout.response === undefined) {
    // Pre-training text: LLaMA-Factory's pt stage trains on the prompt column alone.
    if (isBlank(prompt) && get(sample, layout.prompt) !== undefined) out.add('FT021', { path: [layout.prompt] }, 'content.empty', { key: layout.prompt });
    return { parts: [{ role: 'text', text: prompt }], endsWithAnswer: false };
  }
  if (isBlank(prompt)) {
    const where = get(sample, layout.prompt) !== undefined ? { path: [layout.prompt] } : { path: [] };
    out.add('FT021', where, 'content.emptyPrompt', { prompt: layout.prompt, query: layout.query ?? layout.prompt });
  }
  const parts: ViewPart[] = [...(system ? [{ role: 'system', text: system }] : []), ...historyParts(sample, layout, out)];
  parts.push({ role: 'user', text: prompt });
  if (layout.ranking) {
    parts.push(rankedPair(sample, layout.ranking, (value, key) => stringAnswer(value, key, out)));
    return { parts, endsWithAnswer: true };
  }
  const key = layout.response!;
  checkKtoTag(sample, layout, out);
  const output = stringAnswer(get(sample, key), key, out);
  parts.push({ role: 'assistant', text: output ?? '', path: [], at: key });
  return { parts, endsWithAnswer: true };
}

/** An answer column: a string with text in it. */
function stringAnswer(value: unknown, key: string, out: Findings): string | undefined {
  if (typeof value === 'string') {
    if (isBlank(value)) out.add('FT022', { path: [key] }, 'answer.emptyOutput', { key });
    return value;
  }
  if (value !== undefined) out.add('FT013', { path: [key] }, 'type.expected', { key, expected: 'string', found: typeName(value) });
  return undefined;
}

/** A string column, or null / absent (both mean empty to LLaMA-Factory). */
function optionalString(sample: Obj, key: string, out: Findings): string {
  const v = get(sample, key);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  out.add('FT013', { path: [key] }, 'type.expected', { key, expected: 'string', found: typeName(v) });
  return '';
}

function historyParts(sample: Obj, layout: AlpacaLayout, out: Findings): ViewPart[] {
  if (!layout.history) return [];
  const history = get(sample, layout.history);
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history)) {
    out.add('FT013', { path: [layout.history] }, 'type.history', { key: layout.history, found: typeName(history) });
    return [];
  }
  return history.flatMap((pair, i) => historyPair(pair, [layout.history!, i], out));
}

function historyPair(pair: unknown, path: JsonPath, out: Findings): ViewPart[] {
  const ok = Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string';
  if (!ok) {
    out.add('FT013', { path }, 'type.historyPair', { found: Array.isArray(pair) ? `array of ${pair.length}` : typeName(pair) });
    return [];
  }
  const [query, answer] = pair as [string, string];
  if (isBlank(query) || isBlank(answer)) out.add('FT021', { path: [...path, isBlank(query) ? 0 : 1] }, 'content.emptyHistory', {});
  return [{ role: 'user', text: query }, { role: 'assistant', text: answer, path, at: 1 }];
}
