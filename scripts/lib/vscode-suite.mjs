// Runs a mocha suite bundle (`extensionTestsPath`) inside a real VS Code: code-server + headless Chromium, offline.
// The workbench runs the suite and reports through the smoke-test driver's automation hooks. Used by the
// integration tier (scripts/test-integration.mjs) and the security tier (scripts/test-security.mjs).
import { writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { bold, dim, packageJson, repoRoot } from './common.mjs';
import { ensureCodeServer, ensureNode24 } from './tools.mjs';
import { ensureChromium, launchBrowser } from './chromium.mjs';
import { startCodeServer, TEST_SETTINGS, workbenchUrl } from './code-server.mjs';

const extensionId = () => `${packageJson().publisher}.${packageJson().name}`;

/**
 * Opens `workspace` with this repository as the extension under development and runs `testsEntry`; resolves with
 * the suite's exit code. `workspaceTrust`: true keeps VS Code's workspace trust on (the folder then opens in
 * Restricted Mode); false (the default) trusts everything. `settings` are added to the test user settings.
 */
export async function runSuiteInCodeServer({ workspace, testsEntry, workspaceTrust = false, settings = {} }) {
  const node24 = await ensureNode24();
  const cs = await ensureCodeServer(node24);
  const chromium = await ensureChromium();
  console.log(bold(`Runner: code-server ${cs.version} + Chromium — VS Code ${cs.vscodeVersion} (commit ${cs.commit.slice(0, 10)})`));

  // The extension host inherits code-server's environment.
  process.env.FINETUNE_TEST_COLOR = process.stdout.isTTY ? '1' : '0';
  const server = await startCodeServer({ node: node24.node, entry: cs.entry, smokeTestDriver: true, workspaceTrust, settings: { ...TEST_SETTINGS, ...settings } });
  try {
    return await runInWorkbench(server, workspace, testsEntry);
  } finally {
    await server.stop();
  }
}

/** code-server + headless Chromium; the workbench runs the suite and reports through automation hooks. */
async function runInWorkbench(server, workspace, testsEntry) {
  const chromium = await ensureChromium();
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const url = workbenchUrl(server, workspace, [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(testsEntry)],
  ]);

  // The workbench's own console is noisy: keep it in a file, shown only when something goes wrong.
  const browserLog = join(server.dir, 'browser.log');
  writeFileSync(browserLog, '');
  const { browser, page } = await launchBrowser({ executablePath: chromium });
  page.on('console', (m) => appendFileSync(browserLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(browserLog, `[pageerror] ${e.stack ?? e}\n`));

  let settle;
  const exitCode = new Promise((resolve) => (settle = resolve));
  const hostLog = join(server.dir, 'host.log');
  await page.exposeFunction('codeAutomationLog', hostLogPrinter(hostLog, extensionId()));
  await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));

  console.log(dim(`Opening ${server.url} with folder ${workspace}`));
  await page.goto(url);
  const serverDied = server.exited.then((code) => {
    throw new Error(`code-server exited (code ${code}) while the tests ran. Its log:\n${server.logTail()}`);
  });
  const pageCrashed = new Promise((_, reject) => page.once('crash', () => reject(new Error('The workbench page crashed in Chromium.'))));
  const code = await Promise.race([exitCode, serverDied, pageCrashed]).finally(() => browser.close().catch(() => {}));
  if (code !== 0) {
    console.log(dim(`\nFull logs (kept only with FINETUNE_KEEP_TMP=1):\n  workbench + extension host: ${hostLog}\n  browser console: ${browserLog}\n  code-server: ${server.logFile}`));
  }
  return code;
}

/**
 * The workbench forwards its own log and the extension host's console through the same hook, so
 * everything goes to a file, and the terminal gets what the suite prints: the entries from the
 * "Extension host:" line (printed by test/integration/index.ts) on, minus the workbench's
 * "[Component] ..." chatter, plus errors that name the extension or a file of this repository
 * (activation failures, a test bundle that does not load).
 */
function hostLogPrinter(logFile, extensionId) {
  let suiteStarted = false;
  return (type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    const text = format(...parts.map((a) => (typeof a === 'object' && a !== null ? JSON.stringify(a) : a)));
    appendFileSync(logFile, `[${type}] ${text}\n`);
    suiteStarted ||= text.startsWith('Extension host:');
    const chatter = /^\[[\w .:-]+\] /.test(text);
    const aboutUs = type === 'error' && (text.includes(repoRoot) || text.toLowerCase().includes(extensionId.toLowerCase()));
    if ((suiteStarted && !chatter) || aboutUs) {
      (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
    }
  };
}

