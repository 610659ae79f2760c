// The webview's translated strings, sent by the host in a 'strings' message: `t` looks a key up (the key itself until
// they arrive), `fill` also puts values into {0}, {1}… — whole phrases translate, so Chinese gets its own word order.

export interface Texts {
  /** Keeps the host's strings (each 'strings' message replaces them all). */
  set(strings: Record<string, string>): void;
  t(key: string): string;
  fill(key: string, ...values: (string | number)[]): string;
}

export function makeTexts(): Texts {
  let strings: Record<string, string> = {};
  const t = (key: string) => strings[key] ?? key;
  return {
    set: (next) => { strings = next; },
    t,
    fill: (key, ...values) => t(key).replace(/\{(\d+)\}/g, (_, i: string) => String(values[Number(i)] ?? '')),
  };
}
