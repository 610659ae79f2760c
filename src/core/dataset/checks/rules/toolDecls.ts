// Declared tools: OpenAI's `tools` ([{type:'function', function:{name}}]) and legacy `functions`
// ([{name}]), or LLaMA-Factory's `tools` column (a JSON string of the same list).
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import { get, isObject, stableJson, typeName, type Obj } from './values';

/**
 * The declared names; undefined when the sample declares no tools at all; null when a declaration
 * cannot be read (already reported), so calls cannot be checked against it.
 */
export function declaredTools(sample: Obj, keys: readonly string[], out: Findings): Set<string> | undefined | null {
  let names: Set<string> | undefined;
  for (const key of keys) {
    const found = readDeclaration(sample, key, out);
    if (found === null) return null;
    if (found) names = new Set([...(names ?? []), ...found]);
  }
  return names;
}

function readDeclaration(sample: Obj, key: string, out: Findings): string[] | undefined | null {
  let value = get(sample, key);
  if (value === undefined || value === null || value === '') return undefined;
  const at = { path: [key] };
  const encoded = typeof value === 'string';
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      out.add('FT030', at, 'tools.notJson', { key });
      return null;
    }
  }
  if (!Array.isArray(value)) {
    out.add('FT013', at, 'type.expected', { key, expected: 'array', found: typeName(value) });
    return null;
  }
  return value.flatMap((tool, i) => {
    const name = toolName(tool);
    if (name === undefined) out.add('FT014', encoded ? at : { path: [key, i] }, 'tools.noName', { key, index: i + 1 });
    return name === undefined ? [] : [name];
  });
}

/** `{name}` or `{type:'function', function:{name}}`. */
function toolName(tool: unknown): string | undefined {
  if (!isObject(tool)) return undefined;
  const direct = get(tool, 'name');
  if (typeof direct === 'string') return direct;
  const fn = get(tool, 'function');
  const nested = isObject(fn) ? get(fn, 'name') : undefined;
  return typeof nested === 'string' ? nested : undefined;
}

/** Reports a call to `name` that the declarations do not have (FT033), or calls with none declared (FT034, once). */
export class CallNames {
  private warnedUndeclared = false;

  constructor(private readonly declared: Set<string> | undefined | null, private readonly out: Findings) {}

  check(name: string, at: { path: JsonPath }): void {
    if (this.declared === null) return;
    if (this.declared === undefined) {
      if (!this.warnedUndeclared) this.out.add('FT034', at, 'tools.noneDeclared', { name });
      this.warnedUndeclared = true;
    } else if (!this.declared.has(name)) {
      this.out.add('FT033', at, 'tools.undeclared', { name, declared: [...this.declared].join(', ') || '—' });
    }
  }
}

/**
 * The declarations under `keys` as one string for duplicate keys: a JSON string parsed, then every value written
 * with sorted keys (the same schema written in another key order is the same); '' when none.
 */
export function toolsText(sample: Obj, keys: readonly string[]): string {
  let text = '';
  for (const key of keys) {
    const value = get(sample, key);
    if (value === undefined || value === null || value === '') continue;
    let parsed = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        // an unreadable declaration (FT030) is compared as written
      }
    }
    const rendered = typeof parsed === 'string' ? parsed : stableJson(parsed);
    text += `\u0001${key}\u0002${rendered === '\u0000' && typeof value === 'string' ? value : rendered}`;
  }
  return text;
}
