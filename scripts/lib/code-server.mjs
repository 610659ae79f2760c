// Starting and stopping a private code-server: 127.0.0.1 only, a port picked by the OS, and its own
// user-data, extensions, XDG and temp folders, so that it never touches the user's VS Code state.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { packageJson, repoRoot, tempDir } from './common.mjs';
import { capture, delay, runOrThrow, spawnGroup } from './proc.mjs';
import { ensureCodeServer, ensureNode24 } from './tools.mjs';

/**
 * User settings for test runs: no welcome page, chat panel, tips or update checks, so screenshots
 * show the extension and the logs carry less noise. People (scripts/open.mjs) keep VS Code's defaults.
 */
export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/**
 * Starts code-server and waits until it answers. Options:
 * - node, entry: Node 24 binary and code-server's entry.js (from tools.mjs)
 * - auth: 'none' (tests) or 'password' (people), with `password`
 * - workspaceTrust: false (default, tests) adds --disable-workspace-trust; people keep the trust prompt
 * - smokeTestDriver: enables the automation hooks the test runners need
 * - extensionsDir: an existing folder to use (e.g. with the extension linked in)
 * - port: a fixed port; default 0 lets the OS pick a free one
 * - settings: user settings.json contents (e.g. TEST_SETTINGS)
 * - stateDir: a lasting folder for user-data and XDG state (settings, workspace trust, the chosen interpreter
 *   survive a restart: `npm start`); default a fresh temp folder each run (tests)
 * - locale: VS Code's display language (--locale), e.g. zh-cn
 * Returns { url, port, dir, logFile, stop(), exited, logTail() }.
 */
export async function startCodeServer({
  node,
  entry,
  auth = 'none',
  password,
  workspaceTrust = false,
  smokeTestDriver = false,
  extensionsDir,
  port = 0,
  settings,
  stateDir,
  locale,
  timeoutMs = 90_000,
}) {
  const dir = tempDir('code-server');
  const sub = (name) => {
    const p = join(stateDir && !name.startsWith('tmp') && name !== 'extensions' ? stateDir : dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const logFile = join(dir, 'code-server.log');
  if (settings) writeFileSync(join(sub('user-data/User'), 'settings.json'), JSON.stringify(settings, null, 2));
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', auth,
    '--user-data-dir', sub('user-data'),
    '--extensions-dir', extensionsDir ?? sub('extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (locale) args.push('--locale', locale);
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  const env = { ...process.env, XDG_CONFIG_HOME: sub('xdg-config'), XDG_DATA_HOME: sub('xdg-data'), TMPDIR: sub('tmp') };
  // A VS Code terminal's variables would make code-server talk to that window instead of starting.
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];
  // code-server reads these from the environment; only ours may count.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.PORT;
  if (auth === 'password') {
    if (!password) throw new Error('startCodeServer: auth "password" needs a password');
    env.PASSWORD = password;
  }

  const log = openSync(logFile, 'a');
  const server = spawnGroup(node, args, { cwd: dir, env, stdio: ['ignore', log, log] });
  closeSync(log);
  const logTail = (lines = 40) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');

  let exitCode;
  server.exited.then((code) => (exitCode = code), () => (exitCode = -1));
  const deadline = Date.now() + timeoutMs;
  let actualPort;
  // The log names the port the OS picked; then /healthz proves the HTTP server answers.
  while (!actualPort || !(await healthy(actualPort))) {
    if (exitCode !== undefined) {
      throw new Error(`code-server exited with code ${exitCode} before answering. Its log:\n${logTail()}`);
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer within ${timeoutMs / 1000} s. Its log:\n${logTail()}`);
    }
    actualPort ??= /HTTP server listening on https?:\/\/[^\s]*:(\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    await delay(200);
  }
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: Number(actualPort),
    dir,
    logFile,
    logTail,
    exited: server.exited,
    stop: server.stop,
  };
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * The URL that opens `folder` in the workbench, optionally with a smoke-test-driver payload.
 * Slashes in the folder stay readable: the URL is printed for people.
 */
export function workbenchUrl(server, folder, payload) {
  let url = `${server.url}/?folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/**
 * Installs the repository as an extension the way VS Code stores one: a folder named
 * `<publisher>.<name>-<version>` in the extensions folder (here a symlink to the repo, so a
 * rebuild plus "Reload Window" shows changes). code-server registers it on its first start.
 */
export function linkExtension(extensionsDir, root = repoRoot) {
  const { publisher, name, version } = packageJson(root);
  const target = join(extensionsDir, `${publisher}.${name}-${version}`);
  mkdirSync(extensionsDir, { recursive: true });
  if (!existsSync(target)) symlinkSync(root, target, 'dir');
  return { id: `${publisher}.${name}`, version, path: target };
}

/**
 * Installs a packaged .vsix into a clean extensions folder with code-server's own `--install-extension`, as a
 * person installs a downloaded package; throws unless code-server then lists it.
 */
export async function installVsix(node, entry, extensionsDir, vsix, root = repoRoot) {
  const { publisher, name, version } = packageJson(root);
  const id = `${publisher}.${name}`;
  const userData = tempDir('vsix-user-data');
  // code-server writes a default config file on first run: into a temp folder, not the user's ~/.config.
  const options = { env: { ...process.env, XDG_CONFIG_HOME: tempDir('vsix-config') } };
  await runOrThrow(node, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userData, '--install-extension', vsix], options);
  const listed = await capture(node, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userData, '--list-extensions', '--show-versions'], options);
  if (!listed.split('\n').some((l) => l.trim().toLowerCase() === `${id}@${version}`.toLowerCase())) {
    throw new Error(`code-server does not list ${id}@${version} after installing ${vsix}:\n${listed}`);
  }
  return { id, version, path: join(extensionsDir, `${id}-${version}`), vsix };
}

/**
 * Node 24 + code-server (installed on first use) serving this repository's extension, installed
 * the way a user's extensions are: linked to this folder, or from a packaged .vsix (`vsix`). Other options are
 * those of startCodeServer().
 */
export async function startWithExtension({ vsix, ...options } = {}, root = repoRoot) {
  const node24 = await ensureNode24();
  const codeServer = await ensureCodeServer(node24);
  const extensionsDir = tempDir('extensions');
  const extension = vsix ? await installVsix(node24.node, codeServer.entry, extensionsDir, vsix, root) : linkExtension(extensionsDir, root);
  const server = await startCodeServer({ node: node24.node, entry: codeServer.entry, extensionsDir, ...options });
  return { ...server, codeServer, extension };
}
