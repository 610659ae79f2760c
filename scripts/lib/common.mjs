// Paths and small helpers shared by the scripts. Node built-ins only: these run before node_modules exists.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './proc.mjs';

/** The repository root (the folder holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where Node 24 and code-server are cached between runs. */
export function cacheRoot() {
  return resolve(process.env.FINETUNE_STUDIO_CACHE || join(homedir(), '.cache', 'finetune-studio'));
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function packageJson(root = repoRoot) {
  return readJson(join(root, 'package.json'));
}

/** The lowest VS Code version the extension supports, from `engines.vscode` (e.g. "^1.138.0" → "1.138.0"). */
export function minimumVSCodeVersion(root = repoRoot) {
  const range = packageJson(root).engines?.vscode ?? '';
  const m = /(\d+\.\d+\.\d+)/.exec(range);
  if (!m) throw new Error(`package.json engines.vscode ("${range}") has no version`);
  return m[1];
}

/** Whether an executable named `cmd` is on PATH. */
export function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = (t) => paint('1', t);
export const red = (t) => paint('31', t);
export const green = (t) => paint('32', t);
export const dim = (t) => paint('2', t);

/** A banner line that makes each stage easy to find in a long log. */
export function header(title) {
  const line = '═'.repeat(Math.max(8, 72 - title.length));
  console.log(`\n${bold(`══ ${title} ${line}`)}`);
}

/** A temp folder removed on exit (unless FINETUNE_KEEP_TMP is set, for debugging). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `finetune-${prefix}-`));
  onCleanup(() => {
    if (process.env.FINETUNE_KEEP_TMP) console.log(dim(`kept ${dir}`));
    else rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  return dir;
}

/**
 * A fresh temp copy of examples/wuxia-doctor that tests may write into
 * (an empty folder when the example does not exist yet).
 */
export function exampleWorkspaceCopy(root = repoRoot) {
  const dir = join(tempDir('workspace'), 'wuxia-doctor');
  const example = join(root, 'examples', 'wuxia-doctor');
  // models/ holds copied tokenizer files (see example-tokenizer.mjs): the copy gets its own.
  if (existsSync(example)) cpSync(example, dir, { recursive: true, filter: (src) => !src.startsWith(join(example, 'models')) });
  else {
    console.log(dim(`(no ${example} yet: opening an empty workspace)`));
    mkdirSync(dir);
  }
  return dir;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for the test servers). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
