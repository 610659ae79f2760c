// Shared by the webview benchmarks (bench/*.bench.mjs that measure a page in headless Chromium): command-line
// options, bundling a webview as esbuild.mjs does, a bare page standing in for VS Code's webview, percentiles, and
// the report's machine line and clean-up.
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { cleanup } from '../../scripts/lib/proc.mjs';
import { root } from './nodeBench.mjs';

export { numberOption, root } from './nodeBench.mjs';

/** Bundles a browser entry (a file, or esbuild `stdin` options) to `outfile` with the webviews' build settings. */
export async function bundleForBrowser(entry, outfile) {
  const input = typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { resolveDir: root, loader: 'ts', ...entry } };
  await esbuild.build({ ...input, bundle: true, platform: 'browser', format: 'iife', target: ['chrome120'], minify: true, logLevel: 'error', outfile });
}

/**
 * Turns `page` into a bare webview: the shared stylesheet, an empty #root, and a stub acquireVsCodeApi whose posted
 * messages collect in `window.posted`. `window.fromHost(body)` delivers a host message as VS Code does (a window
 * message event) and returns the synchronous handling time; `window.nextFrame()` resolves after the next paint.
 */
export async function webviewPage(page) {
  await page.setContent('<!DOCTYPE html><html><body class="vscode-dark"><main id="root"></main></body></html>');
  await page.addStyleTag({ content: readFileSync(join(root, 'webview/common/styles.css'), 'utf8') });
  await page.evaluate(() => {
    window.posted = [];
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => {} });
    window.fromHost = (body) => {
      const t0 = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: { rpc: 'event', body } }));
      return performance.now() - t0;
    };
    window.nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  });
}

/** p50, p95 and max of some timings. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1], n: s.length };
}

/** Closes the browser, ends what scripts/lib/proc.mjs started (Chromium) and removes the benchmark's temp folder. */
export async function closeBench(browser, outDir) {
  await browser.close().catch(() => {});
  await cleanup();
  rmSync(outDir, { recursive: true, force: true });
}

/** `N cores, CPU, Node, Chromium, load` for the report's first line. */
export const machine = (browser) =>
  `${cpus().length} cores, ${cpus()[0]?.model.trim()}, Node ${process.version}, Chromium ${browser.version()}, load ${loadavg()[0].toFixed(2)}`;

export const ms = (x) => `${x.toFixed(1)} ms`;
