// `prompt`/`completion` samples (strings, or message lists as in TRL's conversational form) and `text`
// samples (plain text, e.g. continued pre-training).
import type { Findings } from '../findings';
import { OPENAI_LAYOUT, PROMPT_COMPLETION_LAYOUT, TEXT_LAYOUT, requiredKeys, topLevelKeys } from '../../formats/layout';
import { reportUnknownParts } from './chat';
import { checkKeys } from './keys';
import { readOpenAiMessage } from './openaiMessage';
import { checkHasAnswer } from './order';
import { viewOf, type SampleView, type Turn } from './turn';
import { get, isBlank, typeName, type Obj } from './values';

export function checkPromptCompletion(sample: Obj, out: Findings): SampleView | undefined {
  checkKeys(sample, topLevelKeys(PROMPT_COMPLETION_LAYOUT), requiredKeys(PROMPT_COMPLETION_LAYOUT), [], out);
  for (const key of ['prompt', 'completion']) {
    const side = get(sample, key);
    if (Array.isArray(side) && reportUnknownParts(side, [key], 'content', out)) return undefined;
  }
  const prompt = readSide(sample, 'prompt', out);
  const completion = readSide(sample, 'completion', out);
  if (typeof completion === 'string' && isBlank(completion)) out.add('FT022', { path: ['completion'] }, 'answer.emptyOutput', { key: 'completion' });
  if (Array.isArray(completion)) checkHasAnswer(completion, 'completion', out);
  const parts = (side: string | Turn[] | undefined, role: string) =>
    typeof side === 'string' ? [{ role, text: side, path: [], at: role === 'user' ? 'prompt' : 'completion' }] : viewOf(side ?? []).parts;
  return { parts: [...parts(prompt, 'user'), ...parts(completion, 'assistant')], endsWithAnswer: true };
}

/** A side is a string or a list of chat messages. */
function readSide(sample: Obj, key: 'prompt' | 'completion', out: Findings): string | Turn[] | undefined {
  const v = get(sample, key);
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((m, i) => readOpenAiMessage(m, i, [key, i], OPENAI_LAYOUT, out));
  out.add('FT013', { path: [key] }, 'type.expected', { key, expected: 'string', found: typeName(v) });
  return undefined;
}

export function checkText(sample: Obj, out: Findings): SampleView {
  checkKeys(sample, topLevelKeys(TEXT_LAYOUT), requiredKeys(TEXT_LAYOUT), [], out);
  const v = get(sample, 'text');
  if (typeof v === 'string' && isBlank(v)) out.add('FT021', { path: ['text'] }, 'content.empty', { key: 'text' });
  else if (v !== undefined && typeof v !== 'string') out.add('FT013', { path: ['text'] }, 'type.expected', { key: 'text', expected: 'string', found: typeName(v) });
  return { parts: [{ role: 'text', text: typeof v === 'string' ? v : '' }], endsWithAnswer: false };
}
