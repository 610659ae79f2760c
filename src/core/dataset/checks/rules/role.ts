// The role of a message: present, a string, and one the format knows (FT020, with the likely fix).
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import type { ChatLayout } from '../../formats/layout';
import { suggestRole, type CanonicalRole } from '../../formats/roles';
import { get, typeName, type Obj } from './values';

export function readRole(m: Obj, path: JsonPath, layout: ChatLayout, out: Findings): { role?: CanonicalRole; name?: string } {
  const value = get(m, layout.roleKey);
  if (value === undefined) return {};
  if (typeof value === 'string') {
    const role = layout.roles.get(value);
    if (role) return { role, name: value };
  }
  const at = { path: [...path, layout.roleKey] };
  if (typeof value !== 'string') {
    out.add('FT013', at, 'type.expected', { key: layout.roleKey, expected: 'string', found: typeName(value) });
    return {};
  }
  const fix = suggestRole(value, layout.roles);
  const valid = [...layout.roles.keys()].join(', ');
  if (fix === undefined) {
    out.add('FT020', at, 'role.unknown', { found: value, valid });
    return { name: value };
  }
  out.add('FT020', at, 'role.misspelt', { found: value, role: fix, valid }, { kind: 'fix-role', path: at.path, from: value, value: fix });
  return { role: layout.roles.get(fix), name: value };
}
