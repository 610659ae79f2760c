// One build script, one esbuild context per target:
//   extension (node, CommonJS) · workers (node) · CLI (node) · webviews (browser) · tests (node).
// Flags: --watch (rebuild on change, with problem-matcher output), --production (minify, no sourcemaps),
//        --tests (also build the unit and integration test bundles into out/).
import * as esbuild from 'esbuild';
import { cpSync, readdirSync, rmSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { join } from 'node:path';
import { writeFtjobSchema } from './scripts/ftjob-schema.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests') || watch;

/** Prints start/finish lines and errors in the format of the `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [problemMatcher],
};

// Native and host-provided modules are never bundled. ssh2's optional native parts (cpu-features, sshcrypto.node)
// stay out too: ssh2 loads them in a try and falls back to its pure JavaScript crypto when they are absent.
const nodeExternal = ['vscode', 'onnxruntime-node', 'mocha', 'playwright-core', 'cpu-features', '*.node'];
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternal };

/** Every file under `dir` (recursively) whose name ends with `suffix`. */
function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

/** Webview entry points: webview/<name>/main.ts → dist/webview/<name>.js */
const webviewEntries = Object.fromEntries(
  readdirSync('webview', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
    .map((d) => [d.name, join('webview', d.name, 'main.ts')]),
);

const targets = [
  // The banner notes when the bundle starts loading, so the reported activation time includes module loading.
  {
    ...node,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    banner: { js: 'globalThis.__finetuneLoadStart = performance.now();' },
  },
  {
    ...node,
    entryPoints: {
      'workers/dataset': 'src/workers/datasetWorker.ts',
      'workers/tokens': 'src/workers/tokenWorker.ts',
      'workers/metrics': 'src/workers/metricsWorker.ts',
      'workers/curves': 'src/workers/curvesWorker.ts',
      'workers/generate': 'src/workers/generateWorker.ts',
      'workers/lintLines': 'src/workers/lintLinesWorker.ts',
    },
    outdir: 'dist',
  },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
    entryPoints: { ...webviewEntries, 'webview-common': 'webview/common/styles.css' },
    outdir: 'dist/webview',
  },
];

if (withTests) {
  targets.push(
    // Unit tests: one bundle per test file so `node --test` reports each file on its own.
    {
      ...node,
      entryPoints: findFiles('test/unit', '.test.ts'),
      outbase: 'test/unit',
      outdir: 'out/test/unit',
    },
    // Integration tests: the runner entry the VS Code extension host loads, and one bundle per suite file.
    {
      ...node,
      entryPoints: ['test/integration/index.ts', ...findFiles('test/integration/suite', '.test.ts')],
      outbase: 'test/integration',
      outdir: 'out/test/integration',
    },
    // The backends tier: node tests against a real sshd and Slurm on loopback (scripts/test-backends.mjs).
    {
      ...node,
      entryPoints: findFiles('test/backends', '.test.ts'),
      outbase: 'test/backends',
      outdir: 'out/test/backends',
    },
    // The security tier's suite, run in VS Code against a hostile clone (scripts/test-security.mjs).
    {
      ...node,
      entryPoints: ['test/security/index.ts', ...findFiles('test/security/suite', '.test.ts')],
      outbase: 'test/security',
      outdir: 'out/test/security',
    },
  );
}

if (!watch) {
  rmSync('dist', { recursive: true, force: true });
  if (withTests) rmSync('out', { recursive: true, force: true });
}

// Data the bundles read at run time: Python jieba's dictionary and HMM tables for src/core/metrics, kept compressed
// in assets/jieba/ and unpacked into dist/jieba/ (plain text loads faster; the .vsix compresses it again).
mkdirSync('dist/jieba', { recursive: true });
writeFileSync('dist/jieba/jieba-0.42.1.txt', brotliDecompressSync(readFileSync('assets/jieba/jieba-0.42.1.txt.br')));
writeFileSync('dist/jieba/LICENSE', readFileSync('assets/jieba/LICENSE'));

// The installable package (--production, what `vsce package` builds): onnxruntime-node stays external (native) and is
// copied into dist/node_modules for this machine's platform only, where the generate worker finds it; with
// `--target <platform>` (scripts/lib/vsix.mjs) each platform's .vsix carries its own binary (45 MB for linux-x64).
if (production) copyOnnxRuntime();

function copyOnnxRuntime() {
  const copy = (from, to, filter = () => true) => cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') && filter(src) });
  const node = 'node_modules/onnxruntime-node';
  const out = 'dist/node_modules/onnxruntime-node';
  const binary = join(node, 'bin', 'napi-v6', process.platform, process.arch);
  if (!existsSync(binary)) throw new Error(`onnxruntime-node has no binary for ${process.platform}-${process.arch} (${binary})`);
  copy(join(node, 'package.json'), join(out, 'package.json'));
  copy(join(node, 'dist'), join(out, 'dist'));
  copy(binary, join(out, 'bin', 'napi-v6', process.platform, process.arch));
  copy('node_modules/onnxruntime-common/package.json', 'dist/node_modules/onnxruntime-common/package.json');
  copy('node_modules/onnxruntime-common/dist/cjs', 'dist/node_modules/onnxruntime-common/dist/cjs');
}

// schemas/ftjob.schema.json (shipped, for *.ftjob.json completion) follows the zod JobSpec.
await writeFtjobSchema();

const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) process.exit(1);
}
