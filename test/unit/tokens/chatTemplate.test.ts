// Chat templates render exactly as transformers' apply_chat_template(tokenize=False): compared with Python Jinja2's
// renderings (renders.json, written by test/fixtures/tokens/make-renders.py) and with hand-written strings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as jinja from '@huggingface/jinja';
import { compileChatTemplate, type ChatTemplate } from '../../../src/core/tokens/chatTemplate';
import { fixture, modelDir, readJson } from './helpers';

type Rendered = string | { error: string };
interface Conversation { messages: unknown[]; tools?: unknown[] }

const conversations = Object.entries(readJson<Record<string, Conversation>>(fixture('conversations.json'))).filter(([k]) => !k.startsWith('//'));
const reference = readJson<Record<string, Record<string, { full: Rendered; prefixes: [Rendered, Rendered][] }>>>(fixture('renders.json'));

function configOf(model: string): Record<string, unknown> {
  return readJson(`${modelDir(model === 'llama3-instruct' ? 'llama3' : (model as 'qwen3'))}/tokenizer_config.json`);
}

function templateOf(model: string): ChatTemplate {
  const config = configOf(model);
  const source = model === 'llama3-instruct' ? readFileSync(fixture('templates', 'llama3-instruct.jinja'), 'utf8') : String(config['chat_template']);
  const tokens: Record<string, string | string[]> = {};
  for (const key of ['bos_token', 'eos_token', 'pad_token']) {
    const v = config[key];
    const content = typeof v === 'string' ? v : (v as { content?: string } | null)?.content;
    if (content) tokens[key] = content;
  }
  if (Array.isArray(config['additional_special_tokens'])) tokens['additional_special_tokens'] = config['additional_special_tokens'] as string[];
  return compileChatTemplate(jinja, { default: source }, tokens);
}

function tryRender(template: ChatTemplate, messages: unknown[], tools: unknown[] | null, gen: boolean): Rendered {
  try {
    return template.render(messages, { tools, addGenerationPrompt: gen });
  } catch (err) {
    return { error: String(err) };
  }
}

/**
 * Equal renderings, or an error on both sides. One known difference: Jinja2 raises UndefinedError on an attribute of
 * an undefined value (Qwen3's `messages[0].role` with no messages), where @huggingface/jinja reads undefined; such
 * cases are collected in `lenient` and the test pins which they are.
 */
function same(actual: Rendered, expected: Rendered, what: string, lenient: string[]): void {
  if (typeof expected === 'string') assert.equal(actual, expected, what);
  else if (typeof actual === 'string' && expected.error.startsWith('UndefinedError')) lenient.push(what);
  else assert.equal(typeof actual, 'object', `${what}: Jinja2 fails (${expected.error}), so must we, but we rendered ${JSON.stringify(actual)}`);
}

describe('chat templates against Python Jinja2', () => {
  for (const model of ['qwen3', 'llama3', 'llama3-instruct', 'deepseek_v3']) {
    it(`${model}: every conversation and every prefix, with and without the generation prompt`, () => {
      const template = templateOf(model);
      const lenient: string[] = [];
      let compared = 0;
      for (const [name, conv] of conversations) {
        const expected = reference[model]![name]!;
        const tools = conv.tools ?? null;
        same(tryRender(template, conv.messages, tools, false), expected.full, `${model}/${name}`, lenient);
        expected.prefixes.forEach(([without, withPrompt], k) => {
          same(tryRender(template, conv.messages.slice(0, k), tools, false), without, `${model}/${name}[:${k}]`, lenient);
          same(tryRender(template, conv.messages.slice(0, k), tools, true), withPrompt, `${model}/${name}[:${k}] + generation prompt`, lenient);
          compared += 2;
        });
      }
      assert.ok(compared > 60);
      // Only the empty conversation, which Qwen3's template indexes unguarded.
      assert.deepEqual(lenient.filter((w) => !w.includes('[:0]')), []);
      assert.equal(lenient.length, model === 'qwen3' ? 2 * conversations.length : 0);
    });
  }
});

describe('chat templates by hand', () => {
  const messages = [
    { role: 'system', content: 'You are a doctor.' },
    { role: 'user', content: 'Hello!' },
    { role: 'assistant', content: 'Hi there.' },
  ];

  it('Qwen3: system + user + assistant, with the empty think block on the last turn', () => {
    assert.equal(
      templateOf('qwen3').render(messages, { tools: null, addGenerationPrompt: false }),
      '<|im_start|>system\nYou are a doctor.<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n' +
        '<|im_start|>assistant\n<think>\n\n</think>\n\nHi there.<|im_end|>\n',
    );
    assert.equal(
      templateOf('qwen3').render(messages.slice(0, 2), { tools: null, addGenerationPrompt: true }),
      '<|im_start|>system\nYou are a doctor.<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('Llama 3: system + user + assistant, BOS from the template, and the generation prompt only when asked', () => {
    const llama = templateOf('llama3-instruct');
    const expected =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a doctor.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nHi there.<|eot_id|>';
    assert.equal(llama.render(messages, { tools: null, addGenerationPrompt: false }), expected);
    assert.equal(llama.render(messages, { tools: null, addGenerationPrompt: true }), expected + '<|start_header_id|>assistant<|end_header_id|>\n\n');
  });

  it('picks tool_use when tools are given and the model has it, default otherwise', () => {
    const t = compileChatTemplate(jinja, { default: 'D{{ messages|length }}', tool_use: 'T{{ tools|length }}' }, {});
    assert.equal(t.render([{ role: 'user', content: 'x' }], { tools: null, addGenerationPrompt: false }), 'D1');
    assert.equal(t.render([], { tools: [{}, {}], addGenerationPrompt: false }), 'T2');
    const onlyNamed = compileChatTemplate(jinja, { rag: 'R' }, {});
    assert.throws(() => onlyNamed.render([], { tools: null, addGenerationPrompt: false }), /none is named "default"/);
  });

  it('declaring the names a template reads keeps `is defined`, set-in-loop scoping and special tokens as Jinja has them', () => {
    const t = compileChatTemplate(
      jinja,
      {
        default:
          '{% if enable_thinking is defined %}E{% endif %}{% if tools is none %}N{% endif %}{% if bos_token is defined %}B{% endif %}' +
          '{% for m in messages %}{% set last = m.role %}{% endfor %}[{{ last is defined }}]{{ eos_token }}{{ raise_exception is defined }}',
      },
      { eos_token: '</s>' },
    );
    assert.equal(t.render([{ role: 'user', content: 'x' }], { tools: null, addGenerationPrompt: false }), 'N[false]</s>true');
  });

  it('raise_exception in a template becomes an error', () => {
    const t = compileChatTemplate(jinja, { default: "{{ raise_exception('roles must alternate') }}" }, {});
    assert.throws(() => t.render([], { tools: null, addGenerationPrompt: false }), /roles must alternate/);
  });
});

describe('Python string stripping', () => {
  it('strips the given characters, or Python whitespace, by code point', async () => {
    const { pyStrip } = await import('../../../src/core/tokens/pythonStrings');
    assert.equal(pyStrip('\n\n  indented\n', '\n', 'left'), '  indented\n');
    assert.equal(pyStrip('xxhixyx', 'xy', 'both'), 'hi');
    assert.equal(pyStrip('\ufeff a \u0085', null, 'both'), '\ufeff a', 'BOM is not whitespace in Python, NEL is');
    assert.equal(pyStrip('😀a😀', '😀', 'right'), '😀a');
    assert.equal(pyStrip('   ', undefined, 'both'), '');
  });
});
