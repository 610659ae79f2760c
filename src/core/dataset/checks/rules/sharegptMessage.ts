// One ShareGPT turn: `from` and `value` (or the tags dataset_info.json names), both strings; a
// function_call turn's value is the call as JSON (`{"name", "arguments"}` or a list of them).
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import type { ChatLayout } from '../../formats/layout';
import { checkKeys } from './keys';
import { readRole } from './role';
import type { CallNames } from './toolDecls';
import type { Turn } from './turn';
import { get, isBlank, isObject, typeName } from './values';

export function readShareGptMessage(m: unknown, index: number, path: JsonPath, layout: ChatLayout, names: CallNames, out: Findings): Turn {
  if (!isObject(m)) {
    out.add('FT013', { path }, 'type.message', { found: typeName(m) });
    return { index, path, text: '', empty: true, calls: 0 };
  }
  checkKeys(m, [layout.roleKey, layout.contentKey], [layout.roleKey, layout.contentKey], path, out);
  const { role, name } = readRole(m, path, layout, out);
  const value = get(m, layout.contentKey);
  const at = { path: [...path, layout.contentKey] };
  let text = '';
  if (typeof value === 'string') {
    text = value;
    if (isBlank(value)) out.add('FT021', at, 'content.empty', { key: layout.contentKey });
    else if (role === 'function_call') checkFunctionCall(value, at, names, out);
  } else if (value !== undefined) {
    out.add('FT013', at, 'type.expected', { key: layout.contentKey, expected: 'string', found: typeName(value) });
  }
  const turn: Turn = { index, path, text, empty: isBlank(text), calls: role === 'function_call' ? 1 : 0 };
  // A call's name and arguments are compared as written (case and spacing are meaning there).
  if (role === 'function_call' && text) {
    turn.exact = text;
    turn.text = '';
  }
  if (value !== undefined && typeof value !== 'string') turn.broken = true;
  if (role) turn.role = role;
  if (name !== undefined) turn.roleName = name;
  return turn;
}

/** LLaMA-Factory json-loads a function_call turn: one `{name, arguments}` or a list of them. */
function checkFunctionCall(value: string, at: { path: JsonPath }, names: CallNames, out: Findings): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    out.add('FT030', at, 'tools.callNotJson', {});
    return;
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  for (const call of calls) {
    const name = isObject(call) ? get(call, 'name') : undefined;
    if (typeof name !== 'string' || !isObject(call) || get(call, 'arguments') === undefined) {
      out.add('FT030', at, 'tools.callShape', {});
      return;
    }
    names.check(name, at);
  }
}
