#!/usr/bin/env node
// `npm start`: sets everything up and opens the extension in a real VS Code on examples/wuxia-doctor.
// - With a desktop `code` on PATH: an Extension Development Host window (like F5).
// - Otherwise: a private code-server (Node 24 and code-server are installed into a cache on first
//   use) with the extension installed, on 127.0.0.1, behind a random password; bring your own browser.
// Flags: --browser   use code-server even when `code` is on PATH
//        --port N    listen on port N (default: a free one)
//        --check     start, verify that the URL answers with the password, stop; exit 0 if all is well
//        --locale L  VS Code's display language, e.g. zh-cn (the extension's own texts follow it)
//        --fresh     start from empty settings and trust (the lasting state is kept in the cache otherwise)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bold, cacheRoot, dim, green, header, onPath, red, repoRoot } from './lib/common.mjs';
import { ensureBuild, ensureDeps } from './lib/deps.mjs';
import { ensureExampleDemoModel, ensureExampleTokenizer } from './lib/example-tokenizer.mjs';
import { ensureTrainerPython } from './lib/trainerPython.mjs';
import { startWithExtension, workbenchUrl } from './lib/code-server.mjs';
import { exitAfterCleanup, installExitHandlers, isExiting } from './lib/proc.mjs';

installExitHandlers();

const args = process.argv.slice(2);
const check = args.includes('--check');
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port needs a port number, got "${args[portIndex + 1]}"`);
  process.exit(2);
}
const localeIndex = args.indexOf('--locale');
const locale = localeIndex >= 0 ? args[localeIndex + 1] : undefined;
if (localeIndex >= 0 && !/^[a-z]{2}(-[a-z]{2,4})?$/i.test(locale ?? '')) {
  console.error(`--locale needs a language such as zh-cn or en, got "${locale ?? ''}"`);
  process.exit(2);
}
// Settings, workspace trust and the chosen Python interpreter survive a restart (--check and --fresh start clean).
const stateDir = check || args.includes('--fresh') ? undefined : join(cacheRoot(), 'start-state');

async function main() {
  header('Fine-tune Studio: opening in VS Code');
  await ensureDeps();
  await ensureBuild({ tests: false });

  let folder = join(repoRoot, 'examples', 'wuxia-doctor');
  if (!existsSync(folder)) {
    console.log(dim(`${folder} does not exist yet: opening the repository instead.`));
    folder = repoRoot;
  } else {
    ensureExampleTokenizer(folder);
  }
  // The trainer's Python (the venv `npm test` builds) and the example's demo model, so a first job trains here.
  const trainer = check ? {} : await ensureTrainerPython();
  if (trainer.python && ensureExampleDemoModel(trainer.python, folder)) {
    console.log(dim(`The example's demo model is in ${join(folder, 'models', 'demo-qwen3')}; jobs run with ${trainer.python}.`));
  }

  if (!check && !args.includes('--browser') && onPath('code')) {
    console.log(`Opening VS Code with the extension under development on ${folder}`);
    // Not in a process group of ours: the window must outlive this script.
    const extra = locale ? ['--locale', locale] : [];
    return spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, ...extra, folder], { stdio: 'inherit' }).status ?? 1;
  }

  if (stateDir && trainer.python) defaultUserSetting(stateDir, 'finetune.python.path', trainer.python);
  const password = randomBytes(18).toString('base64url');
  // Workspace trust stays on: people see the extension as it behaves in an untrusted folder first.
  const server = await startWithExtension({ auth: 'password', password, workspaceTrust: true, port, stateDir, locale });
  const url = workbenchUrl(server, folder);
  const { codeServer, extension } = server;

  if (check) {
    await verifyLogin(server.url, url, password);
    console.log(green(`OK: ${url} answers behind the password (code-server ${codeServer.version}, VS Code ${codeServer.vscodeVersion}).`));
    return 0;
  }

  console.log(`
${bold(`Fine-tune Studio ${extension.version}`)} is running in VS Code ${codeServer.vscodeVersion} (code-server ${codeServer.version}).

    URL:       ${bold(url)}
    Password:  ${bold(password)}

Open the URL in a browser on this machine. From another machine, forward the port first:
    ssh -L ${server.port}:127.0.0.1:${server.port} <this-host>
After changing the code: \`npm run build\` (or keep \`npm run watch\` running), then "Developer: Reload Window".
${stateDir ? `Settings and workspace trust are kept in ${stateDir} (\`npm start -- --fresh\` starts clean).` : 'A fresh state: nothing is kept after this run.'}
${dim(`code-server log: ${server.logFile}`)}
Press Ctrl+C to stop.`);

  const code = await server.exited;
  if (isExiting()) return 0;
  throw new Error(`code-server stopped by itself (exit code ${code}). Its log:\n${server.logTail()}`);
}

/** Sets a user setting in the lasting state unless the user has set it (their choice wins). */
function defaultUserSetting(stateDir, key, value) {
  const dir = join(stateDir, 'user-data', 'User');
  const file = join(dir, 'settings.json');
  let settings = {};
  try {
    settings = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    if (existsSync(file)) return; // comments or another shape: leave the user's file alone
  }
  if (key in settings) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify({ ...settings, [key]: value }, null, 2));
}

/** Checks that the workbench needs the password, that the password logs in, and that the URL then answers. */
async function verifyLogin(base, url, password) {
  const anonymous = await fetch(url, { redirect: 'manual' });
  if (anonymous.status !== 302 || !/login/.test(anonymous.headers.get('location') ?? '')) {
    throw new Error(`expected a redirect to the login page without the password, got HTTP ${anonymous.status}`);
  }
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ password }),
  });
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (login.status !== 302 || cookies.length === 0) {
    throw new Error(`login with the password failed: HTTP ${login.status}, no session cookie`);
  }
  const page = await fetch(url, { redirect: 'manual', headers: { cookie: cookies.join('; ') } });
  if (page.status !== 200 && page.status !== 302) throw new Error(`after login, ${url} answered HTTP ${page.status}`);
  const html = await page.text();
  if (page.status === 200 && !html.includes('workbench')) throw new Error(`after login, ${url} did not serve the workbench`);
  console.log(dim(`without password: HTTP ${anonymous.status} → login; login: HTTP ${login.status}; with session: HTTP ${page.status}`));
}

main().then(
  (code) => exitAfterCleanup(code),
  (err) => {
    if (isExiting()) return;
    console.error(red(`\n${err?.stack ?? err}`));
    return exitAfterCleanup(1);
  },
);
