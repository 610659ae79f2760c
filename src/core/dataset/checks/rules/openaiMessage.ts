// One OpenAI chat message: keys, role, content (a string, content parts, or null beside tool calls),
// `weight` (0 or 1, assistant only), `name` and `tool_call_id` types.
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import type { ChatLayout } from '../../formats/layout';
import { checkKeys } from './keys';
import { readRole } from './role';
import type { Turn } from './turn';
import { get, has, isBlank, isObject, typeName, type Obj } from './values';

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
  const calls = callCount(m);
  const before = out.list.length;
  const text = readContent(m, path, layout, role, calls, out);
  const broken = out.list.length > before && out.list[out.list.length - 1]!.code === 'FT013';
  const weight = readWeight(m, path, role, out);
  checkString(m, 'name', path, out);
  checkString(m, 'tool_call_id', path, out);
  const turn: Turn = { index, path, text: text + callsText(m), empty: isBlank(text), calls };
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

function callCount(m: Obj): number {
  const calls = get(m, 'tool_calls');
  const legacy = get(m, 'function_call');
  return (Array.isArray(calls) ? calls.length : 0) + (isObject(legacy) ? 1 : 0);
}

/** Tool calls' names and arguments, so two samples differing only in a call are not duplicates. */
function callsText(m: Obj): string {
  const calls = get(m, 'tool_calls');
  if (!Array.isArray(calls)) return '';
  return calls.map((c) => {
    const fn = isObject(c) ? get(c, 'function') : undefined;
    if (!isObject(fn)) return '';
    const args = get(fn, 'arguments');
    return `\u0001${String(get(fn, 'name'))}\u0002${typeof args === 'string' ? args : ''}`;
  }).join('');
}

/** The content's text; reports a missing, mistyped or empty content. */
function readContent(m: Obj, path: JsonPath, layout: ChatLayout, role: Turn['role'], calls: number, out: Findings): string {
  const key = layout.contentKey;
  const value = get(m, key);
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

/** Content parts: `{type:'text', text}` and media parts (`image_url`, `input_audio`, `file`). */
function readParts(parts: unknown[], path: JsonPath, mayBeEmpty: boolean, out: Findings): string {
  let text = '';
  let media = false;
  parts.forEach((part, i) => {
    const at = { path: [...path, i] };
    if (!isObject(part) || typeof get(part, 'type') !== 'string') {
      out.add('FT013', at, 'type.contentPart', { found: typeName(part) });
      return;
    }
    if (get(part, 'type') !== 'text') {
      media = true;
      return;
    }
    const t = get(part, 'text');
    if (typeof t === 'string') text += t;
    else out.add('FT013', { path: [...path, i, 'text'] }, 'type.expected', { key: 'text', expected: 'string', found: t === undefined ? 'missing' : typeName(t) });
  });
  if (!mayBeEmpty && !media && isBlank(text)) out.add('FT021', { path }, 'content.empty', { key: 'content' });
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
