// The part every prompt of an eval run starts with (a long system prompt, the same in every sample): the detail
// view shows it once, collapsed, and each sample only what follows it, so the question is not hidden below it.

/** Shorter shared beginnings are not worth collapsing. */
const MIN_SHARED_CHARS = 40;
/** A last shared line this short is the next turn's role header ("user", "<|im_start|>user"): it stays with each prompt. */
const MAX_ROLE_HEADER_CHARS = 32;

/**
 * The beginning that every one of `prompts` (two or more) shares, cut at a line break, without the role header
 * that opens the turn after it; undefined when there is none of at least MIN_SHARED_CHARS characters.
 */
export function sharedPromptPrefix(prompts: readonly string[]): string | undefined {
  if (prompts.length < 2) return undefined;
  let end = prompts[0]!.length;
  for (const p of prompts) {
    if (p.length < end) end = p.length;
    const first = prompts[0]!;
    let i = 0;
    while (i < end && p.charCodeAt(i) === first.charCodeAt(i)) i++;
    end = i;
    if (end < MIN_SHARED_CHARS) return undefined;
  }
  let shared = prompts[0]!.slice(0, end);
  shared = shared.slice(0, shared.lastIndexOf('\n') + 1); // whole lines only
  const lines = shared.split('\n'); // the last element is '' (shared ends with a break)
  const lastLine = lines[lines.length - 2];
  if (lastLine !== undefined && lastLine.trim() && lastLine.length <= MAX_ROLE_HEADER_CHARS && lines.length > 2) {
    shared = shared.slice(0, shared.length - lastLine.length - 1);
  }
  return shared.trim().length >= MIN_SHARED_CHARS ? shared : undefined;
}

/** `prompt` without the shared beginning (and the blank lines after it). */
export function withoutShared(prompt: string, shared: string | undefined): string {
  return shared && prompt.startsWith(shared) ? prompt.slice(shared.length).replace(/^\s*\n/, '') : prompt;
}
