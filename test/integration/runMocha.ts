// Runs the mocha suite files of one folder inside the VS Code extension host: the integration tier's and the
// security tier's entries (test/integration/index.ts, test/security/index.ts) both call it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function runMocha(suiteDir: string, what: string): Promise<void> {
  console.log(`Extension host: ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);

  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000, // activation and file I/O in a real host are slower than unit tests
    slow: 2_000,
    color: process.env.FINETUNE_TEST_COLOR === '1',
    reporter: 'spec',
  });

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
  if (failures > 0) throw new Error(`${failures} ${what} test(s) failed.`);
}
