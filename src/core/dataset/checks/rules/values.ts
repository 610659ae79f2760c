// Small helpers for reading untrusted parsed JSON: own properties only (a `constructor` or `__proto__`
// key is plain data), and type names for messages.

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The own property `key` of `obj`, never an inherited one. */
export function get(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
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
