// Child of test-integration.mjs: runs the suite in VS Code desktop through @vscode/test-electron.
// It lives in its own process (group) so the parent can end VS Code and all its helpers on
// timeout or Ctrl+C; test-electron itself spawns VS Code outside any group we control.
// Usage: node run-electron.mjs <json: { root, version, testsEntry, workspace, userDataDir, extensionsDir }>
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { root, version, testsEntry, workspace, userDataDir, extensionsDir } = JSON.parse(process.argv[2]);
const { runTests } = createRequire(join(root, 'package.json'))('@vscode/test-electron');

try {
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: testsEntry,
    launchArgs: [
      workspace,
      '--disable-extensions',
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${extensionsDir}`,
    ],
  });
  process.exit(0);
} catch (err) {
  // TestRunFailedError carries VS Code's exit code; anything else (a failed download) is an error too.
  console.error(err?.message ?? err);
  process.exit(typeof err?.code === 'number' && err.code !== 0 ? err.code : 1);
}
