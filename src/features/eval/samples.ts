import { readRegularFile } from '../../core/regularFile';
import { convertToOpenAI } from '../../core/dataset';
import type { EvalSample } from '../../inference/endpointRun';
import type { ChatMessage } from '../../inference/openaiClient';

/**
 * A test set's samples as chat prompts and reference answers: any format the linter accepts is converted to
 * OpenAI messages; the last assistant turn is the label, the turns before it the prompt. `sampleLines[i]` is the
 * 0-based line of sample i. Lines that are not a chat sample with an assistant turn are listed in `skipped`
 * (with the converter's reason, or none when the sample has no assistant answer after a prompt). `text` is the file as
 * read, for callers that need its lines too (the parity gate's subset).
 */
export async function readEvalSamples(file: string): Promise<{ samples: EvalSample[]; sampleLines: number[]; skipped: { line: number; reason?: string }[]; text: string }> {
  const text = await readRegularFile(file);
  const samples: EvalSample[] = [];
  const sampleLines: number[] = [];
  const skipped: { line: number; reason?: string }[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    if (!raw.trim()) return;
    // Line by line, to keep each sample's line number (the converter drops what it cannot convert).
    const converted = convertToOpenAI(raw);
    if (converted.skipped.length > 0 || !converted.text) {
      skipped.push({ line, ...(converted.skipped[0] ? { reason: converted.skipped[0].reason } : {}) });
      return;
    }
    const messages = (JSON.parse(converted.text) as { messages?: unknown }).messages;
    const turns = Array.isArray(messages)
      ? messages.filter((m): m is ChatMessage => typeof m === 'object' && m !== null && ['system', 'user', 'assistant'].includes((m as ChatMessage).role) && typeof (m as ChatMessage).content === 'string')
      : [];
    let last = turns.length - 1;
    while (last >= 0 && turns[last]!.role !== 'assistant') last--;
    if (last <= 0) {
      skipped.push({ line });
      return;
    }
    samples.push({ index: samples.length, messages: turns.slice(0, last).map((m) => ({ role: m.role, content: m.content })), label: turns[last]!.content });
    sampleLines.push(line);
  });
  return { samples, sampleLines, skipped, text };
}
