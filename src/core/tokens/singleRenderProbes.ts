// Conversations on which count.ts checks, once per model, that one rendering gives the same counts as the prefix
// renderings: the usual shapes (system prompt, several turns, think blocks, tool calls and results, weight 0,
// whitespace at the edges of a content, Chinese). A template that disagrees on any of them keeps the prefix method.
const toolCall = (name: string, args: Record<string, unknown>) => ({ type: 'function', function: { name, arguments: args } });
const tools = [{ type: 'function', function: { name: 'lookup', description: 'Look up a herb.', parameters: { type: 'object', properties: { herb: { type: 'string' } }, required: ['herb'] } } }];

export const PROBES: { messages: unknown[]; tools: unknown[] | null }[] = [
  {
    tools: null,
    messages: [
      { role: 'system', content: 'You are a wandering doctor.' },
      { role: 'user', content: 'My head aches.' },
      { role: 'assistant', content: 'Rest, and drink ginger tea.' },
      { role: 'user', content: '还有别的办法吗?' },
      { role: 'assistant', content: '按揉太阳穴。' },
      { role: 'user', content: 'Thanks.' },
      { role: 'assistant', content: 'Farewell, young hero.' },
    ],
  },
  {
    tools: null,
    messages: [
      { role: 'user', content: '2+2?' },
      { role: 'assistant', content: '<think>\nSimple.\n</think>\n\nIt is 4.' },
      { role: 'user', content: '3+3?' },
      { role: 'assistant', content: '<think>\nAgain.\n</think>\n\nIt is 6.' },
    ],
  },
  {
    tools,
    messages: [
      { role: 'system', content: 'Use the tools.' },
      { role: 'user', content: 'What is ginseng for?' },
      { role: 'assistant', content: '', tool_calls: [toolCall('lookup', { herb: 'ginseng' })] },
      { role: 'tool', content: '{"use": "tonic"}' },
      { role: 'assistant', content: 'A tonic.' },
      { role: 'user', content: 'And ginger, and mint?' },
      { role: 'assistant', content: 'Let me check both.', tool_calls: [toolCall('lookup', { herb: 'ginger' }), toolCall('lookup', { herb: 'mint' })] },
      { role: 'tool', content: '{"use": "warming"}' },
      { role: 'tool', content: '{"use": "cooling"}' },
      { role: 'assistant', content: 'Ginger warms, mint cools.' },
    ],
  },
  {
    tools: null,
    messages: [
      { role: 'user', content: '  padded question \n' },
      { role: 'assistant', content: '\n\nAn answer after newlines.  ', weight: 0 },
      { role: 'user', content: 'Code?' },
      { role: 'assistant', content: '    indented()\n\n' },
      { role: 'user', content: 'Again.' },
      { role: 'assistant', content: 'Done.', weight: 0 },
    ],
  },
];
