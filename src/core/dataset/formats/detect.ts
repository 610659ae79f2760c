// Which format a sample is in, from its keys: OpenAI `messages`, ShareGPT `conversations`, Alpaca
// `instruction`/`input`/`output`, `prompt`/`completion`, or `text`. A dataset_info.json entry decides
// instead when there is one. A misspelt main key (`mesages`) still picks its format, so the sample
// gets one precise "missing messages, did you mean" rather than "unknown format".
import {
  ALPACA_LAYOUT, OPENAI_LAYOUT, PROMPT_COMPLETION_LAYOUT, SHAREGPT_LAYOUT, TEXT_LAYOUT, type Layout,
} from './layout';
import { closest } from './suggest';
import { has, type Obj } from '../checks/rules/values';

const BY_KEY: readonly [string, Layout][] = [
  ['messages', OPENAI_LAYOUT],
  ['conversations', SHAREGPT_LAYOUT],
  ['instruction', ALPACA_LAYOUT],
  ['output', ALPACA_LAYOUT],
  ['input', ALPACA_LAYOUT],
  ['prompt', PROMPT_COMPLETION_LAYOUT],
  ['completion', PROMPT_COMPLETION_LAYOUT],
  ['text', TEXT_LAYOUT],
];

export function detectLayout(sample: Obj, mapped: Layout | undefined): Layout | undefined {
  if (mapped) return mapped;
  for (const [key, layout] of BY_KEY) if (has(sample, key)) return layout;
  const keys = BY_KEY.map(([k]) => k);
  for (const key of Object.keys(sample).slice(0, 50)) {
    const near = closest(key, keys);
    if (near !== undefined) return BY_KEY.find(([k]) => k === near)![1];
  }
  return undefined;
}
