// Python string semantics where @huggingface/jinja departs from them in ways chat templates notice.
// Templates run in Python Jinja2 in transformers, so `s.strip(chars)` strips `chars`, not whitespace: Qwen3 renders
// an assistant turn with `content.lstrip('\n')`, and @huggingface/jinja (0.5) ignores the argument and strips the
// spaces of an indented answer too, which changes the rendering and its token count. Likewise the `trim` filter
// (Llama 3's `message['content'] | trim`) strips Python's whitespace set, not JavaScript's.
// The library keeps these methods internal, so they are replaced through its exported classes, once per process.
import type * as Jinja from '@huggingface/jinja';

/** The characters Python's str.isspace() accepts: what str.strip() removes by default. */
const PY_WHITESPACE = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000].map((c) => String.fromCharCode(c)),
);

/** Python's str.strip / lstrip / rstrip: `chars` undefined or null means whitespace. */
export function pyStrip(text: string, chars: string | null | undefined, side: 'both' | 'left' | 'right'): string {
  const strip = chars === null || chars === undefined ? PY_WHITESPACE : new Set(chars);
  let start = 0;
  let end = text.length;
  // Code points, so a surrogate pair in `chars` is one character as in Python.
  if (side !== 'right') {
    while (start < end) {
      const ch = String.fromCodePoint(text.codePointAt(start)!);
      if (!strip.has(ch)) break;
      start += ch.length;
    }
  }
  if (side !== 'left') {
    while (end > start) {
      const low = text.charCodeAt(end - 1);
      const width = low >= 0xdc00 && low <= 0xdfff && end - 2 >= start ? 2 : 1;
      if (!strip.has(text.slice(end - width, end))) break;
      end -= width;
    }
  }
  return text.slice(start, end);
}

interface RuntimeValueLike {
  type: string;
  value: unknown;
}
type FunctionValueCtor = new (fn: (args: RuntimeValueLike[]) => RuntimeValueLike) => RuntimeValueLike;
type StringValueCtor = new (value: string) => RuntimeValueLike;

const PATCHED = Symbol.for('finetune-studio.pythonStrings');

/** Makes strip/lstrip/rstrip and `|trim` behave as in Python, for every template rendered in this process. */
export function pythonStringSemantics(jinja: typeof Jinja): void {
  const holder = jinja as unknown as Record<symbol, boolean>;
  if (holder[PATCHED]) return;
  holder[PATCHED] = true;
  const probe = new jinja.Environment().set('probe', 'x') as unknown as RuntimeValueLike;
  const StringValue = probe.constructor as StringValueCtor;
  const proto = Object.getPrototypeOf(probe) as object;
  const getter = Object.getOwnPropertyDescriptor(proto, 'builtins')?.get;
  const stripFn = (getter?.call(probe) as Map<string, RuntimeValueLike> | undefined)?.get('strip');
  if (getter && stripFn) {
    const FunctionValue = stripFn.constructor as FunctionValueCtor;
    const methods = { strip: 'both', lstrip: 'left', rstrip: 'right' } as const;
    Object.defineProperty(proto, 'builtins', {
      configurable: true,
      get(this: RuntimeValueLike) {
        const map = getter.call(this) as Map<string, RuntimeValueLike> & { [PATCHED]?: true };
        if (!map[PATCHED]) {
          for (const [name, side] of Object.entries(methods)) {
            map.set(name, new FunctionValue((args) => new StringValue(pyStrip(String(this.value), charsOf(args[0]), side))));
          }
          map[PATCHED] = true;
        }
        return map;
      },
    });
  }
  const interpreter = jinja.Interpreter.prototype as unknown as { applyFilter?: (operand: RuntimeValueLike, filter: { type: string; value?: unknown }, env: unknown) => unknown };
  const applyFilter = interpreter.applyFilter;
  if (typeof applyFilter === 'function') {
    interpreter.applyFilter = function (operand, filter, env) {
      if (filter.type === 'Identifier' && filter.value === 'trim' && operand.type === 'StringValue') {
        return new StringValue(pyStrip(String(operand.value), undefined, 'both'));
      }
      return applyFilter.call(this, operand, filter, env);
    };
  }
}

function charsOf(arg: RuntimeValueLike | undefined): string | null {
  return arg && arg.type === 'StringValue' ? String(arg.value) : null;
}
