// Checks of a line that parsed, for what JSON.parse lets through but training does not take well: lone
// surrogate escapes (FT070), special tokens written in the text (FT071), duplicate keys (FT072) and
// integers too long for Python's json (FT075). Each starts with a cheap scan of the raw text, so a
// clean line costs a few native searches and one walk of the value; only a suspicious line is parsed
// again with spans.
import type { Findings } from './findings';
import { parseJsonLine, type JsonNode } from '../parsing/jsonLine';
import { PLACEHOLDER_HINT } from './placeholders';

/** Python's json raises ValueError on an integer of more digits (sys.get_int_max_str_digits()). */
export const MAX_INT_DIGITS = 4300;

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Findings of one kind kept per line (a line full of tokens says so a few times, not a thousand). */
const MAX_PER_LINE = 5;

/** Control tokens of common chat templates and tokenizers (Qwen/ChatML, Llama 2/3, Mistral, Gemma, Phi, GPT). */
export const BUILTIN_SPECIAL_TOKENS: readonly string[] = [
  '<|im_start|>', '<|im_end|>', '<|endoftext|>', '<|eot_id|>', '<|start_header_id|>', '<|end_header_id|>',
  '<|begin_of_text|>', '<|end_of_text|>', '<|eom_id|>', '<|python_tag|>', '<|system|>', '<|user|>',
  '<|assistant|>', '<|end|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|vision_start|>',
  '<s>', '</s>', '[INST]', '[/INST]', '<<SYS>>', '<</SYS>>', '<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>',
];

/** Finds special tokens in JSON text: native searches for how the tokens start, then a regex. */
export interface SpecialTokenFinder {
  /** Starts of the tokens (as JSON may write them): a line with none of them has no token. */
  anchors: readonly string[];
  /** Global; longest token first so `<|end|>` does not hide `<|endoftext|>`; a `/` may be written `\/`. */
  pattern: RegExp;
  /**
   * One native scan for anything rare worth a closer look: a token's start, a surrogate escape, the start of a
   * template placeholder (placeholders.ts). Most lines have none, and skip the other scans. (No alternative
   * starts with `"`: one that did was tried at every quote, a third of the scan's time.)
   */
  rare: RegExp;
}

export function specialTokenFinder(tokens: readonly string[]): SpecialTokenFinder {
  const unique = [...new Set(tokens.filter((t) => t.length >= 3))].sort((a, b) => b.length - a.length);
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '\\\\?/');
  // The first character, or two when it is common in JSON text (`[` opens every list).
  const anchors = new Set<string>();
  for (const t of unique) {
    const n = /^[[\]{}":,\s\w]/.test(t) ? 2 : 1;
    anchors.add(t.slice(0, n));
    if (n === 2 && t[1] === '/') anchors.add(t[0] + '\\');
  }
  const rare = new RegExp([SURROGATE_ESCAPE.source, PLACEHOLDER_HINT.source, ...[...anchors].map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))].join('|'));
  return { anchors: [...anchors], pattern: new RegExp(unique.map(escape).join('|'), 'g'), rare };
}

export const BUILTIN_SPECIAL_TOKEN_FINDER = specialTokenFinder(BUILTIN_SPECIAL_TOKENS);

/**
 * Adds the findings for a parsed line. `content` is the line without BOM, `offset` the BOM's length
 * (added to every column).
 */
export function checkTextHazards(value: unknown, content: string, offset: number, tokens: SpecialTokenFinder, out: Findings): boolean {
  const rare = tokens.rare.test(content);
  if (rare) {
    checkLoneSurrogates(content, offset, out);
    checkSpecialTokens(content, offset, tokens, out);
  }
  const keys = countKeys(value, content.length > MAX_INT_DIGITS);
  if (keys < 0 || keyColons(content) > keys) checkNodes(content, offset, keys < 0, out);
  return rare;
}

/**
 * `\uD800`-`\uDFFF` escapes (not after an escaped backslash) that are not a high-low pair. Only escapes:
 * text decoded from UTF-8 (the CLI, the editor) cannot hold a raw lone surrogate.
 */
function checkLoneSurrogates(content: string, offset: number, out: Findings): void {
  if (!SURROGATE_ESCAPE.test(content)) return;
  const re = /\\u[dD]([89a-fA-F])[0-9a-fA-F]{2}/g;
  let count = 0;
  for (let m = re.exec(content); m !== null && count < MAX_PER_LINE; m = re.exec(content)) {
    const start = m.index;
    const end = start + 6;
    if (!escapeStartsAt(content, start)) {
      re.lastIndex = start + 1;
      continue;
    }
    const high = parseInt(m[1]!, 16) < 0xc;
    if (high && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(content.slice(end, end + 6))) {
      re.lastIndex = end + 6;
      continue;
    }
    count++;
    const at = { start: start + offset, end: end + offset };
    out.add('FT070', at, 'surrogate.lone', { found: m[0], column: at.start + 1 }, { kind: 'replace-lone-surrogate', ...at });
  }
}

/** Whether the backslash at `i` starts an escape (an even run of backslashes before it). */
function escapeStartsAt(text: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && text.charCodeAt(i - n - 1) === 0x5c) n++;
  return n % 2 === 0;
}

function checkSpecialTokens(content: string, offset: number, finder: SpecialTokenFinder, out: Findings): void {
  if (!finder.anchors.some((a) => content.indexOf(a) !== -1)) return;
  const tokens = finder.pattern;
  tokens.lastIndex = 0;
  let count = 0;
  for (let m = tokens.exec(content); m !== null && count < MAX_PER_LINE; m = tokens.exec(content)) {
    count++;
    const token = m[0].replace(/\\\//g, '/').slice(0, 60);
    out.add('FT071', { start: m.index + offset, end: m.index + m[0].length + offset }, 'specialToken', { token });
  }
  tokens.lastIndex = 0;
}

/** Reused by countKeys (one walk at a time: it is synchronous). */
const walkStack: object[] = [];

/**
 * How many keys the parsed value has (duplicates are gone), or -1 when `numbers` and it holds an infinite
 * number. No closure or result object: this runs on every line.
 */
function countKeys(value: unknown, numbers: boolean): number {
  if (typeof value !== 'object' || value === null) return numbers && typeof value === 'number' && !Number.isFinite(value) ? -1 : 0;
  let keys = 0;
  const stack = walkStack;
  stack.push(value);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'object' && item !== null) stack.push(item);
        else if (numbers && typeof item === 'number' && !Number.isFinite(item)) return infinite();
      }
    } else {
      for (const k in v) {
        keys++;
        const item: unknown = (v as Record<string, unknown>)[k];
        if (typeof item === 'object' && item !== null) stack.push(item);
        else if (numbers && typeof item === 'number' && !Number.isFinite(item)) return infinite();
      }
    }
  }
  return keys;
}

function infinite(): number {
  walkStack.length = 0;
  return -1;
}

/**
 * How many keys the text writes: each is an unescaped `"` followed by optional white space and `:` (in
 * valid JSON nothing else is), so more of them than the parsed value has keys means a duplicate. Found from
 * the colons (one native search for a single character; colons in text are far rarer than quotes).
 */
function keyColons(content: string): number {
  let n = 0;
  for (let i = content.indexOf(':'); i !== -1; i = content.indexOf(':', i + 1)) {
    let q = i - 1;
    let c = content.charCodeAt(q);
    // White space before the colon is rare (serialisers write `"key": `).
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = content.charCodeAt(--q);
    if (c === 0x22 && escapeStartsAt(content, q)) n++;
  }
  return n;
}

/** Re-parses with spans for duplicate keys and, when `numbers`, integers too long for Python. */
function checkNodes(content: string, offset: number, numbers: boolean, out: Findings): void {
  const parsed = parseJsonLine(content);
  if (!parsed.ok) return;
  let duplicates = 0;
  let longInts = 0;
  const stack: JsonNode[] = [parsed.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'array') for (const item of node.items) stack.push(item);
    else if (node.type === 'object') {
      const last = new Map<string, number>();
      for (const m of node.members) last.set(m.key, m.keyStart);
      for (const m of node.members) {
        stack.push(m.value);
        const later = last.get(m.key)!;
        if (later === m.keyStart || duplicates >= MAX_PER_LINE) continue;
        duplicates++;
        out.add('FT072', { start: m.keyStart + offset, end: m.keyEnd + offset }, 'key.duplicate', { key: m.key.slice(0, 60), column: later + offset + 1 });
      }
    } else if (numbers && node.type === 'number' && longInts < MAX_PER_LINE) {
      const text = content.slice(node.start, node.end);
      const digits = text.startsWith('-') ? text.length - 1 : text.length;
      if (digits > MAX_INT_DIGITS && !/[.eE]/.test(text)) {
        longInts++;
        out.add('FT075', { start: node.start + offset, end: node.end + offset }, 'number.tooLong', { digits, limit: MAX_INT_DIGITS });
      }
    }
  }
}
