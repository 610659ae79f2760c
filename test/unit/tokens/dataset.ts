// A small mixed JSONL dataset for the pool and CLI tests: chat samples of every shape in conversations.json, text,
// prompt/completion and ShareGPT samples, a few long ones, and lines that cannot be counted.
import { fixture, readJson } from './helpers';

export interface MixedDataset {
  lines: string[];
  /** 1-based line numbers of lines that are not JSON, and of samples that cannot be counted. */
  notJson: number[];
  notCounted: number[];
  blank: number[];
}

export function mixedDataset(copies = 6): MixedDataset {
  const conversations = Object.entries(readJson<Record<string, unknown>>(fixture('conversations.json')))
    .filter(([k]) => !k.startsWith('//'))
    .map(([, v]) => v);
  const lines: string[] = [];
  const notJson: number[] = [];
  const notCounted: number[] = [];
  const blank: number[] = [];
  for (let c = 0; c < copies; c++) {
    for (const conv of conversations) lines.push(JSON.stringify(conv));
    lines.push(JSON.stringify({ text: `第${c}篇:` + '少侠请坐,老夫略通岐黄之术。'.repeat(20 + c) }));
    lines.push(JSON.stringify({ prompt: `Question ${c}: what cures a cold?`, completion: ' Ginger soup, twice a day.'.repeat(c + 1) }));
    // Long samples: over 4k and over 8k tokens.
    lines.push(JSON.stringify({ messages: [{ role: 'user', content: '讲个长故事。' }, { role: 'assistant', content: '江湖风雨夜,'.repeat(c % 2 ? 3200 : 1500) }] }));
    lines.push('{"messages": [{"role": "user", "content": "unterminated"');
    notJson.push(lines.length);
    lines.push('');
    blank.push(lines.length);
    lines.push(JSON.stringify({ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }] }));
    lines.push(JSON.stringify({ conversations: [{ from: 'robot', value: 'beep' }] }));
    notCounted.push(lines.length);
  }
  return { lines, notJson, notCounted, blank };
}
