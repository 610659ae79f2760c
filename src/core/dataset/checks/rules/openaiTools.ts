// Tool calls in an OpenAI conversation: each call well-formed, its arguments JSON, its function declared,
// and its id answered by a `tool` message before the conversation moves on (FT031, FT032).
// A conversation may end right after the assistant's calls: such a sample teaches when to call.
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import { declaredTools, CallNames } from './toolDecls';
import { checkArguments } from './toolArgs';
import type { Turn } from './turn';
import { get, has, isObject, typeName, type Obj } from './values';

export function checkOpenAiTools(sample: Obj, messages: unknown[], turns: readonly Turn[], out: Findings): void {
  // Most samples have no tools: nothing to check, nothing to allocate.
  if (!has(sample, 'tools') && !has(sample, 'functions') && !callsOrResults(turns)) return;
  const names = new CallNames(declaredTools(sample, ['tools', 'functions'], out), out);
  const pending = new Map<string, JsonPath>();
  let lastCaller = -1;
  let afterCall = false;
  turns.forEach((turn, k) => {
    const m = messages[turn.index];
    if (!isObject(m)) return;
    // A tool message after no call at all is an order error (FT023), reported there.
    if (turn.role === 'tool') return afterCall ? answer(m, turn, pending, out) : undefined;
    flush(pending, out);
    afterCall = false;
    if (turn.role !== 'assistant') return;
    if (readCalls(m, turn.path, names, pending, out) > 0) {
      lastCaller = k;
      afterCall = true;
    }
  });
  // Calls the conversation ends on are fine; calls followed by some tool results must all be answered.
  if (lastCaller !== turns.length - 1) flush(pending, out);
}

function callsOrResults(turns: readonly Turn[]): boolean {
  for (const t of turns) if (t.calls > 0 || t.role === 'tool') return true;
  return false;
}

/** A tool message: its `tool_call_id` must name a pending call. */
function answer(m: Obj, turn: Turn, pending: Map<string, JsonPath>, out: Findings): void {
  const id = get(m, 'tool_call_id');
  if (typeof id === 'string') {
    if (pending.has(id)) pending.delete(id);
    else out.add('FT032', { path: [...turn.path, 'tool_call_id'] }, 'tools.unknownId', { id });
  } else if (id === undefined && turn.roleName === 'tool' && pending.size > 0) {
    out.add('FT014', { path: turn.path }, 'key.missing', { key: 'tool_call_id' });
  }
}

function flush(pending: Map<string, JsonPath>, out: Findings): void {
  for (const [id, path] of pending) out.add('FT031', { path }, 'tools.unanswered', { id });
  pending.clear();
}

/** Checks an assistant message's `tool_calls` (and legacy `function_call`); returns how many it makes. */
function readCalls(m: Obj, path: JsonPath, names: CallNames, pending: Map<string, JsonPath>, out: Findings): number {
  let count = 0;
  const calls = get(m, 'tool_calls');
  if (calls !== undefined && calls !== null && !Array.isArray(calls)) {
    out.add('FT013', { path: [...path, 'tool_calls'] }, 'type.expected', { key: 'tool_calls', expected: 'array', found: typeName(calls) });
  } else if (Array.isArray(calls)) {
    calls.forEach((call, i) => {
      const id = readCall(call, [...path, 'tool_calls', i], names, out);
      if (id !== undefined) pending.set(id, [...path, 'tool_calls', i, 'id']);
      count++;
    });
  }
  const legacy = get(m, 'function_call');
  if (legacy !== undefined && legacy !== null) {
    readFunction(legacy, [...path, 'function_call'], names, out);
    count++;
  }
  return count;
}

/** One entry of `tool_calls`; returns its id when it has one. */
function readCall(call: unknown, path: JsonPath, names: CallNames, out: Findings): string | undefined {
  if (!isObject(call)) {
    out.add('FT013', { path }, 'type.expected', { key: 'tool_calls[]', expected: 'object', found: typeName(call) });
    return undefined;
  }
  const id = get(call, 'id');
  if (id === undefined) out.add('FT014', { path }, 'key.missing', { key: 'id' });
  else if (typeof id !== 'string') out.add('FT013', { path: [...path, 'id'] }, 'type.expected', { key: 'id', expected: 'string', found: typeName(id) });
  const type = get(call, 'type');
  if (type !== undefined && type !== 'function') out.add('FT013', { path: [...path, 'type'] }, 'tools.callType', { found: String(type) });
  const fn = get(call, 'function');
  if (fn === undefined) out.add('FT014', { path }, 'key.missing', { key: 'function' });
  else readFunction(fn, [...path, 'function'], names, out);
  return typeof id === 'string' ? id : undefined;
}

/** `{name, arguments}`: the name declared, the arguments JSON. */
function readFunction(fn: unknown, path: JsonPath, names: CallNames, out: Findings): void {
  if (!isObject(fn)) {
    out.add('FT013', { path }, 'type.expected', { key: String(path[path.length - 1]), expected: 'object', found: typeName(fn) });
    return;
  }
  const name = get(fn, 'name');
  if (typeof name !== 'string') {
    out.add(name === undefined ? 'FT014' : 'FT013', { path }, 'key.missing', { key: 'name' });
  } else {
    names.check(name, { path: [...path, 'name'] });
  }
  const args = get(fn, 'arguments');
  if (args === undefined) out.add('FT014', { path }, 'key.missing', { key: 'arguments' });
  else checkArguments(args, typeof name === 'string' ? name : '?', [...path, 'arguments'], out);
}
