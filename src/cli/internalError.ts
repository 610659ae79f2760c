// What the CLI prints when a command fails in a way it did not foresee (main.ts's last resort).

/** Exit status of an unexpected failure (sysexits' EX_SOFTWARE). */
export const INTERNAL_ERROR = 70;

/** One line for an unexpected failure: its message, never a stack trace (those are for developers, not users). */
export function internalErrorLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  return `finetune-studio: internal error: ${text.split('\n')[0]!.slice(0, 500)}\n`;
}
