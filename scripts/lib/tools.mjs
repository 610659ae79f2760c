// Node 24 and code-server, installed from npm into a versioned cache folder.
// Each install goes into a temp folder that is renamed into place only once it works,
// so an interrupted install never leaves a half-built cache behind.
import { aptInstall, canApt } from './apt.mjs';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, readJson, dim } from './common.mjs';
import { capture, runOrThrow } from './proc.mjs';

/** Pinned so the cache folder name says exactly what is inside. code-server 4.139 requires Node 24. */
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Removes temp install folders left by processes that are gone (killed mid-install). */
function removeStaleTemps(cache) {
  for (const name of readdirSync(cache)) {
    const m = /^\.tmp-.*-pid(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0); // still running: leave it alone
    } catch {
      rmSync(join(cache, name), { recursive: true, force: true });
    }
  }
}

/**
 * Returns `final` if it exists; else runs `install(tempDir)` and renames the temp folder to `final`.
 * When another process won the race, its result is used and ours is thrown away.
 */
async function installOnce(final, label, install) {
  if (existsSync(final)) return final;
  const cache = cacheRoot();
  mkdirSync(cache, { recursive: true });
  removeStaleTemps(cache);
  const temp = join(cache, `.tmp-${label}-pid${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  const started = Date.now();
  console.log(`Installing ${label} into ${final} (once; cached afterwards)...`);
  try {
    await install(temp);
    try {
      renameSync(temp, final);
    } catch (err) {
      if (!existsSync(final)) throw err; // a parallel install finished first: keep its copy
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  console.log(`Installed ${label} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return final;
}

/** A folder holding a package.json that allows the named install scripts (npm ≥ 11 asks for this). */
function npmProject(dir, dependencies, allowScripts) {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'finetune-studio-tools', private: true, dependencies, allowScripts }, null, 2),
  );
}

/** Node 24 from the npm package `node-<platform>-<arch>`; returns { node, dir, binDir }. */
export async function ensureNode24() {
  if (!['linux', 'darwin'].includes(process.platform)) {
    throw new Error(`Node 24 from npm is set up here only on Linux and macOS, not on ${process.platform}.`);
  }
  const pkg = `node-${process.platform}-${process.arch}`;
  const final = join(cacheRoot(), `node-v${NODE_VERSION}-${process.platform}-${process.arch}`);
  await installOnce(final, `node-v${NODE_VERSION}`, async (temp) => {
    npmProject(temp, { [pkg]: NODE_VERSION }, {});
    await runOrThrow(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: temp });
    const version = (await capture(join(temp, 'node_modules', pkg, 'bin', 'node'), ['--version'])).trim();
    if (version !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION}, got ${version}`);
  });
  const dir = join(final, 'node_modules', pkg);
  return { node: join(dir, 'bin', 'node'), dir, binDir: join(dir, 'bin') };
}

/** Environment that makes npm and node-gyp build native modules against Node 24. */
function node24Env(node24) {
  const env = { ...process.env, PATH: `${node24.binDir}:${process.env.PATH}` };
  // Under `npm test`, the outer npm (on the system Node) exports its user agent, node path and package
  // variables; the inner npm would take them as its own config, and code-server's postinstall reads the
  // Node version from npm_config_user_agent. Start the inner npm clean.
  for (const key of Object.keys(env)) {
    if (/^npm_(config_user_agent|config_node_gyp|config_local_prefix|node_execpath|execpath|command|lifecycle_|package_)/.test(key) || key === 'NODE') delete env[key];
  }
  // The user's npmrc may point node-gyp at another Node's headers (nodedir=/usr): override it.
  env.npm_config_nodedir = node24.dir;
  return env;
}

/** Native modules code-server's VS Code needs at runtime; loading them proves the build worked. */
const NATIVE_MODULES = ['node-pty', '@vscode/spdlog', '@vscode/sqlite3', 'kerberos', 'argon2'];

async function verifyCodeServer(node24, pkgDir) {
  const requireAll = NATIVE_MODULES.map(
    (m) => `require(require.resolve(${JSON.stringify(m)}, { paths: [${JSON.stringify(join(pkgDir, 'lib', 'vscode'))}, ${JSON.stringify(pkgDir)}] }))`,
  ).join(';');
  await capture(node24.node, ['-e', requireAll]);
  // --version writes a default config file: keep it out of the user's ~/.config.
  const config = join(pkgDir, '..', '..', '.verify-config');
  try {
    const env = { ...process.env, XDG_CONFIG_HOME: config };
    return (await capture(node24.node, [join(pkgDir, 'out', 'node', 'entry.js'), '--version'], { env })).trim();
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}

/**
 * code-server from npm, its native modules compiled against Node 24 (needs a C++ toolchain,
 * python3, pkg-config and the Kerberos headers). Returns { entry, dir, version, vscodeVersion, commit }.
 */
export async function ensureCodeServer(node24) {
  const final = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}-node${NODE_VERSION.split('.')[0]}`);
  await installOnce(final, `code-server-${CODE_SERVER_VERSION}`, async (temp) => {
    await ensureBuildTools();
    // code-server's postinstall runs `npm install` in lib/vscode, which compiles the native modules.
    npmProject(temp, { 'code-server': CODE_SERVER_VERSION }, { 'code-server': true, argon2: true });
    const env = node24Env(node24);
    await runOrThrow(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: temp, env }).catch(
      (err) => {
        throw new Error(`${err.message}\n${BUILD_HELP}`);
      },
    );
    const pkgDir = join(temp, 'node_modules', 'code-server');
    // An npm that skipped the postinstall (install scripts not approved) leaves lib/vscode without node_modules.
    if (!existsSync(join(pkgDir, 'lib', 'vscode', 'node_modules'))) {
      console.log('npm did not run code-server\'s postinstall: running it now');
      const agent = `npm/? node/${(await capture(node24.node, ['--version'])).trim()} ${process.platform} ${process.arch}`;
      // Its nested `npm install` must run the native modules' build scripts, whatever the npmrc says.
      const postinstallEnv = { ...env, npm_config_user_agent: agent, npm_config_ignore_scripts: 'false' };
      await runOrThrow('sh', ['./postinstall.sh'], { cwd: pkgDir, env: postinstallEnv });
    }
    console.log(dim(await verifyCodeServer(node24, pkgDir)));
  });
  const dir = join(final, 'node_modules', 'code-server');
  const vscode = readJson(join(dir, 'lib', 'vscode', 'package.json'));
  const product = readJson(join(dir, 'lib', 'vscode', 'product.json'));
  return {
    dir,
    entry: join(dir, 'out', 'node', 'entry.js'),
    version: readJson(join(dir, 'package.json')).version,
    vscodeVersion: vscode.version,
    commit: product.commit ?? '',
  };
}

const BUILD_HELP = `Installing code-server compiles native modules. It needs, on Debian/Ubuntu:
  sudo apt-get install -y build-essential python3 pkg-config libkrb5-dev
(see https://github.com/coder/code-server/blob/main/docs/npm.md)`;

/** code-server's native modules need a C++ toolchain, pkg-config and Kerberos headers; as root, install what is missing. */
async function ensureBuildTools() {
  const missing = [
    ['build-essential', ['/usr/bin/make', '/usr/bin/g++']],
    ['pkg-config', ['/usr/bin/pkg-config']],
    ['libkrb5-dev', ['/usr/include/krb5.h']],
  ].filter(([, files]) => !files.every((f) => existsSync(f))).map(([pkg]) => pkg);
  if (missing.length === 0 || !canApt()) return;
  console.log(`code-server's native build needs: ${missing.join(' ')}`);
  await aptInstall(missing);
}
