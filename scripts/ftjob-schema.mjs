// Writes schemas/ftjob.schema.json (the JSON schema of `*.ftjob.json` job specs) from the zod JobSpec, through
// src/core/jobs/specSchema.ts bundled in memory. Run by esbuild.mjs on every build; `node scripts/ftjob-schema.mjs`
// runs it alone. test/unit/jobs/jobSpec.test.ts checks that the committed file is up to date.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Regenerates the schema file; true when its content changed. */
export async function writeFtjobSchema() {
  const built = await esbuild.build({
    entryPoints: [join(root, 'src/core/jobs/specSchema.ts')],
    bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  const { ftjobJsonSchemaText, FTJOB_SCHEMA_PATH } = module.exports;
  const target = join(root, FTJOB_SCHEMA_PATH);
  const text = ftjobJsonSchemaText();
  let old = '';
  try { old = readFileSync(target, 'utf8'); } catch { /* first build */ }
  if (old === text) return false;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log((await writeFtjobSchema()) ? 'wrote schemas/ftjob.schema.json' : 'schemas/ftjob.schema.json is up to date');
}
