#!/usr/bin/env node
// Makes <dest> a fresh copy of examples/wuxia-doctor (for the "Extension Tests" launch config,
// whose tests may write into their workspace). Usage: node scripts/test-workspace.mjs <dest>
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './lib/common.mjs';
import { ensureExampleTokenizer } from './lib/example-tokenizer.mjs';

const dest = process.argv[2] && resolve(process.argv[2]);
if (!dest) {
  console.error('usage: node scripts/test-workspace.mjs <dest>');
  process.exit(2);
}
const example = join(repoRoot, 'examples', 'wuxia-doctor');
rmSync(dest, { recursive: true, force: true });
if (existsSync(example)) cpSync(example, dest, { recursive: true });
else mkdirSync(dest, { recursive: true });
ensureExampleTokenizer(dest);
console.log(`${dest} is a fresh copy of ${example}`);
