// The layer rules of ../shared/docs/architecture.md (and the README's Layout section), checked on the sources themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { read, sourceFiles } from './sourceFiles';

const importsOf = (text: string) =>
  [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

function offenders(dir: string, bad: (specifier: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(read(file)).filter(bad).map((spec) => `${file} imports ${spec}`));
}

/** Each relative import of the files under `dir`, resolved to a repository path without extension. */
function resolvedImports(dir: string): { file: string; target: string }[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(read(file)).filter((s) => s.startsWith('.')).map((spec) => ({ file, target: posix.normalize(posix.join(posix.dirname(file.split(sep).join('/')), spec)) })),
  );
}

/** Imports from `dir` that reach outside the given folders. */
function targetsOutside(dir: string, allowed: string[]): string[] {
  return resolvedImports(dir).filter(({ target }) => !allowed.some((a) => target === a || target.startsWith(`${a}/`))).map(show);
}

const show = ({ file, target }: { file: string; target: string }) => `${file} imports ${target}`;

/**
 * A feature may import those of lower rank (through their entry): eval and chat stand side by side on jobs; models
 * on eval (a fine-tuned model's scores, an export's parity gate); deploy on models and chat.
 */
const FEATURE_RANK: Record<string, number> = { tokens: 0, dataset: 1, curves: 2, jobs: 3, eval: 4, chat: 4, models: 5, deploy: 6 };

function featureOf(p: string): string | undefined {
  return /^src\/features\/([^/]+)/.exec(p.split(sep).join('/'))?.[1];
}

describe('layers', () => {
  it('finds imports (the checker itself works)', () => {
    assert.deepEqual(importsOf(`import * as vscode from 'vscode';\nconst x = require("vscode");\nawait import('./a');`), ['vscode', 'vscode', './a']);
  });

  it('src/core, src/shared, src/backends and src/inference never import vscode', () => {
    const isVscode = (s: string) => s === 'vscode';
    assert.deepEqual(['src/core', 'src/shared', 'src/backends', 'src/inference'].flatMap((dir) => offenders(dir, isVscode)), []);
  });

  it('src/shared uses no Node-only modules (webviews import it)', () => {
    assert.deepEqual(offenders('src/shared', (s) => s.startsWith('node:') || ['fs', 'path', 'child_process', 'os'].includes(s)), []);
  });

  it('src/core imports nothing from the editor, backend or inference layers', () => {
    assert.deepEqual(targetsOutside('src/core', ['src/core', 'src/shared']), []);
  });

  it('src/backends and src/inference import only core, shared and themselves', () => {
    assert.deepEqual([
      ...targetsOutside('src/backends', ['src/backends', 'src/core', 'src/shared']),
      ...targetsOutside('src/inference', ['src/inference', 'src/core', 'src/shared']),
    ], []);
  });

  it('src/platform knows no feature', () => {
    assert.deepEqual(resolvedImports('src/platform').filter(({ target }) => target.startsWith('src/features/')).map(show), []);
  });

  it('a feature uses another only through its entry, one way: deploy → models → eval → jobs → curves → dataset → tokens, chat on jobs', () => {
    const features = readdirSync('src/features');
    assert.deepEqual([...features].sort(), Object.keys(FEATURE_RANK).sort(), 'every feature folder has its place in the order');
    const bad = resolvedImports('src/features').filter(({ file, target }) => {
      const from = featureOf(file);
      const to = featureOf(target);
      if (!to || to === from) return false;
      const throughEntry = target === `src/features/${to}` || target === `src/features/${to}/index`;
      return !throughEntry || !(FEATURE_RANK[to]! < FEATURE_RANK[from!]!);
    });
    assert.deepEqual(bad.map(show), []);
  });

  it('no feature names a file of a run folder: only src/backends knows what one holds', () => {
    const runFiles = /trainer\.log|exit_code|checkpoint-|['"`](events\.jsonl|config\.json)['"`]/;
    assert.deepEqual(sourceFiles('src/features').filter((f) => runFiles.test(read(f))), []);
  });

  it('no folder under src/ holds more than 15 source files', () => {
    const crowded = readdirSync('src', { recursive: true }).map(String).map((d) => join('src', d)).filter((d) => statSync(d).isDirectory())
      .map((d) => ({ d, n: readdirSync(d).filter((f) => f.endsWith('.ts')).length })).filter(({ n }) => n > 15);
    assert.deepEqual(crowded, []);
  });

  it('webview/ imports only src/shared, its own code and browser packages', () => {
    const bad = (s: string) => s.startsWith('.') && s.includes('/src/') && !s.includes('/src/shared/');
    assert.deepEqual(offenders('webview', (s) => bad(s) || s === 'vscode' || s.startsWith('node:')), []);
  });

  it('zod is imported as a namespace, so bundles keep only what they use (the named import pulls in all of zod)', () => {
    const named = [...sourceFiles('src'), ...sourceFiles('webview')].filter((f) => /import\s*\{\s*z\s*\}\s*from\s*'zod'/.test(read(f)));
    assert.deepEqual(named, []);
  });

  it('webviews never turn strings into HTML', () => {
    const html = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(|\.html\s*=\s*`/;
    const hits = sourceFiles('webview').filter((f) => html.test(read(f)));
    assert.deepEqual(hits, []);
  });
});
