// How the remote backends run a command where the run lives: over an SSH connection (src/backends/ssh) or on this
// very machine (a Slurm login node the extension already runs on). Commands are always argv arrays; the one
// function that turns argv into shell text is `shellQuote`, so nothing in a job name or path ever runs.

export interface ExecResult {
  /** The exit status; null when the command was ended by a signal or the connection dropped. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Bytes written to the command's stdin, then closed. */
  stdin?: string | Buffer;
  /** Ends the command (and, over SSH, its channel). */
  signal?: AbortSignal;
  /** Shell lines run first in the same non-interactive shell (a backend's `setup`: module load, conda activate…). */
  setup?: readonly string[];
}

export interface RemoteExec {
  /** Runs argv through a POSIX shell on the remote side, quoted with shellQuote. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/**
 * One word for a POSIX shell: plain words stay as they are, everything else is single-quoted with each `'` written
 * as `'\''`. Inside single quotes a POSIX shell expands nothing ($, `, \, newlines and non-ASCII are literal).
 */
export function shellWord(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv as one line of shell text. The only place a remote command line is built. */
export function shellQuote(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('shellQuote: empty argv');
  return argv.map(shellWord).join(' ');
}

/** The exit status of a shell whose setup line failed (distinct from anything the trainer exits with). */
export const SETUP_FAILED = 97;

/** The setup lines as a shell runs them: blanks and comments dropped, a failing line ends it with SETUP_FAILED (through `onFail`). */
export function setupLines(setup: readonly string[], onFail = 'exit'): string[] {
  return setup
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => `${l} || ${onFail} ${SETUP_FAILED}`);
}

/** The text a remote shell runs: the backend's setup lines, then the command, so the check sees what the job gets. */
export function shellScript(argv: readonly string[], setup: readonly string[] = []): string {
  return [...setupLines(setup), `exec ${shellQuote(argv)}`].join('\n');
}

/**
 * The one line handed to the remote user's login shell, whatever it is (bash, zsh, fish, tcsh…): it holds only
 * characters every shell reads literally inside single quotes, since fish and csh treat backslashes and newlines
 * in quotes their own way. The script travels base64-encoded and runs in bash where there is one (setup lines
 * such as `source venv/bin/activate` or `eval "$(conda shell.bash hook)"` want it), else in sh.
 */
export function remoteCommandLine(script: string): string {
  const b64 = Buffer.from(script, 'utf8').toString('base64');
  return `sh -c 'S=$(echo ${b64} | base64 -d) || exit 98; if command -v bash >/dev/null 2>&1; then exec bash -c "$S"; else exec sh -c "$S"; fi'`;
}
