#!/usr/bin/env node
// Integration tier: runs the mocha suite (out/test/integration/index.js) inside a real VS Code
// extension host, with a temp copy of examples/wuxia-doctor opened as the workspace.
//
// Runner, by itself: FINETUNE_TEST_VSCODE=code-server|electron forces one; otherwise VS Code desktop
// through @vscode/test-electron when its download host answers (and a display or xvfb-run exists),
// else code-server + headless Chromium (works offline).
// Other knobs: FINETUNE_TEST_TIMEOUT_MIN (default 15), FINETUNE_SKIP_PREPARE=1 (skip npm ci/build;
// set by scripts/test.mjs, which has done both), FINETUNE_KEEP_TMP=1 (keep temp folders and logs),
// FINETUNE_TRAINER_PYTHON / FINETUNE_NO_TRAINER_VENV=1 (the Python for the real-trainer tests: scripts/lib/trainerPython.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureExampleTokenizer } from './lib/example-tokenizer.mjs';
import { bold, dim, exampleWorkspaceCopy, header, minimumVSCodeVersion, onPath, red, repoRoot, tempDir } from './lib/common.mjs';
import { ensureBuild, ensureDeps } from './lib/deps.mjs';
import { ensureTrainerPython } from './lib/trainerPython.mjs';
import { runSuiteInCodeServer } from './lib/vscode-suite.mjs';
import { installExitHandlers, runMain, spawnGroup } from './lib/proc.mjs';

installExitHandlers();

const TIMEOUT_MIN = Number(process.env.FINETUNE_TEST_TIMEOUT_MIN) || 15;
const testsEntry = join(repoRoot, 'out', 'test', 'integration', 'index.js');

/** Whether `url` answers at all within `ms` (any HTTP status counts). */
async function reachable(url, ms) {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(ms) });
    return true;
  } catch {
    return false;
  }
}

const hasDisplay = () => process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;

async function chooseRunner() {
  const forced = process.env.FINETUNE_TEST_VSCODE;
  if (forced) {
    if (!['code-server', 'electron'].includes(forced)) {
      throw new Error(`FINETUNE_TEST_VSCODE must be "code-server" or "electron", not "${forced}"`);
    }
    return forced;
  }
  if (!(await reachable('https://update.code.visualstudio.com/api/releases/stable', 5000))) {
    console.log(dim('The VS Code download host does not answer: using code-server + Chromium.'));
    return 'code-server';
  }
  if (!hasDisplay() && !onPath('xvfb-run')) {
    console.log(dim('No display and no xvfb-run for VS Code desktop: using code-server + Chromium.'));
    return 'code-server';
  }
  return 'electron';
}

/** VS Code desktop via @vscode/test-electron, in a child process group (under xvfb-run when headless). */
async function runInElectron(workspace) {
  const version = minimumVSCodeVersion();
  console.log(bold(`Runner: @vscode/test-electron — VS Code desktop ${version} (engines.vscode minimum)`));
  const job = JSON.stringify({
    root: repoRoot,
    version,
    testsEntry,
    workspace,
    userDataDir: tempDir('vscode-user-data'),
    extensionsDir: tempDir('vscode-extensions'),
  });
  const child = [process.execPath, fileURLToPath(new URL('./lib/run-electron.mjs', import.meta.url)), job];
  if (!hasDisplay() && !onPath('xvfb-run')) {
    throw new Error('VS Code desktop needs a display: install xvfb (apt-get install -y xvfb) or use FINETUNE_TEST_VSCODE=code-server');
  }
  const [cmd, ...args] = hasDisplay() ? child : ['xvfb-run', '-a', ...child];
  const env = { ...process.env, FINETUNE_TEST_COLOR: process.stdout.isTTY ? '1' : '0' };
  return spawnGroup(cmd, args, { env, cwd: repoRoot }).exited;
}

async function main() {
  header('Integration tests (mocha in a VS Code extension host)');
  if (!process.env.FINETUNE_SKIP_PREPARE) {
    await ensureDeps();
    await ensureBuild();
  }
  if (!existsSync(testsEntry)) {
    throw new Error(`${testsEntry} does not exist: build it with \`node esbuild.mjs --tests\``);
  }
  // For realTrainer.test.ts (the VS Code server and the extension host inherit process.env). Cheap once the venv
  // is cached; under scripts/test.mjs it only re-checks what that found.
  const { python: trainerPython } = await ensureTrainerPython();
  if (trainerPython) process.env.FINETUNE_TRAINER_PYTHON = trainerPython;
  else delete process.env.FINETUNE_TRAINER_PYTHON;
  const runner = await chooseRunner();
  const workspace = exampleWorkspaceCopy();
  ensureExampleTokenizer(workspace);
  const started = Date.now();
  const code = runner === 'electron' ? await runInElectron(workspace) : await runSuiteInCodeServer({ workspace, testsEntry });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(code === 0 ? bold(`Integration tests passed (${secs} s)`) : red(bold(`Integration tests FAILED (exit code ${code}, ${secs} s)`)));
  return code;
}

runMain(main, { minutes: TIMEOUT_MIN, what: 'INTEGRATION TESTS' });
