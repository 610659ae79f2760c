// Small helpers for reading untrusted parsed JSON: own properties only (a `constructor` or `__proto__`
// key is plain data), and type names for messages.

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The own property `key` of `obj`, never an inherited one. Read first: a key the object lacks (most lookups)
 * then costs one property load, and only a value found is checked to be its own.
 */
export function get(obj: Obj, key: string): unknown {
  const v = obj[key];
  return v !== undefined && Object.hasOwn(obj, key) ? v : undefined;
}

export function has(obj: Obj, key: string): boolean {
  return Object.hasOwn(obj, key);
}

export type TypeName = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function typeName(v: unknown): TypeName {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

/** Empty or only white space (as JS `\s`). A first character that is not white space answers at once. */
export function isBlank(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c > 0x20 && c !== 0xa0 && c !== 0x1680 && c !== 0xfeff && (c < 0x2000 || c > 0x3000)) return false;
  return !/\S/.test(s);
}

// A JSON rendering of a parsed value with object keys sorted, so two samples that write the same tool schema or
// call arguments with keys in another order hash the same. (Nesting is bounded before rules run: FT009.)
export function stableJson(value: unknown): string {
  try {
    return JSON.stringify(value, sortKeys) ?? 'null';
  } catch {
    return '\u0000'; // nested too deep to render (a JSON string inside the sample may be): compared as unreadable
  }
}

function sortKeys(_key: string, v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const obj = v as Record<string, unknown>;
  // fromEntries defines own properties, so a "__proto__" key stays plain data.
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
}
