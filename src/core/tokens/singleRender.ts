// Trained-token spans of a conversation from one rendering, linear in its length (count.ts uses it for long
// conversations; the prefix renderings it replaces cost a rendering of the first i messages for every turn i).
//
// A marked rendering (templateRun.ts) gives where each message's turn starts in the full rendering R. An assistant
// turn's span is what the prefix method finds for templates that render each turn the same whatever follows:
//   start = where its turn starts + the generation prompt (which its turn must begin with),
//   end   = where the next message's turn starts, or R's end for the last message.
// Anything else (a turn that does not begin with the generation prompt, an assistant turn the loop skipped, a next
// message with no turn of its own in the loop) returns undefined, and the sample is counted by prefixes.
export interface Span {
  start: number;
  end: number;
}

export function singleRenderSpans(
  messages: readonly unknown[],
  starts: readonly (number | undefined)[],
  full: string,
  generationPrompt: string,
  isTrained: (message: unknown) => boolean,
): Span[] | undefined {
  const spans: Span[] = [];
  const last = messages.length - 1;
  for (let i = 0; i <= last; i++) {
    if (!isTrained(messages[i])) continue;
    const at = starts[i];
    if (at === undefined || !full.startsWith(generationPrompt, at)) return undefined;
    const start = at + generationPrompt.length;
    const end = i === last ? full.length : starts[i + 1];
    if (end === undefined || end < start) return undefined;
    spans.push({ start, end });
  }
  return spans;
}
