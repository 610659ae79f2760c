#!/usr/bin/env node
// Eval-detail view benchmark (issue 6, "Performance": the view with 10,000 samples opens in under a second), in
// headless Chromium and Node, side by side with a baseline in the same run:
//  1. Host: what the panel does before posting — read eval.json, both models' predictions and scores.json of a
//     10,000-sample run (bench/lib/evalRun.mjs) and build the view's data (src/core/eval buildDetail), then
//     serialise it as postMessage does (JSON).
//  2. Page: the real webview (webview/evalDetail/main.ts, bundled as the extension bundles it, stub acquireVsCodeApi):
//     from the message text to the first rows drawn (JSON parse, zod validation, search index, sort, the virtual
//     list's rows with their word diffs, layout and paint).
//  3. Baseline, same page and data: the naive view, every sample as a table row of plain text (no diffs, no scores).
//  4. Scrolling through the list, 400 px per frame for 240 frames: frame intervals.
//
//   node bench/evalView.bench.mjs [--samples 10000] [--rounds 5] [--markdown]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../scripts/lib/chromium.mjs';
import { writeEvalRun } from './lib/evalRun.mjs';
import { bundleForNode, flag } from './lib/nodeBench.mjs';
import { bundleForBrowser, closeBench, machine, ms, numberOption, root, stats, webviewPage } from './lib/webviewBench.mjs';

const SAMPLES = numberOption('--samples', 10_000);
const ROUNDS = numberOption('--rounds', 5);
const MARKDOWN = flag('--markdown');

const outDir = mkdtempSync(join(tmpdir(), 'eval-view-bench-'));
await bundleForBrowser(join(root, 'webview/evalDetail/main.ts'), join(outDir, 'evalDetail.js'));
const core = await bundleForNode(join(root, 'src/core/eval/index.ts'), join(outDir, 'eval.cjs'));

// ---- 1. host: read the run and build the message ------------------------------------------------------------------
const { dir } = writeEvalRun(outDir, { samples: SAMPLES, id: 'bench' });
const host = [];
let message = '';
for (let i = 0; i < ROUNDS; i++) {
  const t0 = performance.now();
  const files = new core.EvalRunFiles(dir);
  const meta = await files.readMeta();
  const [predictions, scores] = await Promise.all([files.readPredictions(meta), files.readScores()]);
  const detail = core.buildDetail(meta, predictions, scores, 'bench');
  message = JSON.stringify({ rpc: 'event', body: { type: 'detail', detail } });
  host.push(performance.now() - t0);
}

const { browser, page } = await launchBrowser();
const figures = { host: stats(host), messageMB: message.length / 1e6 };
try {
  // ---- 2. the real page, message → rows drawn ---------------------------------------------------------------------
  // One page for both sides, in turn: a page in a background tab gets one animation frame a second.
  const open = [];
  const baseline = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which side goes first; each on a fresh page.
    for (const side of i % 2 ? ['baseline', 'ours'] : ['ours', 'baseline']) {
      const p = page;
      await webviewPage(p);
      await p.evaluate((text) => { window.messageText = text; }, message);
      if (side === 'ours') {
        await p.addScriptTag({ path: join(outDir, 'evalDetail.js') });
        await p.evaluate(() => window.dispatchEvent(new MessageEvent('message', { data: { rpc: 'event', body: { type: 'strings', strings: {} } } })));
        open.push(await p.evaluate(async () => {
          const t0 = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(window.messageText) }));
          await window.nextFrame();
          if (!document.querySelector('.sample')) throw new Error('no rows were drawn');
          return performance.now() - t0;
        }));
      } else {
        baseline.push(await p.evaluate(async () => {
          const t0 = performance.now();
          const { detail } = JSON.parse(window.messageText).body;
          const body = document.createElement('tbody');
          for (const row of detail.rows) {
            const tr = document.createElement('tr');
            for (const text of [String(row.index + 1), row.prompt, row.label, ...row.answers.map((a) => a?.text ?? '')]) {
              const td = document.createElement('td');
              td.textContent = text;
              tr.append(td);
            }
            body.append(tr);
          }
          const table = document.createElement('table');
          table.append(body);
          document.getElementById('root').replaceChildren(table);
          await window.nextFrame();
          return performance.now() - t0;
        }));
      }
    }
  }
  figures.open = stats(open);
  figures.baseline = stats(baseline);

  // ---- 4. scrolling ---------------------------------------------------------------------------------------------
  // The last round may have left the baseline on the page: draw ours again to scroll it.
  await webviewPage(page);
  await page.evaluate((text) => { window.messageText = text; }, message);
  await page.addScriptTag({ path: join(outDir, 'evalDetail.js') });
  await page.evaluate(() => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(window.messageText) })));
  figures.rendered = await page.evaluate(() => document.querySelectorAll('.sample').length);
  const frames = await page.evaluate(async () => {
    const viewport = document.getElementById('rows');
    const out = [];
    let last = performance.now();
    for (let i = 0; i < 240; i++) {
      viewport.scrollTop += 400;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      out.push(now - last);
      last = now;
    }
    return out;
  });
  figures.scroll = stats(frames);
  figures.longFrames = frames.filter((f) => f > 50).length;
} finally {
  await closeBench(browser, outDir);
}

const date = new Date().toISOString().slice(0, 10);
const total = figures.host.p50 + figures.open.p50;
const ratio = figures.baseline.p50 / figures.open.p50;
console.log(`Eval-detail view, ${SAMPLES.toLocaleString('en')} samples × 2 models (message ${figures.messageMB.toFixed(1)} MB); ${machine(browser)}; ${date}`);
console.log(`  host: read the run + build the message (median of ${ROUNDS}): ${ms(figures.host.p50)} (max ${ms(figures.host.max)})`);
console.log(`  page: message → first rows drawn: ${ms(figures.open.p50)} (max ${ms(figures.open.max)}); ${figures.rendered} rows in the DOM`);
console.log(`  opens in ${ms(total)} (goal < 1000 ms)`);
console.log(`  baseline, every sample as a plain table row: ${ms(figures.baseline.p50)} → ${ratio.toFixed(1)}× slower than the virtualised view`);
console.log(`  scrolling 400 px a frame: frame interval p50 ${ms(figures.scroll.p50)}, p95 ${ms(figures.scroll.p95)}, ${figures.longFrames} of ${figures.scroll.n} frames over 50 ms`);
if (MARKDOWN) {
  console.log('\n| date | samples | host: read + build | page: message → rows drawn | opens in (goal < 1 s) | baseline: plain table of every row | ratio | scroll frame p95 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(`| ${date} | ${SAMPLES.toLocaleString('en')} × 2 models | ${ms(figures.host.p50)} | ${ms(figures.open.p50)} | **${ms(total)}** | ${ms(figures.baseline.p50)} | **${ratio.toFixed(1)}×** | ${ms(figures.scroll.p95)} (${figures.longFrames} of ${figures.scroll.n} over 50 ms) |`);
}
if (total >= 1000) process.exitCode = 1;
