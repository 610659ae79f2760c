// Per-sample counts: totals equal the encoded rendering, and trained tokens equal the assistant spans found
// independently in the token ids (from after the assistant header through the end-of-turn token and what follows it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, symlink, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { countLine, countSample, SampleError, type TokenCountModel } from '../../../src/core/tokens/count';
import { loadTokenizerFolder } from '../../../src/core/tokens/tokenizerFolder';
import type { PrefixCounts } from '../../../src/core/tokens/prefixCounts';
import { fixture, load, modelDir, readJson, type LenmlModel } from './helpers';

interface Conversation { messages: { role: string; content?: string; weight?: number }[]; tools?: unknown[] }
const conversations = readJson<Record<string, Conversation>>(fixture('conversations.json'));

const rawTokenizers = new Map<LenmlModel, Tokenizer>();
function ids(model: LenmlModel, text: string): number[] {
  if (!rawTokenizers.has(model)) {
    const dir = modelDir(model);
    rawTokenizers.set(model, new Tokenizer(readJson(`${dir}/tokenizer.json`), readJson(`${dir}/tokenizer_config.json`)));
  }
  return rawTokenizers.get(model)!.encode(text, { add_special_tokens: false }).ids;
}

/** Token spans that start right after `header` and end right after `close` (+ `after` tokens), found in the ids. */
function spans(all: number[], header: number[], close: number, after: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + header.length <= all.length; i++) {
    if (header.every((t, k) => all[i + k] === t)) {
      const start = i + header.length;
      const end = all.indexOf(close, start) + 1 + after;
      out.push([start, end]);
    }
  }
  return out;
}

const QWEN_ASSISTANT = [151644, 77091, 198]; // <|im_start|> assistant \n
const QWEN_END = 151645; // <|im_end|>, followed by "\n"

describe('chat samples with Qwen3', () => {
  it('system + user + assistant: total = the encoded rendering; trained = the assistant span with <|im_end|> and its newline', async () => {
    const model = await load('qwen3');
    const sample = conversations['system-user-assistant']!;
    const all = ids('qwen3', model.renderChat(sample.messages, { tools: null, addGenerationPrompt: false }));
    const [[start, end]] = spans(all, QWEN_ASSISTANT, QWEN_END, 1) as [[number, number]];
    assert.equal(end, all.length);
    assert.deepEqual(all.slice(start, start + 4), [151667, 271, 151668, 271], 'the empty <think>\\n\\n</think>\\n\\n block is in the trained span');
    assert.deepEqual(countSample(model, sample), { tokens: all.length, trainTokens: end - start });
  });

  for (const name of ['multi-turn', 'think-blocks', 'tool-calls', 'parallel-tool-calls', 'whitespace', 'indented-code', 'reasoning-content', 'special-characters']) {
    it(`${name}: trained tokens are the sum of the assistant spans of the full rendering`, async () => {
      const model = await load('qwen3');
      const sample = conversations[name]!;
      const all = ids('qwen3', model.renderChat(sample.messages, { tools: sample.tools ?? null, addGenerationPrompt: false }));
      const expected = spans(all, QWEN_ASSISTANT, QWEN_END, 1).reduce((n, [s, e]) => n + e - s, 0);
      const counted = countSample(model, sample);
      assert.deepEqual(counted, { tokens: all.length, trainTokens: expected });
    });
  }

  it('earlier turns lose their <think> block in the full rendering, and are counted without it', async () => {
    const model = await load('qwen3');
    const sample = conversations['think-blocks']!;
    const full = model.renderChat(sample.messages, { tools: null, addGenerationPrompt: false });
    assert.ok(!full.includes('Simple arithmetic'), 'Qwen3 strips the first turn’s reasoning');
    assert.ok(full.includes('Again simple'));
    const firstTurn = ids('qwen3', 'It is 4.<|im_end|>\n').length;
    const lastTurn = ids('qwen3', '<think>\nAgain simple.\n</think>\n\nIt is 6.<|im_end|>\n').length;
    assert.equal(countSample(model, sample).trainTokens, firstTurn + lastTurn);
  });

  it('weight 0 leaves an assistant turn out of the trained tokens', async () => {
    const model = await load('qwen3');
    const sample = conversations['weight-zero']!;
    const all = ids('qwen3', model.renderChat(sample.messages, { tools: null, addGenerationPrompt: false }));
    const [, last] = spans(all, QWEN_ASSISTANT, QWEN_END, 1) as [[number, number], [number, number]];
    assert.deepEqual(countSample(model, sample), { tokens: all.length, trainTokens: last[1] - last[0] });
    const weighted = { messages: sample.messages.map((m) => (m.role === 'assistant' ? { ...m, weight: 0 } : m)) };
    assert.equal(countSample(model, weighted).trainTokens, 0);
  });

  it('tools change the rendering (the tool block in the system turn) and so the total', async () => {
    const model = await load('qwen3');
    const sample = conversations['tool-calls']!;
    assert.ok(countSample(model, sample).tokens > countSample(model, { messages: sample.messages }).tokens + 50);
  });
});

describe('chat samples with Llama 3 and DeepSeek V3', () => {
  it('Llama 3 (the instruct template in chat_template.jinja): spans from after the assistant header through <|eot_id|>', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ft-llama3-'));
    await symlink(path.join(modelDir('llama3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    await copyFile(path.join(modelDir('llama3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
    await copyFile(fixture('templates', 'llama3-instruct.jinja'), path.join(dir, 'chat_template.jinja'));
    const model = await loadTokenizerFolder(dir);
    const header = [128006, 78191, 128007, 271]; // <|start_header_id|> assistant <|end_header_id|> \n\n
    for (const name of ['system-user-assistant', 'multi-turn', 'weight-zero', 'chinese-user-assistant']) {
      const sample = conversations[name]!;
      const all = ids('llama3', model.renderChat(sample.messages, { tools: null, addGenerationPrompt: false }));
      assert.equal(all[0], 128000, 'the template writes BOS');
      let found = spans(all, header, 128009, 0);
      if (name === 'weight-zero') found = found.slice(1);
      assert.deepEqual(countSample(model, sample), { tokens: all.length, trainTokens: found.reduce((n, [s, e]) => n + e - s, 0) }, name);
    }
  });

  it('the original Llama 3 template (always appends the assistant header) puts it in the last turn and estimates earlier ones', async () => {
    const model = await load('llama3');
    const one = countSample(model, conversations['system-user-assistant']!);
    assert.equal(one.approximate, undefined);
    const headerTokens = 4;
    const content = ids('llama3', 'Young hero, sit down. Cold has entered your body; drink ginger soup twice a day.<|eot_id|>').length;
    assert.equal(one.trainTokens, content + headerTokens);
    assert.equal(countSample(model, conversations['multi-turn']!).approximate, true);
  });

  it('DeepSeek V3: spans after <｜Assistant｜> through <｜end▁of▁sentence｜>', async () => {
    const model = await load('deepseek_v3');
    const assistant = ids('deepseek_v3', '<｜Assistant｜>');
    const eos = ids('deepseek_v3', '<｜end▁of▁sentence｜>');
    assert.equal(assistant.length, 1);
    for (const name of ['system-user-assistant', 'multi-turn', 'chinese-user-assistant']) {
      const sample = conversations[name]!;
      const all = ids('deepseek_v3', model.renderChat(sample.messages, { tools: null, addGenerationPrompt: false }));
      const expected = spans(all, assistant, eos[0]!, 0).reduce((n, [s, e]) => n + e - s, 0);
      assert.deepEqual(countSample(model, sample), { tokens: all.length, trainTokens: expected }, name);
    }
  });
});

describe('prompt/completion and text samples (as TRL tokenizes them)', () => {
  it('Qwen3: EOS appended, no BOS; trained = the completion and its EOS', async () => {
    const model = await load('qwen3');
    assert.deepEqual(countSample(model, { text: 'Hello world' }), { tokens: 3, trainTokens: 3 }, 'Hello, world, <|im_end|>');
    assert.deepEqual(countSample(model, { text: 'Hello world<|im_end|>' }), { tokens: 3, trainTokens: 3 }, 'no second EOS');
    assert.deepEqual(countSample(model, { prompt: '问:人参的禁忌?', completion: '答:实证、热证忌服。' }), {
      tokens: ids('qwen3', '问:人参的禁忌?答:实证、热证忌服。<|im_end|>').length,
      trainTokens: ids('qwen3', '问:人参的禁忌?答:实证、热证忌服。<|im_end|>').length - ids('qwen3', '问:人参的禁忌?').length,
    });
  });

  it('DeepSeek V3 (LlamaTokenizerFast, add_bos_token): BOS added as transformers does', async () => {
    const model = await load('deepseek_v3');
    const body = ids('deepseek_v3', 'Hello world<｜end▁of▁sentence｜>').length;
    assert.deepEqual(countSample(model, { text: 'Hello world' }), { tokens: body + 1, trainTokens: body + 1 });
  });

  it('conversational prompt/completion trains what follows the prompt’s generation prompt', async () => {
    const model = await load('qwen3');
    const [system, user, assistant] = conversations['system-user-assistant']!.messages;
    const asMessages = countSample(model, { messages: [system, user, assistant] });
    assert.deepEqual(countSample(model, { prompt: [system, user], completion: [assistant] }), asMessages);
  });
});

describe('ShareGPT and Alpaca samples', () => {
  it('count as the OpenAI messages the dataset converter writes for them', async () => {
    const model = await load('qwen3');
    const openai = countSample(model, {
      messages: [{ role: 'system', content: '你是江湖医生。' }, { role: 'user', content: '人参有什么禁忌?' }, { role: 'assistant', content: '实证、热证忌服。' }],
    });
    assert.deepEqual(countSample(model, { system: '你是江湖医生。', conversations: [{ from: 'human', value: '人参有什么禁忌?' }, { from: 'gpt', value: '实证、热证忌服。' }] }), openai);
    const alpaca = countSample(model, { instruction: 'Translate', input: 'hello', output: '你好' });
    assert.deepEqual(alpaca, countSample(model, { messages: [{ role: 'user', content: 'Translate\nhello' }, { role: 'assistant', content: '你好' }] }));
  });
});

describe('samples that cannot be counted', () => {
  it('says why: not JSON, not an object, nothing to count, not convertible, a template error', async () => {
    const model = await load('qwen3');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        assert.ok(err instanceof SampleError);
        return err.code;
      }
      return 'counted';
    };
    assert.equal(code(() => countLine(model, '{"messages": [')), 'parse');
    assert.equal(code(() => countLine(model, JSON.stringify({ text: 'x'.repeat(4_000_001) }))), 'size');
    assert.equal(code(() => countLine(model, '\ufeff{"text": "BOM first line"}')), 'counted');
    assert.equal(code(() => countSample(model, [1, 2])), 'format');
    assert.equal(code(() => countSample(model, { foo: 1 })), 'format');
    assert.equal(code(() => countSample(model, { conversations: [{ from: 'robot', value: 'hi' }] })), 'format');
    assert.throws(() => countSample(model, { conversations: [{ from: 'robot', value: 'hi' }] }), /cannot convert to OpenAI messages: turn 1/);
    assert.equal(code(() => countSample(model, { prompt: 'a', completion: ['b'] })), 'format');
    // Strings are no content parts: refused before the template sees them, as the linter refuses them (FT010).
    assert.equal(code(() => countSample(model, { messages: [{ role: 'user', content: ['not', 'a', 'string'] }] })), 'format');
  });
});

describe('trained-token spans with a fake model', () => {
  /** Renders "[role:content]" per message, "<gen>" as generation prompt; counts characters. */
  function fake(render: (messages: { role: string; content: string }[], gen: boolean) => string): TokenCountModel {
    const counts = (text: string): PrefixCounts => ({ total: text.length, upTo: (end) => Math.min(end, text.length) });
    return {
      renderChat: (messages, { addGenerationPrompt }) => render(messages as { role: string; content: string }[], addGenerationPrompt),
      chatCounts: counts,
      countPlain: (t) => t.length,
      eosToken: undefined,
    };
  }
  const plain = (ms: { role: string; content: string }[], gen: boolean) => ms.map((m) => `[${m.role}:${m.content}]`).join('') + (gen ? '<gen>' : '');

  it('a prefix-preserving template: each assistant span is what follows the generation prompt', () => {
    const model = fake((ms, gen) => plain(ms, gen).replaceAll('[assistant:', '<gen>'));
    const sample = { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'bb' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'ddd' }] };
    // [user:a]<gen>bb]  [user:c]<gen>ddd]  → trained "bb]" + "ddd]"
    assert.deepEqual(countSample(model, sample), { tokens: 33, trainTokens: 7 });
  });

  it('a template that rewrites earlier turns once more messages follow (like Qwen3) is measured from the next anchor', () => {
    // The last assistant turn gets a "*" marker; earlier ones do not.
    const model = fake((ms, gen) =>
      ms.map((m, i) => (m.role === 'assistant' ? `<gen>${i === ms.length - 1 ? '*' : ''}${m.content}]` : `[${m.role}:${m.content}]`)).join('') + (gen ? '<gen>' : ''),
    );
    const sample = { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'bb' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'ddd' }] };
    assert.deepEqual(countSample(model, sample), { tokens: 34, trainTokens: 3 + 5 });
  });

  it('when no prefix lines up, the turn is estimated and the sample marked approximate', () => {
    let n = 0;
    const model = fake((ms, gen) => `${n++}` + plain(ms, gen)); // every rendering differs from every other
    const counted = countSample(model, { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] });
    assert.equal(counted.approximate, true);
  });
});
