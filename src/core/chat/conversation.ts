// The trial chat's conversation as models see it and as it is kept: each model of a side-by-side chat has its own
// thread (the shared user messages, its own answers), which becomes one sample in the dataset's OpenAI messages
// format. `.finetune/chats/<id>.jsonl` holds one such line per model; "Save as training sample" appends one.
import type { ChatAnswer, ChatTurn } from '../../shared/protocol/chat';

/** A message of the OpenAI format (the same shape as the inference layer's ChatMessage). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** An answer that may stand in the thread: it has text and did not fail. */
const usable = (a: ChatAnswer | undefined): a is ChatAnswer => a !== undefined && a.status !== 'failed' && a.status !== 'streaming' && a.text.length > 0;

/**
 * What model `model` is asked to answer turn `upTo`: the system prompt, each earlier user message with this model's
 * own answer to it, then user message `upTo`. An earlier turn this model has no usable answer to is left out whole,
 * so user and assistant still alternate.
 */
export function messagesFor(system: string, turns: readonly ChatTurn[], model: string, upTo: number): ChatMessage[] {
  const messages: ChatMessage[] = system.trim() ? [{ role: 'system', content: system }] : [];
  turns.slice(0, upTo).forEach((turn) => {
    const answer = turn.answers[model];
    if (usable(answer)) messages.push({ role: 'user', content: turn.user }, { role: 'assistant', content: answer.text });
  });
  const current = turns[upTo];
  if (current) messages.push({ role: 'user', content: current.user });
  return messages;
}

/** The whole thread of `model` as a training sample: it ends with this model's last usable answer; none: undefined. */
export function sampleMessages(system: string, turns: readonly ChatTurn[], model: string): ChatMessage[] | undefined {
  const messages = messagesFor(system, turns, model, turns.length);
  // messagesFor ends with no user message past the turns: the last one is an answer, unless there was none.
  return messages.some((m) => m.role === 'assistant') ? messages : undefined;
}

/** One JSON line (with its line break) in the dataset format; `model` names who answered, for the chats folder. */
export function sampleLine(messages: readonly ChatMessage[], model?: string): string {
  return JSON.stringify({ messages, ...(model !== undefined ? { model } : {}) }) + '\n';
}

/** The conversation file: a line for each model that answered anything, in the models' order. */
export function conversationFile(system: string, turns: readonly ChatTurn[], models: readonly { id: string; label: string }[]): string {
  return models.map((m) => {
    const messages = sampleMessages(system, turns, m.id);
    return messages ? sampleLine(messages, m.label) : '';
  }).join('');
}

/** A conversation's id: sortable by time, unique enough for one workspace (`2026-12-07T065153-x7k2`). */
export function newConversationId(now = new Date(), random = Math.random): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/** What to write so `line` starts on a line of its own after a file ending in `lastByte` (none: empty file). */
export function separatorBefore(lastByte: number | undefined): string {
  return lastByte === undefined || lastByte === 0x0a ? '' : '\n';
}
