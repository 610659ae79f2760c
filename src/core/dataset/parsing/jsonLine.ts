// A position-aware JSON parser for one JSONL line: the value, the span of every key and value, or a syntax
// error with its column. Iterative (an explicit stack), so any nesting depth parses without recursion;
// objects are null-prototype, so `__proto__` and `constructor` keys stay plain data.
// Columns are UTF-16 offsets into the text given.

export type JsonNode = JsonObjectNode | JsonArrayNode | JsonScalarNode;

export interface JsonObjectNode {
  type: 'object';
  start: number;
  end: number;
  members: JsonMember[];
}

export interface JsonArrayNode {
  type: 'array';
  start: number;
  end: number;
  items: JsonNode[];
}

export interface JsonScalarNode {
  type: 'string' | 'number' | 'boolean' | 'null';
  start: number;
  end: number;
}

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export type JsonErrorKind =
  | 'unexpected_end'
  | 'unexpected_char'
  | 'expected_value'
  | 'expected_key'
  | 'expected_colon'
  | 'expected_comma_or_close'
  | 'single_quotes'
  | 'unquoted_key'
  | 'trailing_comma'
  | 'comment'
  | 'extra_data'
  | 'unterminated_string'
  | 'control_char'
  | 'bad_escape'
  | 'bad_number'
  | 'bad_literal'
  | 'fullwidth_punct'
  | 'too_deep';

export interface JsonSyntaxError {
  kind: JsonErrorKind;
  column: number;
  /** The offending text (a character, a word, an escape), when there is one. */
  found?: string;
  /** For `fullwidth_punct`: the ASCII character JSON needs there. */
  expected?: string;
}

export type JsonLineResult =
  | { ok: true; value: unknown; root: JsonNode; depth: number }
  | { ok: false; error: JsonSyntaxError };

export interface JsonLineOptions {
  /** Containers nested deeper than this give a `too_deep` error. Default 100,000. */
  maxDepth?: number;
}

/** Thrown inside the parser and turned into the `{ ok: false }` result at the top. */
class ParseFailure {
  constructor(readonly error: JsonSyntaxError) {}
}

/** An open container on the parser's stack. */
interface Frame {
  node: JsonObjectNode | JsonArrayNode;
  value: Record<string, unknown> | unknown[];
  /** The key waiting for its value (objects only). */
  key: string;
  keyStart: number;
  keyEnd: number;
}

/** Parses `text` as exactly one JSON value surrounded by optional JSON whitespace. */
export function parseJsonLine(text: string, options: JsonLineOptions = {}): JsonLineResult {
  const parser = new JsonLineParser(text, options.maxDepth ?? 100_000);
  try {
    return parser.parse();
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

const FULLWIDTH: ReadonlyMap<string, string> = new Map([
  ['\u201c', '"'], ['\u201d', '"'], ['\uff02', '"'], ['\uff0c', ','], ['\uff1a', ':'],
  ['\uff5b', '{'], ['\uff5d', '}'], ['\uff3b', '['], ['\uff3d', ']'], ['\u3001', ','],
]);

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[-+.\w$\u4e00-\u9fff]+/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonLineParser {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private depth = 0;

  constructor(private readonly text: string, private readonly maxDepth: number) {}

  parse(): JsonLineResult {
    this.skipWs();
    let result = this.parseValueOrOpen();
    while (this.stack.length > 0) {
      result = this.attachAndContinue(result);
    }
    this.skipWs();
    if (this.pos < this.text.length) this.fail('extra_data', this.pos);
    return { ok: true, value: result.value, root: result.node, depth: this.depth };
  }

  /**
   * Attaches a finished value to the innermost open container, then reads on: either the next value's
   * start (returning what that gives) or the container's close (returning the container itself).
   */
  private attachAndContinue(done: { node: JsonNode; value: unknown }): { node: JsonNode; value: unknown } {
    let child = done;
    for (;;) {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) return child;
      this.attach(frame, child);
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      const close = frame.node.type === 'object' ? 0x7d : 0x5d;
      if (c === 0x2c) {
        this.pos++;
        this.skipWs();
        this.afterComma(frame);
        return this.parseValueOrOpen();
      }
      if (c !== close) this.failAt(this.pos, 'expected_comma_or_close');
      this.pos++;
      frame.node.end = this.pos;
      this.stack.pop();
      child = { node: frame.node, value: frame.value };
    }
  }

  private attach(frame: Frame, child: { node: JsonNode; value: unknown }): void {
    if (frame.node.type === 'array') {
      frame.node.items.push(child.node);
      (frame.value as unknown[]).push(child.value);
      return;
    }
    frame.node.members.push({ key: frame.key, keyStart: frame.keyStart, keyEnd: frame.keyEnd, value: child.node });
    (frame.value as Record<string, unknown>)[frame.key] = child.value;
  }

  /** After a comma: a trailing comma is an error; in an object the next key and colon come first. */
  private afterComma(frame: Frame): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7d || c === 0x5d) this.fail('trailing_comma', this.pos - 1);
    if (frame.node.type === 'object') this.readKeyAndColon(frame);
  }

  /**
   * Reads a scalar, or opens a container. An empty container closes at once and is returned as a value;
   * otherwise the container is pushed and its first value is read (looping for nested openings).
   */
  private parseValueOrOpen(): { node: JsonNode; value: unknown } {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x7b && c !== 0x5b) return this.parseScalar();
      const start = this.pos++;
      const frame = this.open(c === 0x7b, start);
      this.skipWs();
      const next = this.text.charCodeAt(this.pos);
      if (next === (c === 0x7b ? 0x7d : 0x5d)) {
        this.pos++;
        frame.node.end = this.pos;
        this.stack.pop();
        return { node: frame.node, value: frame.value };
      }
      if (c === 0x7b) this.readKeyAndColon(frame);
    }
  }

  private open(isObject: boolean, start: number): Frame {
    if (this.stack.length >= this.maxDepth) this.fail('too_deep', start);
    const node: JsonObjectNode | JsonArrayNode = isObject
      ? { type: 'object', start, end: start, members: [] }
      : { type: 'array', start, end: start, items: [] };
    const value = isObject ? (Object.create(null) as Record<string, unknown>) : [];
    const frame: Frame = { node, value, key: '', keyStart: 0, keyEnd: 0 };
    this.stack.push(frame);
    if (this.stack.length > this.depth) this.depth = this.stack.length;
    return frame;
  }

  private readKeyAndColon(frame: Frame): void {
    const c = this.text.charCodeAt(this.pos);
    if (c !== 0x22) this.failKey();
    frame.keyStart = this.pos;
    frame.key = this.readString();
    frame.keyEnd = this.pos;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== 0x3a) this.failAt(this.pos, 'expected_colon');
    this.pos++;
    this.skipWs();
  }

  private failKey(): never {
    const ch = this.text[this.pos];
    if (ch === "'") this.fail('single_quotes', this.pos, ch);
    if (ch !== undefined && /[A-Za-z_$\u4e00-\u9fff]/.test(ch)) this.fail('unquoted_key', this.pos, this.wordAt(this.pos));
    this.failAt(this.pos, 'expected_key');
  }

  private parseScalar(): { node: JsonNode; value: unknown } {
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    if (c === 0x22) {
      const value = this.readString();
      return { node: { type: 'string', start, end: this.pos }, value };
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const value = this.readNumber();
      return { node: { type: 'number', start, end: this.pos }, value };
    }
    return this.readLiteral(start);
  }

  private readLiteral(start: number): { node: JsonNode; value: unknown } {
    const word = this.wordAt(start);
    const literals: Record<string, unknown> = { true: true, false: false, null: null };
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return { node: { type: word === 'null' ? 'null' : 'boolean', start, end: this.pos }, value: literals[word] };
    }
    if (this.pos >= this.text.length) this.fail('unexpected_end', this.pos);
    const ch = this.text[start]!;
    if (ch === "'") this.fail('single_quotes', start, ch);
    if (word.length > 0) this.fail('bad_literal', start, word);
    this.failAt(start, 'expected_value');
  }

  /** Reads a string starting at the opening quote; leaves `pos` after the closing quote. */
  private readString(): string {
    const text = this.text;
    const open = this.pos;
    let i = open + 1;
    let chunkStart = i;
    let out = '';
    for (;;) {
      if (i >= text.length) this.fail('unterminated_string', open);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control_char', i, text[i]);
      if (c === 0x5c) {
        out += text.slice(chunkStart, i);
        i = this.readEscape(i, (s) => { out += s; });
        chunkStart = i;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    return chunkStart === open + 1 ? text.slice(chunkStart, i) : out + text.slice(chunkStart, i);
  }

  /** Decodes the escape at `i` (a backslash) and returns the index after it. */
  private readEscape(i: number, emit: (s: string) => void): number {
    const e = this.text[i + 1];
    if (e === undefined) this.fail('unterminated_string', i);
    if (e !== 'u') {
      if (!Object.hasOwn(ESCAPES, e)) this.fail('bad_escape', i, '\\' + e);
      emit(ESCAPES[e]!);
      return i + 2;
    }
    const hex = this.text.slice(i + 2, i + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad_escape', i, '\\u' + hex.replace(/[^0-9a-fA-F].*$/, ''));
    emit(String.fromCharCode(parseInt(hex, 16)));
    return i + 6;
  }

  private readNumber(): number {
    const text = this.text;
    const start = this.pos;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(text);
    const after = match ? start + match[0].length : start;
    const next = text.charCodeAt(after);
    // A number must end at a delimiter: `01`, `1.`, `1e`, `-` and `1x` are all malformed.
    const badTail = (next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45 || /[A-Za-z_]/.test(text[after] ?? '');
    if (!match || match[0] === '-' || badTail) {
      const word = this.wordAt(start);
      if (word === '-Infinity') this.fail('bad_literal', start, word);
      this.fail('bad_number', start, word || text[start]);
    }
    this.pos = after;
    return Number(match[0]);
  }

  /** The run of word-like characters at `i` (for messages about `True`, `NaN`, `01x`...). */
  private wordAt(i: number): string {
    WORD.lastIndex = i;
    return WORD.exec(this.text)?.[0] ?? '';
  }

  private skipWs(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
    this.pos = i;
  }

  /** Fails with `kind`, unless a more telling reason applies at `i` (end, comment, full-width punctuation). */
  private failAt(i: number, kind: JsonErrorKind): never {
    if (i >= this.text.length) this.fail('unexpected_end', this.text.length);
    const ch = this.text[i]!;
    if (ch === '/' && (this.text[i + 1] === '/' || this.text[i + 1] === '*')) this.fail('comment', i, this.text.slice(i, i + 2));
    const ascii = FULLWIDTH.get(ch);
    if (ascii !== undefined) throw new ParseFailure({ kind: 'fullwidth_punct', column: i, found: ch, expected: ascii });
    this.fail(kind, i, this.charAt(i));
  }

  /** The full character at `i` (both halves of a surrogate pair). */
  private charAt(i: number): string {
    const cp = this.text.codePointAt(i);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private fail(kind: JsonErrorKind, column: number, found?: string): never {
    const error: JsonSyntaxError = { kind, column };
    if (found !== undefined) error.found = found;
    throw new ParseFailure(error);
  }
}
