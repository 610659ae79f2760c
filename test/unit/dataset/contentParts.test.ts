// Content as parts (OpenAI `content: [{type: "text", text}, {type: "image_url", ...}]`): valid in every message; a part
// shape nobody here knows gets one "unknown format" finding for the sample; the converter and the token counter take
// the text as the trainer does. Fixture: test/fixtures/datasets/content-parts.jsonl.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { convertToOpenAI } from '../../../src/core/dataset/formats/convert';
import { countSample, SampleError, type TokenCountModel } from '../../../src/core/tokens/count';
import type { PrefixCounts } from '../../../src/core/tokens/prefixCounts';
import { chat, codes, codesOf, lint, only, spanText } from './helpers';

const FIXTURE = 'test/fixtures/datasets/content-parts.jsonl';

describe('content parts in the linter', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const result = lintText(text);

  it('OpenAI vision, Hugging Face image parts, Responses-style text parts and audio are valid (lines 1-4)', () => {
    assert.deepEqual(codes(result).filter((c) => /@[1-4]$/.test(c) && !c.startsWith('FT050')), []);
  });

  it('parts written {type, value} or {text}: one FT010 each, on the first such part, nothing else (lines 5-6)', () => {
    assert.deepEqual(codes(result).filter((c) => /@[56]$/.test(c)), ['FT010@5', 'FT010@6']);
    const five = result.diagnostics.find((d) => d.span.line === 4)!;
    assert.equal(five.severity, 'error');
    assert.equal(spanText(text, five), '{"type": "text", "value": "What cures a cold?"}');
    assert.match(five.message, /Unknown content-part format \(message 1, part 1: \{"type": "text", "value"\}\)/);
    const six = result.diagnostics.find((d) => d.span.line === 5)!;
    assert.match(six.message, /part 1: \{"text"\}/);
    const zh = lintText(text, { locale: 'zh-cn' }).diagnostics.find((d) => d.span.line === 4)!;
    assert.match(zh.message, /无法识别的内容片段格式/);
  });

  it('an unknown shape in a later message is found too, and a media-only part list is not "empty"', () => {
    const line = chat({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'a.png' } }] }, { role: 'assistant', content: [{ type: 'txt', body: 'x' }] });
    const d = only(lint([line]), 'FT010');
    assert.match(d.message, /message 2, part 1: \{"type": "txt", "body"\}/);
    assert.deepEqual(codesOf(line), ['FT010']);
  });

  it('conversational prompt/completion with unknown parts: one FT010', () => {
    const line = JSON.stringify({ prompt: [{ role: 'user', content: [{ type: 'text', value: 'Hi' }] }], completion: [{ role: 'assistant', content: 'Hello' }] });
    assert.deepEqual(codesOf(line), ['FT010']);
  });

  it('a text part whose text is not a string is a type error, not also an empty content', () => {
    const line = chat({ role: 'user', content: [{ type: 'text', text: 5 }] }, { role: 'assistant', content: 'Hello' });
    assert.deepEqual(codesOf(line), ['FT013']);
  });

  it('samples that differ only in their image are not duplicates, nor the same prompt', () => {
    const ask = (url: string, answer = 'Ginseng.') => chat({ role: 'user', content: [{ type: 'text', text: 'Which herb?' }, { type: 'image_url', image_url: { url } }] }, { role: 'assistant', content: answer });
    assert.deepEqual(codes(lint([ask('a.png'), ask('b.png'), ask('c.png', 'Mint.')])).filter((c) => !c.startsWith('FT050')), []);
  });
});

describe('content parts in the converter and the token counter', () => {
  it('the converter keeps OpenAI samples with parts as they are', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const converted = convertToOpenAI(text);
    assert.equal(converted.unchanged, 6);
    assert.equal(converted.text, text);
  });

  /** Renders "[role:content]", an assistant turn as "<gen>content]" after the "<gen>" generation prompt, counting characters; records what it was given. */
  function fake(seen: unknown[][]): TokenCountModel {
    const counts = (t: string): PrefixCounts => ({ total: t.length, upTo: (end) => Math.min(end, t.length) });
    return {
      renderChat: (messages, { addGenerationPrompt }) => {
        seen.push([...messages]);
        const turn = (m: { role: string; content: unknown }) => (m.role === 'assistant' ? `<gen>${String(m.content)}]` : `[${m.role}:${String(m.content)}]`);
        return (messages as { role: string; content: unknown }[]).map(turn).join('') + (addGenerationPrompt ? '<gen>' : '');
      },
      chatCounts: counts,
      countPlain: (t) => t.length,
      eosToken: undefined,
    };
  }

  it('counts the text of the parts, joined, as the trainer passes it to the template (media add nothing)', () => {
    const seen: unknown[][] = [];
    const sample = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n')[0]!) as unknown;
    const counted = countSample(fake(seen), sample);
    const full = seen.find((ms) => ms.length === 3)!;
    assert.deepEqual(full.map((m) => (m as { content: unknown }).content), [
      'You are a vision assistant for a herbal pharmacy.',
      'Which herb is in this photo?',
      'Dried ginseng root: pale, forked, ringed near the top.',
    ]);
    const rendered = '[system:You are a vision assistant for a herbal pharmacy.][user:Which herb is in this photo?]<gen>Dried ginseng root: pale, forked, ringed near the top.]';
    assert.deepEqual(counted, { tokens: rendered.length, trainTokens: 'Dried ginseng root: pale, forked, ringed near the top.]'.length });
  });

  it('refuses a part of an unknown shape with a format error that says where', () => {
    const sample = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n')[4]!) as unknown;
    assert.throws(() => countSample(fake([]), sample), (err: unknown) => err instanceof SampleError && err.code === 'format' && /message 1, content part 1: \{"type": "text", "value"\}/.test(err.message));
  });
});
