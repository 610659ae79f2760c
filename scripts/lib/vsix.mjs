// Builds the installable .vsix with @vscode/vsce (`npm run package`): the production bundles (vscode:prepublish),
// and only what .vscodeignore lets through. Everything the extension runs is bundled into dist/ except
// onnxruntime-node (native), which the production build copies into dist/node_modules for this platform alone: the
// package is per platform (`--target linux-x64`, the machine's own), so no root node_modules (--no-dependencies).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { packageJson, repoRoot, tempDir } from './common.mjs';
import { capture, runOrThrow } from './proc.mjs';

const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
/** What must never ship: sources, maps, tests, benches, scripts, examples, the trainer's tests. */
const NOT_SHIPPED = [/^src\//, /^test\//, /^bench\//, /^scripts\//, /^examples\//, /^webview\//, /\.map$/, /\.ts$/, /^trainer\/tests\//, /^node_modules\//];

/** The files the package holds, as `vsce ls` lists them; throws when one of them should not ship. */
export async function vsixFiles(root = repoRoot) {
  const stdout = await capture(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root });
  const files = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const wrong = files.filter((f) => NOT_SHIPPED.some((re) => re.test(f)));
  if (wrong.length > 0) throw new Error(`the .vsix would ship files it must not: ${wrong.join(', ')} (fix .vscodeignore)`);
  if (!files.includes('dist/extension.js')) throw new Error('the .vsix would not hold dist/extension.js');
  if (!files.some((f) => f.endsWith('onnxruntime_binding.node'))) throw new Error('the .vsix would not hold onnxruntime-node\'s binary (local models in the trial chat)');
  return files;
}

/** Packages the extension into `outDir` (a temp folder by default); returns its path, size and file count. */
export async function buildVsix({ root = repoRoot, outDir = tempDir('vsix') } = {}) {
  const { name, version } = packageJson(root);
  const file = join(outDir, `${name}-${version}.vsix`);
  await runOrThrow(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--target', vsixTarget(), '--out', file], { cwd: root });
  const files = await vsixFiles(root);
  return { file, bytes: statSync(file).size, files: files.length };
}

/** vsce's name for this machine's platform: linux-x64, darwin-arm64, win32-x64… */
export function vsixTarget() {
  return `${process.platform}-${process.arch}`;
}
