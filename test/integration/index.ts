// Entry the VS Code extension host loads for the integration tests (`extensionTestsPath`).
// Bundled by esbuild into out/test/integration/index.js; mocha and vscode stay external.
// Output goes through console.log, which reaches the terminal in both runners: VS Code desktop
// pipes it to stdout, code-server's workbench forwards it to scripts/test-integration.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  console.log(`Extension host: ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);

  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000, // activation and file I/O in a real host are slower than unit tests
    slow: 2_000,
    color: process.env.FINETUNE_TEST_COLOR === '1',
    reporter: 'spec',
  });

  const suiteDir = path.join(__dirname, 'suite');
  // FINETUNE_TEST_FILES=jobs,views runs only the suite files whose names contain one of the words (for development).
  const only = (process.env.FINETUNE_TEST_FILES ?? '').split(',').filter(Boolean);
  const files = (fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort() : []).filter(
    (f) => only.length === 0 || only.some((word) => f.includes(word)),
  );
  if (files.length === 0) throw new Error(`No *.test.js files in ${suiteDir}: nothing to run.`);
  for (const file of files) mocha.addFile(path.join(suiteDir, file));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err); // a suite file that throws while loading
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
