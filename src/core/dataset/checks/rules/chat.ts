// A conversation sample (OpenAI `messages` or ShareGPT `conversations`): its keys, each message, the
// role order, an answer to learn from and, for OpenAI, tool-call consistency.
import type { Findings } from '../findings';
import type { JsonPath } from '../../parsing/jsonPath';
import { firstUnknownPart } from '../../formats/contentParts';
import { topLevelKeys, requiredKeys, type ChatLayout } from '../../formats/layout';
import { checkKeys } from './keys';
import { readOpenAiMessage } from './openaiMessage';
import { checkOpenAiTools } from './openaiTools';
import { checkHasAnswer, checkOpenAiOrder, checkShareGptOrder } from './order';
import { readShareGptMessage } from './sharegptMessage';
import { CallNames, declaredTools, toolsText } from './toolDecls';
import { viewOf, type SampleView, type Turn } from './turn';
import { get, typeName, type Obj } from './values';

export function checkChat(sample: Obj, layout: ChatLayout, out: Findings): SampleView | undefined {
  checkKeys(sample, topLevelKeys(layout), requiredKeys(layout), [], out);
  checkSystemColumn(sample, layout, out);
  const messages = get(sample, layout.messages);
  if (messages === undefined) return undefined;
  if (!Array.isArray(messages)) {
    out.add('FT013', { path: [layout.messages] }, 'type.expected', { key: layout.messages, expected: 'array', found: typeName(messages) });
    return undefined;
  }
  if (layout.format === 'openai' && reportUnknownParts(messages, [layout.messages], layout.contentKey, out)) return undefined;
  const turns = layout.format === 'openai' ? openAiTurns(sample, messages, layout, out) : shareGptTurns(sample, messages, layout, out);
  checkHasAnswer(turns, layout.messages, out);
  const view = viewOf(turns, layout.contentKey);
  const tools = toolsText(sample, toolKeys(layout));
  if (tools) view.tools = tools;
  const system = layout.system ? get(sample, layout.system) : undefined;
  if (typeof system === 'string' && system.length > 0) view.parts.unshift({ role: 'system', text: system });
  return view;
}

function openAiTurns(sample: Obj, messages: unknown[], layout: ChatLayout, out: Findings): Turn[] {
  const turns = messages.map((m, i) => readOpenAiMessage(m, i, [layout.messages, i], layout, out));
  checkOpenAiOrder(turns, layout, out);
  checkOpenAiTools(sample, messages, turns, out);
  return turns;
}

function shareGptTurns(sample: Obj, messages: unknown[], layout: ChatLayout, out: Findings): Turn[] {
  const names = new CallNames(layout.tools ? declaredTools(sample, [layout.tools], out) : undefined, out);
  const turns = messages.map((m, i) => readShareGptMessage(m, i, [layout.messages, i], layout, names, out));
  checkShareGptOrder(turns, layout, out);
  return turns;
}

/**
 * Content parts of a shape nobody here knows (`{type: "text", value}`): one FT010 for the sample, on the first
 * such part, and no other message checks (they would only guess: every content "empty", no answer...).
 */
export function reportUnknownParts(messages: unknown[], path: JsonPath, contentKey: string, out: Findings): boolean {
  const unknown = firstUnknownPart(messages, contentKey);
  if (!unknown) return false;
  const at = [...path, unknown.message, contentKey, unknown.part];
  out.add('FT010', { path: at }, 'format.unknownParts', { message: unknown.message + 1, part: unknown.part + 1, shape: unknown.shape });
  return true;
}

const OPENAI_TOOL_KEYS = ['tools', 'functions'];

/** The keys that declare tools (OpenAI's legacy `functions` too). */
function toolKeys(layout: ChatLayout): readonly string[] {
  if (layout.format === 'openai') return layout.tools === undefined || layout.tools === 'tools' ? OPENAI_TOOL_KEYS : [layout.tools, 'functions'];
  return layout.tools ? [layout.tools] : [];
}

/** A ShareGPT `system` column must be a string. */
function checkSystemColumn(sample: Obj, layout: ChatLayout, out: Findings): void {
  if (!layout.system) return;
  const v = get(sample, layout.system);
  if (v !== undefined && v !== null && typeof v !== 'string') {
    out.add('FT013', { path: [layout.system] }, 'type.expected', { key: layout.system, expected: 'string', found: typeName(v) });
  }
}
