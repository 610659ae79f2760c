// Reading what a trainer or probe process printed: its last JSON line (libraries may print before it) and the
// tail of its output for an error message.

/** The last line starting with `{` (the process's JSON answer), if any. */
export function lastJsonLine(stdout: string): string | undefined {
  return stdout.split(/\r?\n/).reverse().find((l) => l.trim().startsWith('{'));
}

/** The last `n` lines of `text`, trimmed. */
export function lastLines(text: string, n = 5): string {
  return text.trim().split(/\r?\n/).slice(-n).join('\n');
}
