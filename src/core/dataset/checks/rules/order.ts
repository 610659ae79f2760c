// Role order. OpenAI: optional system messages first, a user turn, then assistant and user taking
// turns, tool results right after the assistant's calls, the assistant last. ShareGPT follows
// LLaMA-Factory's aligner: after an optional leading system turn, human/observation at odd positions
// and gpt/function_call at even ones, an even count; anything else makes it drop the whole sample.
import type { Findings } from '../findings';
import type { ChatLayout } from '../../formats/layout';
import type { Turn } from './turn';

export function checkOpenAiOrder(turns: readonly Turn[], layout: ChatLayout, out: Findings): void {
  let started = false;
  let prev: Turn | undefined;
  const roleAt = (t: Turn) => ({ path: [...t.path, layout.roleKey] });
  for (const t of turns) {
    if (t.role === undefined) {
      // Already reported; it still is a turn, so what follows does not "start" the conversation.
      started = true;
      prev = undefined;
      continue;
    }
    if (t.role === 'system') {
      if (started) out.add('FT026', roleAt(t), 'order.systemNotFirst', { role: t.roleName ?? 'system' });
      continue;
    }
    if (t.role === 'tool') {
      const afterCall = prev && (prev.role === 'tool' || (prev.role === 'assistant' && prev.calls > 0));
      if (!afterCall) out.add('FT023', roleAt(t), 'order.toolWithoutCall', { role: t.roleName ?? 'tool' });
    } else if (!started && t.role === 'assistant') {
      out.add('FT024', roleAt(t), 'order.startsWithAssistant', { role: t.roleName ?? 'assistant' });
    } else if (prev && prev.role === t.role) {
      out.add('FT024', roleAt(t), 'order.repeated', { role: t.roleName ?? t.role });
    }
    started = true;
    prev = t;
  }
  const last = turns[turns.length - 1];
  if (layout.ranking) {
    // Preference data: the conversation is the prompt; the answers are in the chosen and rejected columns.
    if (last?.role === 'assistant') out.add('FT023', roleAt(last), 'order.rankingEndsWithAnswer', { role: last.roleName ?? last.role, chosen: layout.ranking.chosen, rejected: layout.ranking.rejected });
  } else if (last?.role !== undefined && last.role !== 'assistant' && started) {
    out.add('FT025', roleAt(last), 'order.lastNotAssistant', { role: last.roleName ?? last.role });
  }
}

export function checkShareGptOrder(turns: readonly Turn[], layout: ChatLayout, out: Findings): void {
  const start = turns[0]?.role === 'system' ? 1 : 0;
  const roleAt = (t: Turn) => ({ path: [...t.path, layout.roleKey] });
  const { tags } = layout;
  for (let k = start; k < turns.length; k++) {
    const t = turns[k]!;
    if (t.role === undefined) return;
    const position = k - start + 1;
    const userSide = position % 2 === 1;
    const ok = userSide ? t.role === 'user' || t.role === 'tool' : t.role === 'assistant' || t.role === 'function_call';
    if (!ok) {
      const expected = userSide ? `${tags.user} / ${tags.observation}` : `${tags.assistant} / ${tags.function}`;
      const id = t.role === 'system' ? 'order.sharegptSystem' : 'order.sharegpt';
      out.add('FT023', roleAt(t), id, { position, expected, found: t.roleName ?? t.role });
      return;
    }
    if (t.role === 'tool' && turns[k - 1]?.role !== 'function_call') {
      out.add('FT035', roleAt(t), 'order.observationWithoutCall', { role: t.roleName ?? tags.observation, call: tags.function });
    }
  }
  const count = turns.length - start;
  const last = turns[turns.length - 1];
  if (!last) return;
  // LLaMA-Factory: an even count for supervised data; an odd one (ending on the user's side) for preference data.
  if (layout.ranking) {
    if (count % 2 === 0) out.add('FT023', roleAt(last), 'order.rankingEndsWithAnswer', { role: last.roleName ?? tags.assistant, chosen: layout.ranking.chosen, rejected: layout.ranking.rejected });
  } else if (count % 2 === 1) out.add('FT023', roleAt(last), 'order.sharegptOdd', { count, assistant: tags.assistant });
}

/** FT022: some assistant message with content (or calls) and a weight other than 0. */
export function checkHasAnswer(turns: readonly Turn[], messagesKey: string, out: Findings): void {
  const isAnswer = (t: Turn) => t.role === 'assistant' || t.role === 'function_call';
  // A loop, not `some` with a closure: this runs on every sample.
  for (const t of turns) if (isAnswer(t) && (t.broken || ((!t.empty || t.calls > 0) && t.weight !== 0))) return;
  const answers = turns.filter(isAnswer);
  const at = { path: [messagesKey], key: true };
  if (answers.length === 0) out.add('FT022', at, 'answer.none', {});
  else if (answers.every((t) => t.weight === 0)) out.add('FT022', at, 'answer.allWeightZero', {});
  else out.add('FT022', at, 'answer.allEmpty', {});
}
