// Counting a conversation from one rendering (src/core/tokens/singleRender.ts) gives exactly the counts of the
// prefix renderings it replaces: on every fixture conversation, and on seeded random long conversations
// (system prompts, tool calls and results, think blocks, weight 0, whitespace, Chinese), with Qwen3, Llama 3 and
// DeepSeek V3. The original Llama 3 template, which the prefix method can only estimate, keeps the prefix method.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, symlink, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { countSample, SINGLE_RENDER_FROM, type TokenCountModel } from '../../../src/core/tokens/count';
import { loadTokenizerFolder } from '../../../src/core/tokens/tokenizerFolder';
import { fixture, load, modelDir, readJson } from './helpers';
import { prng } from '../../fixtures/metrics/corpus.mjs';

interface Message { role: string; content: string; weight?: number; tool_calls?: unknown[]; reasoning_content?: string }
interface Conversation { messages: Message[]; tools?: unknown[] }
const conversations = readJson<Record<string, Conversation>>(fixture('conversations.json'));

const TEXTS = ['Rest and drink ginger tea.', '少侠,此乃风寒入体,每日两次温服。', '  padded  ', '\n\nafter newlines', 'trailing newline\n',
  '    def f():\n        return 1\n', 'a <b> & "quotes"', '你好', 'x', '¿Qué tal?  \t', 'emoji 🙂 and 中文 mixed'];
const TOOLS = [{ type: 'function', function: { name: 'lookup', description: 'Look up a herb.', parameters: { type: 'object', properties: { herb: { type: 'string' } } } } }];

/** A conversation of user/assistant turns, with tool rounds when `tools`; `think` puts think blocks in answers. */
function randomConversation(rand: () => number, tools: boolean, think: boolean): Conversation {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const messages: Message[] = [];
  if (rand() < 0.6) messages.push({ role: 'system', content: pick(TEXTS) });
  const turns = SINGLE_RENDER_FROM / 2 + Math.floor(rand() * 12);
  for (let t = 0; t < turns; t++) {
    messages.push({ role: 'user', content: pick(TEXTS) });
    if (tools && rand() < 0.3) {
      const calls = 1 + Math.floor(rand() * 2);
      messages.push({ role: 'assistant', content: rand() < 0.5 ? '' : pick(TEXTS), tool_calls: Array.from({ length: calls }, () => ({ type: 'function', function: { name: 'lookup', arguments: { herb: pick(TEXTS) } } })) });
      for (let c = 0; c < calls; c++) messages.push({ role: 'tool', content: pick(TEXTS) });
    }
    const answer: Message = { role: 'assistant', content: think && rand() < 0.5 ? `<think>\n${pick(TEXTS)}\n</think>\n\n${pick(TEXTS)}` : pick(TEXTS) };
    if (rand() < 0.15) answer.weight = 0;
    messages.push(answer);
  }
  return tools ? { messages, tools: TOOLS } : { messages };
}

async function llama3Instruct(): Promise<TokenCountModel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-llama3-'));
  await symlink(path.join(modelDir('llama3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  await copyFile(path.join(modelDir('llama3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  await copyFile(fixture('templates', 'llama3-instruct.jinja'), path.join(dir, 'chat_template.jinja'));
  return loadTokenizerFolder(dir);
}

/** Llama 3.1's way: the system message is taken out of `messages` before the loop (`set messages = messages[1:]`). */
const LLAMA31_STYLE = `{{- bos_token }}{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}{%- set messages = messages[1:] %}{%- else %}{%- set system_message = "" %}{%- endif %}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" + system_message + "<|eot_id|>" }}
{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}
{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}`;

async function llama31Style(): Promise<TokenCountModel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-llama31-'));
  await symlink(path.join(modelDir('llama3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  await copyFile(path.join(modelDir('llama3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  await writeFile(path.join(dir, 'chat_template.jinja'), LLAMA31_STYLE);
  return loadTokenizerFolder(dir);
}

/** A model folder with Qwen3's tokenizer and `template`. */
async function qwenWith(template: string): Promise<TokenCountModel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-qwen-'));
  await symlink(path.join(modelDir('qwen3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  await copyFile(path.join(modelDir('qwen3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  await writeFile(path.join(dir, 'chat_template.jinja'), template);
  return loadTokenizerFolder(dir);
}
const GEN = "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

/** The model, counting its plain renderings (the marked one is not counted). */
function counting(model: TokenCountModel): TokenCountModel & { renders: number } {
  const wrapped = { ...model, renders: 0, renderChat: (m: readonly unknown[], o: Parameters<TokenCountModel['renderChat']>[1]) => (wrapped.renders++, model.renderChat(m, o)) };
  return wrapped;
}

/**
 * Counts both ways and asserts equal counts, and how many plain renderings the one-rendering count took: 0 where the
 * marked one is known to be plain, 1 where it had to be compared; a fallback to prefixes would take more.
 */
function assertSame(model: TokenCountModel & { renders: number }, sample: Conversation, label: string, plainRenders = 0): void {
  const prefixes = countSample(model, sample, { singleRender: 'never' });
  model.renders = 0;
  const single = countSample(model, sample, { singleRender: 'always' });
  assert.equal(model.renders, plainRenders, `${label}: counted from the marked rendering`);
  assert.deepEqual(single, prefixes, label);
}

describe('one rendering gives the counts of the prefix renderings', () => {
  const models: [string, () => Promise<TokenCountModel>, { tools: boolean; think: boolean }][] = [
    ['qwen3', () => load('qwen3'), { tools: true, think: true }],
    ['llama3 instruct', llama3Instruct, { tools: false, think: false }],
    ['llama 3.1 style (system taken out of the messages)', llama31Style, { tools: false, think: false }],
    ['deepseek_v3', () => load('deepseek_v3'), { tools: false, think: false }],
  ];
  for (const [name, loadModel, shape] of models) {
    it(`${name}: every fixture conversation`, async () => {
      const model = counting(await loadModel());
      for (const [key, sample] of Object.entries(conversations)) {
        if (key === '//' || (sample.tools && !shape.tools)) continue;
        assertSame(model, sample, key);
      }
    });

    it(`${name}: 60 seeded random long conversations`, async () => {
      const model = counting(await loadModel());
      const rand = prng(20261207);
      for (let n = 0; n < 60; n++) assertSame(model, randomConversation(rand, shape.tools, shape.think), `conversation ${n}`);
    });
  }

  it('a template whose message loop runs in a macro is rendered a second time, plainly, to compare', async () => {
    const model = counting(await qwenWith(`{% macro turns() %}{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% endmacro %}{{ turns() }}${GEN}`));
    const rand = prng(11);
    for (let n = 0; n < 10; n++) assertSame(model, randomConversation(rand, false, false), `conversation ${n}`, 1);
  });

  it('a template that trims its loop’s output (so the marks would change it) is counted by prefixes, with the same counts', async () => {
    const model = counting(await qwenWith(`{% set out %}{% for m in messages %}{{ '\\n' }}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}{% endset %}{{ out | trim }}${GEN}`));
    const sample = randomConversation(prng(5), false, false);
    const prefixes = countSample(model, sample, { singleRender: 'never' });
    model.renders = 0;
    assert.deepEqual(countSample(model, sample, { singleRender: 'always' }), prefixes);
    assert.ok(model.renders > 1, 'fell back to the prefix renderings');
  });

  it('the product path takes one rendering for long conversations when the template passed its probe', async () => {
    const model = await load('qwen3');
    const wrapped = counting(model);
    const sample = randomConversation(prng(7), true, true);
    countSample(wrapped, sample); // the first call also runs the probe
    wrapped.renders = 0;
    const counted = countSample(wrapped, sample);
    assert.equal(wrapped.renders, 0, 'only the marked rendering');
    assert.deepEqual(counted, countSample(model, sample, { singleRender: 'never' }));
  });

  it('the original Llama 3 template (always appends the assistant header) keeps the prefix method', async () => {
    const model = await load('llama3');
    const sample = randomConversation(prng(3), false, false);
    const counted = countSample(model, sample);
    assert.equal(counted.approximate, true, 'earlier turns are estimated, as before');
    assert.deepEqual(counted, countSample(model, sample, { singleRender: 'never' }));
  });
});
