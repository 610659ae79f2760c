// The layer rules of docs/architecture.md, checked on the sources themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { read, sourceFiles } from './sourceFiles';

const importsOf = (text: string) =>
  [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

function offenders(dir: string, bad: (specifier: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(read(file)).filter(bad).map((spec) => `${file} imports ${spec}`));
}

describe('layers', () => {
  it('finds imports (the checker itself works)', () => {
    assert.deepEqual(importsOf(`import * as vscode from 'vscode';\nconst x = require("vscode");\nawait import('./a');`), ['vscode', 'vscode', './a']);
  });

  it('src/core and src/shared never import vscode', () => {
    const isVscode = (s: string) => s === 'vscode';
    assert.deepEqual([...offenders('src/core', isVscode), ...offenders('src/shared', isVscode)], []);
  });

  it('src/shared uses no Node-only modules (webviews import it)', () => {
    assert.deepEqual(offenders('src/shared', (s) => s.startsWith('node:') || ['fs', 'path', 'child_process', 'os'].includes(s)), []);
  });

  it('src/core imports nothing from the extension-host layers', () => {
    assert.deepEqual(offenders('src/core', (s) => /(^|\/)(host|views|panels|backends|inference)\//.test(s)), []);
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
