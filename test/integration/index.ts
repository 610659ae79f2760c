// Entry the VS Code extension host loads for the integration tests (`extensionTestsPath`).
// Bundled by esbuild into out/test/integration/index.js; mocha and vscode stay external.
// Output goes through console.log, which reaches the terminal in both runners: VS Code desktop
// pipes it to stdout, code-server's workbench forwards it to scripts/test-integration.mjs.
import * as path from 'node:path';
import { runMocha } from './runMocha';

export function run(): Promise<void> {
  return runMocha(path.join(__dirname, 'suite'), 'integration');
}
