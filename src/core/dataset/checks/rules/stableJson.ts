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
