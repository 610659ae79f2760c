// One OpenAI chat message: keys, role, content (a string, content parts, or null beside tool calls),
// `weight` (0 or 1, assistant only), `name` and `tool_call_id` types.
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import type { ChatLayout } from '../../formats/layout';
import { partKind } from '../../formats/contentParts';
import { checkKeys } from './keys';
import { readRole } from './role';
import type { Turn } from './turn';
import { get, has, isBlank, isObject, stableJson, typeName, type Obj } from './values';

const MESSAGE_KEYS = ['name', 'weight', 'tool_calls', 'tool_call_id', 'function_call', 'refusal', 'reasoning_content'];
const knownCache = new WeakMap<ChatLayout, string[]>();

/** The keys a message may have in this layout (computed once per layout). */
function messageKeys(layout: ChatLayout): string[] {
  let keys = knownCache.get(layout);
  if (!keys) knownCache.set(layout, (keys = [layout.roleKey, layout.contentKey, ...MESSAGE_KEYS]));
  return keys;
}

export function readOpenAiMessage(m: unknown, index: number, path: JsonPath, layout: ChatLayout, out: Findings): Turn {
  if (!isObject(m)) {
    out.add('FT013', { path }, 'type.message', { found: typeName(m) });
    return { index, path, text: '', empty: true, calls: 0 };
  }
  checkKeys(m, messageKeys(layout), [layout.roleKey], path, out);
  const { role, name } = readRole(m, path, layout, out);
  const toolCalls = get(m, 'tool_calls');
  const legacy = get(m, 'function_call');
  const calls = (Array.isArray(toolCalls) ? toolCalls.length : 0) + (isObject(legacy) ? 1 : 0);
  const content = get(m, layout.contentKey);
  const before = out.list.length;
  const text = readContent(content, path, layout, role, calls, out);
  const broken = out.list.length > before && out.list[out.list.length - 1]!.code === 'FT013';
  const weight = readWeight(m, path, role, out);
  checkString(m, 'name', path, out);
  checkString(m, 'tool_call_id', path, out);
  const turn: Turn = { index, path, text, empty: isBlank(text), calls };
  // Usually neither: no string is built for a plain message.
  if (Array.isArray(content) || calls > 0) {
    const exact = mediaText(content) + callsText(toolCalls, legacy);
    if (exact) turn.exact = exact;
  }
  if (role) turn.role = role;
  if (name !== undefined) turn.roleName = name;
  if (weight !== undefined) turn.weight = weight;
  if (broken) turn.broken = true;
  return turn;
}

function checkString(m: Obj, key: string, path: JsonPath, out: Findings): void {
  const v = get(m, key);
  if (v !== undefined && typeof v !== 'string') out.add('FT013', { path: [...path, key] }, 'type.expected', { key, expected: 'string', found: typeName(v) });
}

/**
 * Tool calls' names and arguments (`tool_calls`, and the legacy `function_call`), so two samples differing only in a
 * call are not duplicates. Compared as written: in a call, letter case and spacing are meaning.
 */
function callsText(calls: unknown, legacy: unknown): string {
  let text = '';
  if (Array.isArray(calls)) for (const c of calls) text += callText(isObject(c) ? get(c, 'function') : undefined);
  if (isObject(legacy)) text += callText(legacy);
  return text;
}

function callText(fn: unknown): string {
  if (!isObject(fn)) return '';
  const args = get(fn, 'arguments');
  return `\u0001${String(get(fn, 'name'))}\u0002${typeof args === 'string' ? args : stableJson(args)}`;
}

/** Media parts as written (an image's URL or data), so samples differing only in their image are not duplicates. */
function mediaText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (partKind(part) === 'media') text += '\u0003' + stableJson(part);
  return text;
}

/** The content's text; reports a missing, mistyped or empty content. */
function readContent(value: unknown, path: JsonPath, layout: ChatLayout, role: Turn['role'], calls: number, out: Findings): string {
  const key = layout.contentKey;
  const mayBeEmpty = calls > 0 || role === 'tool';
  if (typeof value === 'string' && (mayBeEmpty || !isBlank(value))) return value;
  const at = { path: [...path, key] };
  if (value === undefined) {
    if (!mayBeEmpty && role !== undefined) out.add('FT014', { path }, 'key.missing', { key });
    return '';
  }
  if (value === null) {
    if (!mayBeEmpty) out.add('FT013', at, 'type.nullContent', { key });
    return '';
  }
  if (typeof value === 'string') {
    if (!mayBeEmpty && isBlank(value)) out.add('FT021', at, 'content.empty', { key });
    return value;
  }
  if (Array.isArray(value)) return readParts(value, at.path, mayBeEmpty, out);
  out.add('FT013', at, 'type.content', { key, found: typeName(value) });
  return '';
}

/** Content parts: text parts (their text) and media parts (contentParts.ts). Unknown shapes were reported before (chat.ts). */
function readParts(parts: unknown[], path: JsonPath, mayBeEmpty: boolean, out: Findings): string {
  let text = '';
  let media = false;
  let broken = false;
  parts.forEach((part, i) => {
    const kind = partKind(part);
    if (kind === 'unknown') {
      broken = true;
      out.add('FT013', { path: [...path, i] }, 'type.contentPart', { found: typeName(part) });
      return;
    }
    if (kind === 'media') {
      media = true;
      return;
    }
    const t = get(part as Obj, 'text');
    if (typeof t === 'string') text += t;
    else {
      broken = true;
      out.add('FT013', { path: [...path, i, 'text'] }, 'type.expected', { key: 'text', expected: 'string', found: typeName(t) });
    }
  });
  if (!mayBeEmpty && !media && !broken && isBlank(text)) out.add('FT021', { path }, 'content.empty', { key: 'content' });
  return text;
}

function readWeight(m: Obj, path: JsonPath, role: Turn['role'], out: Findings): number | undefined {
  if (!has(m, 'weight')) return undefined;
  const w = get(m, 'weight');
  if (w !== 0 && w !== 1) out.add('FT027', { path: [...path, 'weight'] }, 'weight.value', { found: shortJson(w) });
  if (role !== undefined && role !== 'assistant') out.add('FT028', { path: [...path, 'weight'], key: true }, 'weight.role', { role });
  return typeof w === 'number' ? w : undefined;
}

/** A short rendering of a value for a message. */
export function shortJson(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'object' && v !== null ? typeName(v) : JSON.stringify(v);
  } catch {
    s = typeName(v);
  }
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
