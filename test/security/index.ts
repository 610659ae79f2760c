// Entry the VS Code extension host loads for the security tier's suite (scripts/test-security.mjs), which opens a
// hostile clone: in Restricted Mode first, then trusted. Bundled into out/test/security/index.js.
import * as path from 'node:path';
import { runMocha } from '../integration/runMocha';

export function run(): Promise<void> {
  return runMocha(path.join(__dirname, 'suite'), 'security');
}
