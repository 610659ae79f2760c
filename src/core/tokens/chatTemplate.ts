// Renders a model's chat template the way transformers' `apply_chat_template(..., tokenize=False)` does,
// with @huggingface/jinja (the Jinja dialect transformers.js uses; trim_blocks and lstrip_blocks on, as in transformers).
import type * as Jinja from '@huggingface/jinja';
import { pythonStringSemantics } from './pythonStrings';
import { hasMarkerChars, installTemplateRun, TemplateLimitError, limitsFor, readMarks, registerLoops, runLimited, type MarkedText } from './templateRun';

type JinjaTemplate = Jinja.Template;

/** The context transformers passes besides the messages: the tokenizer's special tokens (`special_tokens_map`). */
export type SpecialTokens = Record<string, string | string[]>;

export interface RenderOptions {
  /** OpenAI-style tool declarations, or null (transformers passes `tools=None` when there are none). */
  tools: unknown[] | null;
  addGenerationPrompt: boolean;
}

export interface ChatTemplate {
  /** Throws TemplateLimitError when the template runs away (see templateRun.ts), or the template's own error. */
  render(messages: readonly unknown[], options: RenderOptions): string;
  /**
   * The same rendering with where each message's turn starts (see templateRun.ts); undefined when the input holds
   * the marker characters or the template has no single loop over the messages.
   */
  renderMarked(messages: readonly unknown[], options: RenderOptions): MarkedText | undefined;
}

/** Names the runtime declares itself; declaring them again throws. */
const RUNTIME_GLOBALS = ['true', 'false', 'none', 'True', 'False', 'None', 'raise_exception', 'range', 'strftime_now', 'namespace'];

/**
 * Compiles the model's templates. `templates` maps names to sources; as in transformers, `tool_use` is chosen
 * when tools are given and the model has one, `default` otherwise. `file` names them in errors. Throws
 * TemplateLimitError when a template runs away even on an empty conversation.
 */
export function compileChatTemplate(
  jinja: typeof Jinja,
  templates: Record<string, string>,
  specialTokens: SpecialTokens,
  file = 'the chat template',
): ChatTemplate {
  pythonStringSemantics(jinja);
  installTemplateRun(jinja);
  const { Template } = jinja;
  const compiled = new Map(Object.entries(templates).map(([name, source]) => [name, prepare(new Template(source), file)]));
  const pick = (tools: unknown[] | null) => {
    const chosen = (tools !== null && compiled.get('tool_use')) || compiled.get('default');
    if (!chosen) throw new Error(`the model has several chat templates (${[...compiled.keys()].join(', ')}) and none is named "default"`);
    return chosen;
  };
  // A template stopped for running too long stops every later sample at once: it would only run as long again.
  let runaway: TemplateLimitError | undefined;
  const run = (messages: readonly unknown[], { tools, addGenerationPrompt }: RenderOptions, input: string, marks: boolean) => {
    if (runaway) throw runaway;
    const { template, declared } = pick(tools);
    const context = { ...declared, ...specialTokens, messages, tools, documents: null, add_generation_prompt: addGenerationPrompt };
    try {
      return runLimited(file, limitsFor(input.length), () => template.render(context), marks);
    } catch (err) {
      if (err instanceof TemplateLimitError && (err.kind === 'time' || err.kind === 'steps')) runaway = err;
      throw err;
    }
  };
  return {
    render(messages, options) {
      return run(messages, options, inputText(messages, options.tools), false);
    },
    renderMarked(messages, options) {
      const input = inputText(messages, options.tools);
      if (hasMarkerChars(input) || Object.values(specialTokens).some((t) => hasMarkerChars(String(t)))) return undefined;
      const marked = readMarks(run(messages, options, input, true), messages.length);
      return marked && { ...marked, plain: !pick(options.tools).loopOutputCaptured };
    },
  };
}

/** The input's size decides the limits; JSON is a fair measure of what a template may echo. */
function inputText(messages: readonly unknown[], tools: unknown[] | null): string {
  try {
    return JSON.stringify([messages, tools]) ?? '';
  } catch {
    return '';
  }
}

/**
 * Every name the template reads is declared up front, as undefined unless the caller provides it.
 * Rendering is the same (an undeclared name also reads as undefined), but much faster: @huggingface/jinja finds
 * an undeclared name by throwing and catching an Error, and templates test several (`tools`, `enable_thinking`...)
 * for every sample.
 */
function prepare(template: JinjaTemplate, file: string): { template: JinjaTemplate; declared: Record<string, undefined>; loopOutputCaptured: boolean } {
  const names = new Set<string>();
  collectIdentifiers(template.parsed, names, 0);
  const { loopOutputCaptured } = registerLoops(template.parsed);
  for (const name of RUNTIME_GLOBALS) names.delete(name);
  // A newer @huggingface/jinja may declare more globals: drop any name it refuses to have declared twice.
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const context = { ...undefinedFor(names), messages: [], tools: null, documents: null, add_generation_prompt: false };
      runLimited(file, limitsFor(0), () => template.render(context));
      break;
    } catch (err) {
      if (err instanceof TemplateLimitError) throw err;
      const clash = /Variable already declared: (\S+)/.exec(err instanceof Error ? err.message : '');
      if (!clash?.[1] || !names.delete(clash[1])) break; // any other error is the template's own business
    }
  }
  return { template, declared: undefinedFor(names), loopOutputCaptured };
}

function undefinedFor(names: Iterable<string>): Record<string, undefined> {
  const declared: Record<string, undefined> = {};
  for (const name of names) declared[name] = undefined;
  return declared;
}

function collectIdentifiers(node: unknown, into: Set<string>, depth: number): void {
  if (depth > 200 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const child of node) collectIdentifiers(child, into, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  if (record['type'] === 'Identifier' && typeof record['value'] === 'string') into.add(record['value']);
  for (const key of Object.keys(record)) {
    if (key !== 'type') collectIdentifiers(record[key], into, depth + 1);
  }
}
