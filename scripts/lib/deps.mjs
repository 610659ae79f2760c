// npm dependencies and the esbuild build of the repository.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, dim } from './common.mjs';
import { runOrThrow } from './proc.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// onnxruntime-node's install script downloads CUDA files, which fails offline; the CPU binaries ship in the package.
const npmEnv = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

/** Hash of the lockfile recorded in node_modules after an install we ran, to skip the next one. */
const STAMP = '.finetune-lock-hash';

function lockHash(lockfile) {
  return createHash('sha256').update(readFileSync(lockfile)).digest('hex');
}

/**
 * Makes node_modules match the lockfile: `npm ci` when node_modules is missing or older than
 * package-lock.json, `npm install` when there is no lockfile and no node_modules.
 */
export async function ensureDeps(root = repoRoot) {
  const lockfile = join(root, 'package-lock.json');
  const modules = join(root, 'node_modules');
  if (!existsSync(lockfile)) {
    if (existsSync(modules)) return; // nothing to compare against: trust what is there
    console.log('node_modules is missing: npm install');
    await runOrThrow(npm, ['install'], { cwd: root, env: npmEnv });
    return;
  }
  const hash = lockHash(lockfile);
  const stamp = join(modules, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    console.log(dim('node_modules matches package-lock.json'));
    return;
  }
  // npm's own record of what it installed; newer than the lockfile means it is up to date.
  const hidden = join(modules, '.package-lock.json');
  const fresh = existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(lockfile).mtimeMs - 1000;
  if (!fresh) {
    console.log(existsSync(modules) ? 'node_modules is older than package-lock.json: npm ci' : 'node_modules is missing: npm ci');
    await runOrThrow(npm, ['ci'], { cwd: root, env: npmEnv });
  } else {
    console.log(dim('node_modules matches package-lock.json'));
  }
  writeFileSync(stamp, hash);
}

/** Builds the extension, and unless `tests: false` the test bundles too (`node esbuild.mjs --tests`). */
export async function ensureBuild({ tests = true } = {}, root = repoRoot) {
  await runOrThrow(process.execPath, ['esbuild.mjs', ...(tests ? ['--tests'] : [])], { cwd: root });
}
