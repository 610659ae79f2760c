// A conversation sample (OpenAI `messages` or ShareGPT `conversations`): its keys, each message, the
// role order, an answer to learn from and, for OpenAI, tool-call consistency.
import type { Findings } from '../findings';
import type { JsonPath } from '../../parsing/jsonPath';
import { firstUnknownPart } from '../../formats/contentParts';
import { topLevelKeys, requiredKeys, type ChatLayout } from '../../formats/layout';
import { checkKeys } from './keys';
import { checkKtoTag, rankedPair } from './preference';
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
  const read = messageReader(sample, layout, out);
  const turns: Turn[] = [];
  for (let i = 0; i < messages.length; i++) turns.push(read(messages[i], i, [layout.messages, i]));
  if (layout.format === 'openai') {
    checkOpenAiOrder(turns, layout, out);
    checkOpenAiTools(sample, messages, turns, out);
  } else checkShareGptOrder(turns, layout, out);
  if (!layout.ranking) checkHasAnswer(turns, layout.messages, out);
  checkKtoTag(sample, layout, out);
  const view = viewOf(turns, layout.contentKey);
  if (layout.ranking) {
    view.parts.push(rankedPair(sample, layout.ranking, (value, key) => rankedAnswer(read(value, 0, [key]), layout, out)));
    view.endsWithAnswer = true;
  }
  const tools = toolsText(sample, toolKeys(layout));
  if (tools) view.tools = tools;
  const system = layout.system ? get(sample, layout.system) : undefined;
  if (typeof system === 'string' && system.length > 0) view.parts.unshift({ role: 'system', text: system });
  return view;
}

type MessageReader = (m: unknown, index: number, path: JsonPath) => Turn;

/** Reads one message of the sample in its format (ShareGPT checks calls against the sample's declared tools). */
function messageReader(sample: Obj, layout: ChatLayout, out: Findings): MessageReader {
  if (layout.format === 'openai') return (m, i, path) => readOpenAiMessage(m, i, path, layout, out);
  const names = new CallNames(layout.tools ? declaredTools(sample, [layout.tools], out) : undefined, out);
  return (m, i, path) => readShareGptMessage(m, i, path, layout, names, out);
}

/** A chosen or rejected message: the assistant's (or a function call), as LLaMA-Factory accepts it. */
function rankedAnswer(turn: Turn, layout: ChatLayout, out: Findings): string {
  if (turn.role !== undefined && turn.role !== 'assistant' && turn.role !== 'function_call') {
    out.add('FT023', { path: [...turn.path, layout.roleKey] }, 'order.rankedRole', { key: String(turn.path[0]), found: turn.roleName ?? turn.role, assistant: layout.tags.assistant });
  }
  return turn.exact ?? turn.text;
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
