// Runs a chat template under limits, and optionally marks where each message's turn starts in the output.
//
// Limits: a chat template comes from a model folder and is code. @huggingface/jinja renders synchronously with no
// bound, so `{% for i in range(10**9) %}` or a string doubled in a loop would freeze the thread or exhaust memory.
// The interpreter is wrapped (its prototype, once per process, as pythonStrings.ts does) so that, while a render
// started here runs, every evaluation counts a step and checks the clock now and then, every produced string or
// list is checked against a size cap that grows with the input, nesting is capped (a macro that calls itself), and
// numbers passed to a function or filter (range(n), indent(n)...) may not exceed the size cap. Any breach throws
// TemplateLimitError, which names the template file. Renders not started here (none in this code base) are unchanged.
//
// Marks: while a marked render runs, the output of each iteration of a `{% for x in ... %}` loop whose item is one
// of the rendered messages is preceded by an invisible marker "\uFDD0<loop>:<message>\uFDD1" (noncharacters, which
// the caller checks are absent from the input). The markers are removed afterwards and their offsets kept: the
// offsets of the main loop (the loop that marks the most messages, in order) are where each message's turn starts.
// Markers only ever precede loop output, so where no loop output is captured as a value (registerLoops) the
// unmarked text is the plain rendering; elsewhere the caller compares it with a plain render, so a template that
// inspects its own loop output is detected instead of miscounted.
import type * as Jinja from '@huggingface/jinja';
import type { MessageKey } from './messages';
import { message } from './messages';

export type LimitKind = 'time' | 'steps' | 'size' | 'depth';

export class TemplateLimitError extends Error {
  readonly key: MessageKey;
  constructor(readonly kind: LimitKind, readonly params: Record<string, string>) {
    const key: MessageKey = `template.${kind}`;
    super(message('en', key, params));
    this.key = key;
    this.name = 'TemplateLimitError';
  }
}

/** The limits of one render; see `limitsFor`. */
export interface RenderLimits {
  maxSteps: number;
  maxMillis: number;
  /** Longest string and longest list any expression may produce, and largest number passed to a call. */
  maxSize: number;
  maxDepth: number;
}

/**
 * Generous for real templates (Qwen3 renders a 10,000-message conversation of 840k characters in under a second,
 * to about as many characters), tight enough that a runaway template stops within seconds and a few hundred MB. The library takes about 10 µs per loop iteration, so time, not steps, is usually
 * what stops a long loop.
 */
export function limitsFor(inputChars: number): RenderLimits {
  return {
    maxSteps: 2_000_000 + 200 * inputChars,
    maxMillis: 2_000 + Math.ceil(inputChars / 100),
    maxSize: 1_000_000 + 16 * inputChars,
    maxDepth: 600,
  };
}

interface Run {
  limits: RenderLimits;
  file: string;
  steps: number;
  depth: number;
  deadline: number;
  marks?: MarkState;
}

interface MarkState {
  /** Message index of each message's runtime object, from the root environment as the render starts. */
  index?: Map<unknown, number>;
}

interface RuntimeValue {
  type: string;
  value: unknown;
}
interface Env {
  parent?: Env;
  variables: Map<string, RuntimeValue>;
}
interface Node {
  type: string;
  [key: string]: unknown;
}

let active: Run | undefined;
/** For-loop bodies (the statement arrays) → [loop id, loop variable name]. */
const loopBodies = new WeakMap<object, [number, string]>();
let nextLoopId = 0;

const INSTALLED = Symbol.for('finetune-studio.templateRun');

/** Wraps the interpreter once per process. */
export function installTemplateRun(jinja: typeof Jinja): void {
  const holder = jinja as unknown as Record<symbol, boolean>;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  type Proto = {
    evaluate(node: Node, env: Env): RuntimeValue;
    evaluateBlock(statements: Node[], env: Env): RuntimeValue;
    evaluateArguments(args: Node[], env: Env): [RuntimeValue[], Map<string, RuntimeValue>];
  };
  const proto = jinja.Interpreter.prototype as unknown as Proto;
  const { evaluate, evaluateBlock, evaluateArguments } = proto;
  proto.evaluate = function (node, env) {
    const run = active;
    if (!run) return evaluate.call(this, node, env);
    // The first evaluation is the program's, before any `{% set messages = messages[1:] %}`: index the originals.
    if (run.marks && !run.marks.index) run.marks.index = indexMessages(env);
    step(run);
    if (run.depth >= run.limits.maxDepth) throw breach(run, 'depth');
    run.depth++;
    let result: RuntimeValue;
    try {
      result = evaluate.call(this, node, env);
    } finally {
      run.depth--;
    }
    checkSize(run, result);
    return result;
  };
  proto.evaluateBlock = function (statements, env) {
    const run = active;
    if (!run) return evaluateBlock.call(this, statements, env);
    step(run);
    const result = evaluateBlock.call(this, statements, env);
    checkSize(run, result);
    if (run.marks && typeof result.value === 'string' && result.value.length > 0) {
      const loop = loopBodies.get(statements);
      const item = loop ? env.variables.get(loop[1]) : undefined;
      const k = item ? run.marks.index?.get(item) : undefined;
      if (k !== undefined) result.value = `\uFDD0${loop![0]}:${k}\uFDD1${result.value}`;
    }
    return result;
  };
  proto.evaluateArguments = function (args, env) {
    const evaluated = evaluateArguments.call(this, args, env);
    const run = active;
    if (run) {
      for (const value of [...evaluated[0], ...evaluated[1].values()]) {
        if ((value.type === 'IntegerValue' || value.type === 'FloatValue') && Math.abs(value.value as number) > run.limits.maxSize) {
          throw breach(run, 'size');
        }
      }
    }
    return evaluated;
  };
}

/**
 * Notes the for-loops of a parsed template, so marked renders can find their bodies. Returns whether a loop's output
 * could be read back by the template: a loop inside a macro, a call block, a filter block or a `{% set x %}` block,
 * whose text the template may trim or test. Otherwise every loop's output goes straight into the rendering, so a
 * marked render without its markers is the plain render, and the caller need not render twice.
 */
export function registerLoops(parsed: unknown): { loopOutputCaptured: boolean } {
  let captured = false;
  walk(parsed, 0, false);
  return { loopOutputCaptured: captured };

  function walk(node: unknown, depth: number, inCapture: boolean): void {
    if (typeof node !== 'object' || node === null) return;
    if (depth > 200) {
      captured = true; // not looked at: assume the worst
      return;
    }
    if (Array.isArray(node)) {
      for (const child of node) walk(child, depth + 1, inCapture);
      return;
    }
    const record = node as Node;
    const loopvar = record['loopvar'] as Node | undefined;
    if (record.type === 'For') {
      if (inCapture) captured = true;
      if (Array.isArray(record['body']) && loopvar?.type === 'Identifier' && !loopBodies.has(record['body'])) {
        loopBodies.set(record['body'], [nextLoopId++, String(loopvar['value'])]);
      }
    }
    const captures = CAPTURING.has(record.type) && !(record.type === 'Set' && !(Array.isArray(record['body']) && record['body'].length > 0));
    for (const key of Object.keys(record)) if (key !== 'type') walk(record[key], depth + 1, inCapture || captures);
  }
}

/** Statements whose body's text becomes a value rather than output (`Set` only in its block form). */
const CAPTURING = new Set(['Macro', 'CallStatement', 'FilterStatement', 'Set']);

/** Runs `render` under `limits`; `file` names the template in errors. */
export function runLimited<T>(file: string, limits: RenderLimits, render: () => T, marks = false): T {
  if (active) return render(); // not re-entrant: a nested render runs under the outer one's limits
  active = { limits, file, steps: 0, depth: 0, deadline: Date.now() + limits.maxMillis, marks: marks ? {} : undefined };
  try {
    return render();
  } catch (err) {
    // The JavaScript engine's own limits, hit before ours (deep recursion inside a filter, a huge join).
    if (err instanceof RangeError) throw breach(active, /call stack/i.test(err.message) ? 'depth' : 'size');
    throw err;
  } finally {
    active = undefined;
  }
}

export interface MarkedText {
  /** The rendering with the markers removed. */
  text: string;
  /** True when `text` is known to be the plain rendering (see registerLoops); else the caller compares. */
  plain?: boolean;
  /** Per message, where its turn starts in `text` (the main loop's iteration), or undefined if it has none. */
  starts: (number | undefined)[];
}

const OPEN = '\uFDD0';
const CLOSE = '\uFDD1';

/** True when `text` holds a marker character, so a marked render of it could not be read back. */
export function hasMarkerChars(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}

/** Removes the markers of a marked render; undefined when no single main loop can be told apart. */
export function readMarks(marked: string, messageCount: number): MarkedText | undefined {
  const parts: string[] = [];
  const byLoop = new Map<number, [number, number][]>();
  let length = 0;
  let from = 0;
  for (let open = marked.indexOf(OPEN); open !== -1; open = marked.indexOf(OPEN, from)) {
    const close = marked.indexOf(CLOSE, open);
    const mark = /^(\d+):(\d+)$/.exec(marked.slice(open + 1, close));
    if (close === -1 || !mark) return undefined;
    parts.push(marked.slice(from, open));
    length += open - from;
    const loop = Number(mark[1]);
    if (!byLoop.has(loop)) byLoop.set(loop, []);
    byLoop.get(loop)!.push([Number(mark[2]), length]);
    from = close + 1;
  }
  parts.push(marked.slice(from));
  const loops = [...byLoop.values()].sort((a, b) => b.length - a.length);
  const main = loops[0];
  if (!main || (loops[1] && loops[1].length === main.length)) return undefined;
  const starts: (number | undefined)[] = new Array<number | undefined>(messageCount).fill(undefined);
  let previous = -1;
  for (const [k, at] of main) {
    if (k <= previous || k >= messageCount) return undefined; // each message once, in order
    starts[k] = at;
    previous = k;
  }
  return { text: parts.join(''), starts };
}

function step(run: Run): void {
  run.steps++;
  if (run.steps > run.limits.maxSteps) throw breach(run, 'steps');
  if ((run.steps & 0x3ff) === 0 && Date.now() > run.deadline) throw breach(run, 'time');
}

function checkSize(run: Run, result: RuntimeValue): void {
  const value = result?.value;
  if ((typeof value === 'string' || Array.isArray(value)) && value.length > run.limits.maxSize) throw breach(run, 'size');
}

function breach(run: Run, kind: LimitKind): TemplateLimitError {
  const { limits } = run;
  const limit = {
    time: `${limits.maxMillis / 1000} s`,
    steps: limits.maxSteps.toLocaleString('en-US'),
    size: limits.maxSize.toLocaleString('en-US'),
    depth: String(limits.maxDepth),
  }[kind];
  return new TemplateLimitError(kind, { file: run.file, limit });
}

function indexMessages(env: Env): Map<unknown, number> {
  let root = env;
  while (root.parent) root = root.parent;
  const messages = root.variables.get('messages');
  return new Map(Array.isArray(messages?.value) ? (messages.value as unknown[]).map((m, k) => [m, k]) : []);
}
