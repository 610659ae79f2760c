// dataset_info.json options that change what a valid sample is, in the shapes of LLaMA-Factory's own data/ demo
// sets: preference pairs (`ranking: true`, dpo_en_demo / orca_dpo_pairs), KTO labels (kto_en_demo) and pre-training
// text (c4_demo: `columns: {prompt: "text"}`). Each was checked against LLaMA-Factory's converter.py.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codesOf, lint, only } from './helpers';

const info = {
  dpo_en_demo: { file_name: 'dpo_en_demo.json', ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } },
  orca_pairs: { file_name: 'orca.jsonl', ranking: true, columns: { prompt: 'question', chosen: 'chosen', rejected: 'rejected', system: 'system' } },
  kto_en_demo: {
    file_name: 'kto_en_demo.json', formatting: 'sharegpt', columns: { messages: 'messages', kto_tag: 'label' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
  },
  c4_demo: { file_name: 'c4_demo.jsonl', columns: { prompt: 'text' } },
  openai_pairs: { file_name: 'pairs.jsonl', ranking: true, formatting: 'openai', columns: { messages: 'messages', chosen: 'chosen', rejected: 'rejected' } },
};
const as = (fileName: string) => ({ datasetInfo: info, fileName });
const line = (o: unknown) => JSON.stringify(o);

describe('preference data (ranking: true)', () => {
  const dpo = as('dpo_en_demo.json');
  const pair = (conversations: unknown[], chosen: unknown = { from: 'gpt', value: 'good' }, rejected: unknown = { from: 'gpt', value: 'bad' }) =>
    line({ conversations, chosen, rejected });

  it('a ShareGPT pair after a conversation that ends on the user is valid (it used to get FT022/FT023 on every sample)', () => {
    assert.deepEqual(codesOf(pair([{ from: 'human', value: 'q' }]), dpo), []);
    assert.deepEqual(codesOf(pair([{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }, { from: 'human', value: 'q2' }]), dpo), []);
    assert.equal(lint([pair([{ from: 'human', value: 'q' }])], dpo).format, 'sharegpt');
  });

  it('a conversation that ends with the answer is refused as LLaMA-Factory does, naming the columns', () => {
    const d = only(lint([pair([{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }])], dpo), 'FT023');
    assert.match(d.message, /must end on the user's side.*"chosen" and "rejected"/);
  });

  it('chosen/rejected: missing, not a message, or not the assistant\'s', () => {
    assert.deepEqual(codesOf(line({ conversations: [{ from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' } }), dpo), ['FT014']);
    assert.deepEqual(codesOf(pair([{ from: 'human', value: 'q' }], 'a string'), dpo), ['FT013']);
    const d = only(lint([pair([{ from: 'human', value: 'q' }], { from: 'human', value: 'a' })], dpo), 'FT023');
    assert.match(d.message, /"chosen" is a "human" message/);
  });

  it('Alpaca pairs: strings in the chosen and rejected columns, no output column needed', () => {
    const orca = as('orca.jsonl');
    assert.deepEqual(codesOf(line({ system: 's', question: 'q', chosen: 'good', rejected: 'bad' }), orca), []);
    assert.deepEqual(codesOf(line({ question: 'q', chosen: 'good', rejected: 7 }), orca), ['FT013']);
    assert.deepEqual(codesOf(line({ question: 'q', chosen: '', rejected: 'bad' }), orca), ['FT022']);
  });

  it('OpenAI messages with ranking: the prompt ends on the user, the answers are messages', () => {
    const openai = as('pairs.jsonl');
    const ok = line({ messages: [{ role: 'user', content: 'q' }], chosen: { role: 'assistant', content: 'a' }, rejected: { role: 'assistant', content: 'b' } });
    assert.deepEqual(codesOf(ok, openai), []);
  });

  it('two pairs are duplicates only when both answers are the same', () => {
    const a = pair([{ from: 'human', value: 'q' }], { from: 'gpt', value: 'good' }, { from: 'gpt', value: 'bad' });
    const b = pair([{ from: 'human', value: 'q' }], { from: 'gpt', value: 'good' }, { from: 'gpt', value: 'worse' });
    assert.ok(!lint([a, b], dpo).diagnostics.some((d) => d.code === 'FT040' || d.code === 'FT041'));
    assert.ok(lint([a, a], dpo).diagnostics.some((d) => d.code === 'FT040'));
  });
});

describe('KTO labels (kto_tag)', () => {
  const kto = as('kto_en_demo.json');
  it('a boolean label is valid; anything else is a wrong type LLaMA-Factory would silently read as plain SFT', () => {
    const sample = (label: unknown) => line({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], label });
    assert.deepEqual(codesOf(sample(true), kto), []);
    assert.deepEqual(codesOf(sample(false), kto), []);
    assert.match(only(lint([sample('yes')], kto), 'FT013').message, /"label".*boolean|"label".*布尔/);
  });
});

describe('pre-training text (columns: {prompt: "text"})', () => {
  const c4 = as('c4_demo.jsonl');
  it('the prompt column is the whole sample: no "missing output" on every line', () => {
    assert.deepEqual(codesOf(line({ text: 'Some web page text.' }), c4), []);
    assert.deepEqual(codesOf(line({ text: '   ' }), c4), ['FT021']);
    assert.deepEqual(codesOf(line({ body: 'x' }), c4), ['FT014', 'FT015']);
  });

  it('columns given: a column it does not name is not read (LLaMA-Factory sets it to None)', () => {
    const qa = { qa: { file_name: 'qa.jsonl', columns: { prompt: 'instruction', response: 'output' } } };
    assert.deepEqual(codesOf(line({ instruction: 'q', input: 'x', output: 'a' }), { datasetInfo: qa, fileName: 'qa.jsonl' }), ['FT015']);
  });
});

describe('media columns (images, videos, audios) against their tags (FT036)', () => {
  const mm = {
    mllm_demo: {
      file_name: 'mllm_demo.json', formatting: 'sharegpt', columns: { messages: 'messages', images: 'images' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    },
    alpaca_mm: { file_name: 'a.jsonl', columns: { prompt: 'instruction', response: 'output', videos: 'clips' } },
  };
  const opts = { datasetInfo: mm, fileName: 'mllm_demo.json' };
  const sample = (content: string, images: unknown) => line({ messages: [{ role: 'user', content }, { role: 'assistant', content: 'a' }], images });
  it('as many files as tags is valid (LLaMA-Factory\'s mllm_demo shape)', () => {
    assert.deepEqual(codesOf(sample('<image>Who are they?', ['mllm_demo_data/1.jpg']), opts), []);
    assert.deepEqual(codesOf(sample('<image><image>Compare', ['1.jpg', '2.jpg']), opts), []);
    assert.deepEqual(codesOf(sample('No picture here', undefined), opts), []);
  });
  it('a count that differs is the error LLaMA-Factory stops on, at the column', () => {
    const d = only(lint([sample('<image>Who?', ['1.jpg', '2.jpg'])], opts), 'FT036');
    assert.match(d.message, /1 <image> tag\(s\) in the text but 2 file\(s\) in "images"/);
    assert.deepEqual(codesOf(sample('<image>Who?', undefined), opts), ['FT036']);
    assert.deepEqual(codesOf(line({ instruction: '<video>What happens?', output: 'a', clips: 'v.mp4' }), { datasetInfo: mm, fileName: 'a.jsonl' }), []);
    assert.deepEqual(codesOf(line({ instruction: 'What happens?', output: 'a', clips: 'v.mp4' }), { datasetInfo: mm, fileName: 'a.jsonl' }), ['FT036']);
  });
});
