// Converts ShareGPT and Alpaca samples to OpenAI chat messages, one JSONL line each (for a new file).
// OpenAI samples are kept as they are; lines that cannot be converted are left out and listed.
import { detectLayout } from './detect';
import { layoutFromDatasetInfo } from './datasetInfo';
import type { AlpacaLayout, ChatLayout } from './layout';
import { splitLines } from '../checks/linter';
import { message } from '../checks/materialise';
import type { MessageId } from '../messages';
import { get, isObject, type Obj } from '../checks/rules/values';
import type { Locale } from '../types';

export interface ConvertOptions {
  locale?: Locale;
  /** As in LintOptions: a LLaMA-Factory dataset_info.json and this file's name in it. */
  datasetInfo?: unknown;
  fileName?: string;
}

export interface ConvertResult {
  /** The OpenAI JSONL text, one sample a line, ending with a line break (empty when nothing is left). */
  text: string;
  converted: number;
  /** Samples already in OpenAI format, copied unchanged. */
  unchanged: number;
  /** Lines left out (0-based) and why. */
  skipped: { line: number; reason: string }[];
}

type Message = Record<string, unknown>;

/** Thrown by a sample converter to leave the sample out. */
class Skip {
  constructor(readonly id: MessageId, readonly params: Record<string, string | number> = {}) {}
}

export function convertToOpenAI(text: string, options: ConvertOptions = {}): ConvertResult {
  const locale = options.locale ?? 'en';
  const mapped = options.datasetInfo === undefined ? undefined : layoutFromDatasetInfo(options.datasetInfo, options.fileName);
  const result: ConvertResult = { text: '', converted: 0, unchanged: 0, skipped: [] };
  const out: string[] = [];
  splitLines(text).forEach((raw, line) => {
    const content = raw.replace(/^\ufeff/, '').trim();
    if (content.length === 0) return;
    try {
      const converted = convertLine(content, mapped);
      out.push(converted.line);
      if (converted.unchanged) result.unchanged++;
      else result.converted++;
    } catch (e) {
      if (!(e instanceof Skip)) throw e;
      result.skipped.push({ line, reason: message(locale, e.id, e.params) });
    }
  });
  result.text = out.length > 0 ? out.join('\n') + '\n' : '';
  return result;
}

function convertLine(content: string, mapped: ReturnType<typeof layoutFromDatasetInfo>): { line: string; unchanged: boolean } {
  let sample: unknown;
  try {
    sample = JSON.parse(content);
  } catch {
    throw new Skip('convert.notJson');
  }
  if (!isObject(sample)) throw new Skip('convert.notObject');
  const layout = detectLayout(sample, mapped);
  if (!layout) throw new Skip('convert.unknownFormat');
  switch (layout.format) {
    case 'openai':
      return { line: content, unchanged: true };
    case 'sharegpt':
      return { line: JSON.stringify(fromShareGpt(sample, layout)), unchanged: false };
    case 'alpaca':
      return { line: JSON.stringify(fromAlpaca(sample, layout)), unchanged: false };
    default:
      throw new Skip('convert.notConvertible', { format: layout.format });
  }
}

function fromShareGpt(sample: Obj, layout: ChatLayout): Obj {
  const turns = get(sample, layout.messages);
  if (!Array.isArray(turns)) throw new Skip('convert.badTurn', { turn: 1 });
  const messages: Message[] = [];
  const system = layout.system ? get(sample, layout.system) : undefined;
  if (typeof system === 'string' && system.length > 0) messages.push({ role: 'system', content: system });
  const pending: string[] = [];
  let calls = 0;
  turns.forEach((turn, i) => {
    const role = isObject(turn) ? get(turn, layout.roleKey) : undefined;
    const content = isObject(turn) ? get(turn, layout.contentKey) : undefined;
    const canonical = typeof role === 'string' ? layout.roles.get(role) : undefined;
    if (canonical === undefined || typeof content !== 'string') throw new Skip('convert.badTurn', { turn: i + 1 });
    if (canonical === 'function_call') {
      const toolCalls = parseCalls(content, i).map((fn) => ({ id: `call_${++calls}`, type: 'function', function: fn }));
      pending.push(...toolCalls.map((c) => c.id));
      messages.push({ role: 'assistant', content: null, tool_calls: toolCalls });
    } else if (canonical === 'tool') {
      const id = pending.shift();
      if (id === undefined) throw new Skip('convert.badCall', { turn: i + 1 });
      messages.push({ role: 'tool', tool_call_id: id, content });
    } else {
      messages.push({ role: canonical, content });
    }
  });
  const tools = layout.tools ? toolList(get(sample, layout.tools)) : undefined;
  return tools ? { messages, tools } : { messages };
}

/** A function_call turn's JSON: one `{name, arguments}` or a list; arguments become a JSON string. */
function parseCalls(content: string, turn: number): { name: string; arguments: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new Skip('convert.badCall', { turn: turn + 1 });
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((call) => {
    const name = isObject(call) ? get(call, 'name') : undefined;
    if (!isObject(call) || typeof name !== 'string') throw new Skip('convert.badCall', { turn: turn + 1 });
    const args = get(call, 'arguments');
    return { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
  });
}

/** LLaMA-Factory's tools column (a JSON string, or a list) as OpenAI `tools`. */
function toolList(value: unknown): Obj[] | undefined {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter(isObject).map((t) => (get(t, 'type') === 'function' && isObject(get(t, 'function')) ? t : { type: 'function', function: t }));
}

function fromAlpaca(sample: Obj, layout: AlpacaLayout): Obj {
  const str = (key: string | undefined) => {
    const v = key ? get(sample, key) : undefined;
    return typeof v === 'string' ? v : '';
  };
  const output = layout.response ? get(sample, layout.response) : undefined;
  if (typeof output !== 'string' || output.trim() === '') throw new Skip('convert.noAnswer');
  const messages: Message[] = [];
  if (str(layout.system)) messages.push({ role: 'system', content: str(layout.system) });
  const history = layout.history ? get(sample, layout.history) : undefined;
  if (Array.isArray(history)) {
    history.forEach((pair, i) => {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') throw new Skip('convert.badTurn', { turn: i * 2 + 1 });
      messages.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
    });
  }
  // LLaMA-Factory joins instruction and input with a line break.
  const prompt = [str(layout.prompt), str(layout.query)].filter((s) => s.length > 0).join('\n');
  messages.push({ role: 'user', content: prompt }, { role: 'assistant', content: output });
  return { messages };
}
