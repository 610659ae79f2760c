#!/usr/bin/env node
// `npm test`: every tier, cheapest first, stopping at the first that fails (with its exit code):
//   npm deps → build (node esbuild.mjs --tests) → typecheck (tsc --noEmit) → unit (node --test) → trainer (pytest)
//   → security (hardened inputs; a hostile clone in VS Code) → backends (a real sshd and Slurm on 127.0.0.1)
//   → integration (mocha in a VS Code extension host)
//   → UI (code-server + Chromium).
import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { bold, green, header, red, repoRoot } from './lib/common.mjs';
import { ensureDeps } from './lib/deps.mjs';
import { exitAfterCleanup, installExitHandlers, isExiting, spawnGroup } from './lib/proc.mjs';
import { PYTHON, ensurePythonTestModules } from './lib/python.mjs';
import { ensureTrainerPython } from './lib/trainerPython.mjs';

installExitHandlers();

const node = process.execPath;
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
// The integration and UI scripts would otherwise redo the install and the build.
const env = { ...process.env, FINETUNE_SKIP_PREPARE: '1' };
/** A Python with torch, transformers, peft and accelerate, when this machine has or can build one. */
let trainerPython;

/**
 * The bundled unit test files (listed here: Node 20 and 22 treat a directory argument differently), less those in
 * security/, which the security tier runs.
 */
function unitTestFiles() {
  const dir = join(repoRoot, 'out', 'test', 'unit');
  const files = existsSync(dir)
    ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js') && !f.startsWith(`security${sep}`))
    : [];
  // Without files, `node --test` would hunt for tests all over the repository.
  if (files.length === 0) throw new Error(`no unit test bundles in ${dir}: did the build run?`);
  return files.sort().map((f) => join(dir, f));
}

const tiers = [
  ['Build (node esbuild.mjs --tests)', () => [node, 'esbuild.mjs', '--tests']],
  ['Typecheck (tsc --noEmit -p .)', () => [node, tsc, '--noEmit', '-p', '.']],
  ['Unit tests (node --test out/test/unit/)', () => [node, '--test', '--test-reporter=spec', ...unitTestFiles()]],
  // With the trainer Python (scripts/lib/trainerPython.mjs) every test runs; with Debian's python3 the model tests
  // are skipped, and -rs prints why (they need torch, transformers and peft).
  [() => `Trainer tests (pytest: trainer/tests, ${trainerPython ? 'all tests, with the trainer venv' : `pure tests only, with ${PYTHON}`})`,
    () => [trainerPython ?? PYTHON, '-m', 'pytest', 'trainer/tests', '-rs', '-q']],
  // These four print their own header.
  ['Security tests', () => [node, 'scripts/test-security.mjs'], { ownHeader: true }],
  ['Backends tests', () => [node, 'scripts/test-backends.mjs'], { ownHeader: true }],
  ['Integration tests', () => [node, 'scripts/test-integration.mjs'], { ownHeader: true }],
  ['UI tests', () => [node, 'scripts/test-ui.mjs'], { ownHeader: true }],
];

async function main() {
  const started = Date.now();
  header('Dependencies (npm ci when node_modules is stale)');
  await ensureDeps();
  header('Python references and the trainer suite (Debian python3-jieba, python3-nltk, python3-pytest)');
  await ensurePythonTestModules();
  header('Trainer Python (torch, transformers, peft, accelerate: the model tests and the real-trainer tests)');
  trainerPython = (await ensureTrainerPython()).python;
  // For the integration tier (realTrainer.test.ts); it need not look again, nor try to build the venv again.
  if (trainerPython) env.FINETUNE_TRAINER_PYTHON = process.env.FINETUNE_TRAINER_PYTHON = trainerPython;
  else delete env.FINETUNE_TRAINER_PYTHON;
  env.FINETUNE_NO_TRAINER_VENV = '1';
  for (const [titleOrFn, command, { ownHeader = false } = {}] of tiers) {
    const title = typeof titleOrFn === 'function' ? titleOrFn() : titleOrFn;
    if (!ownHeader) header(title);
    const [cmd, ...args] = command();
    const tierStart = Date.now();
    const code = await spawnGroup(cmd, args, { cwd: repoRoot, env }).exited;
    const secs = ((Date.now() - tierStart) / 1000).toFixed(1);
    if (isExiting()) return code; // Ctrl+C: the signal handler reports and exits
    if (code !== 0) {
      console.error(red(bold(`\n✘ ${title} failed (exit code ${code}, ${secs} s). Later tiers were not run.`)));
      return code;
    }
    console.log(green(`✔ ${title} (${secs} s)`));
  }
  console.log(green(bold(`\nAll tiers passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`)));
  return 0;
}

main().then(
  (code) => exitAfterCleanup(code),
  (err) => {
    console.error(red(`\n${err?.stack ?? err}`));
    return exitAfterCleanup(1);
  },
);
