#!/usr/bin/env node
// Loss-curve webview benchmark (issue 5, "Performance"), in headless Chromium:
//  1. A 200,000-point run (train loss + learning rate, checkpoints, eval every 1,000 steps) sent to the real page
//     (webview/lossCurve/main.ts, bundled as the extension bundles it, with a stub acquireVsCodeApi) as the host
//     sends it: time from the message to the chart drawn (validation, series, EMA, decimation, draw).
//  2. The same chart code (webview/lossCurve/chart.ts) drawing the same series with decimation on and off, side
//     by side in one page: the ratio is what decimation buys.
//  3. Live: a job appends 20 points a second for 10 s; the host sends each new point as it would a log that grew
//     (an 'append' message; the worst case: the host debounces to at most ~7 sends a second). Update times (message
//     to chart drawn) and frame intervals (requestAnimationFrame) during it.
//
//   node bench/curves.bench.mjs [--points 200000] [--rounds 5] [--live-base 2000] [--live-seconds 10] [--markdown]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../scripts/lib/chromium.mjs';
import { bundleForBrowser, closeBench, machine, ms, numberOption, root, stats, webviewPage } from './lib/webviewBench.mjs';

const POINTS = numberOption('--points', 200_000);
const ROUNDS = numberOption('--rounds', 5);
const LIVE_BASES = process.argv.includes('--live-base') ? [numberOption('--live-base', 2_000)] : [2_000, 50_000];
const LIVE_SECONDS = numberOption('--live-seconds', 10);
const MARKDOWN = process.argv.includes('--markdown');

// The page's script, and a harness exposing the chart code. A temp folder: other builds clean out/ at any time.
const outDir = mkdtempSync(join(tmpdir(), 'curves-bench-'));
await bundleForBrowser(join(root, 'webview/lossCurve/main.ts'), join(outDir, 'lossCurve.js'));
await bundleForBrowser({
  contents: `import { createLossChart, setRuns } from './webview/lossCurve/chart';
    import { series } from './webview/lossCurve/series';
    window.lossChart = { createLossChart, setRuns, series };`,
}, join(outDir, 'lossChartHarness.js'));

/** A deterministic run like the importers produce (steps 1..n, noisy decreasing loss). */
function makeRun(n) {
  return `(() => {
    const n = ${n};
    const train = new Array(n), learningRate = new Array(n), evals = [], checkpoints = [];
    for (let i = 0; i < n; i++) {
      const step = i + 1;
      train[i] = { step, epoch: step / (n / 4), loss: 2 * Math.exp(-step / (n / 5)) + 0.3 + 0.08 * Math.sin(step * 12.9898) };
      learningRate[i] = { step, value: 2e-4 * (1 - step / n) };
      if (step % 1000 === 0) evals.push({ step, epoch: step / (n / 4), loss: 2 * Math.exp(-step / (n / 5)) + 0.35 });
      if (step % 20000 === 0) checkpoints.push({ step, path: 'checkpoint-' + step });
    }
    return { fileName: 'bench/trainer_state.json', source: 'hf-trainer-state', train, eval: evals, learningRate, checkpoints,
      verdict: 'converged', reason: 'bench', advice: 'bench', bestStep: n, evidence: ['bench'], skippedLines: 0 };
  })()`;
}

const { browser, page } = await launchBrowser();
const figures = {};
try {
  // ---- 1. the real page, end to end -------------------------------------------------------------------------
  await webviewPage(page);
  await page.addScriptTag({ path: join(outDir, 'lossCurve.js') });
  await page.evaluate(() => window.fromHost({ type: 'strings', strings: {} }));
  const e2e = await page.evaluate(async ({ runSource, rounds }) => {
    const run = (0, eval)(runSource);
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      window.fromHost({ type: 'run', id: 'r' + (i % 2), label: 'bench', colour: 0, run });
      await window.nextFrame();
      times.push(performance.now() - t0);
      window.fromHost({ type: 'removed', id: 'r' + (i % 2) });
    }
    return times;
  }, { runSource: makeRun(POINTS), rounds: ROUNDS });
  figures.e2e = stats(e2e);

  // ---- 2. decimation on vs off, same chart code, same series ---------------------------------------------------
  const page2 = await page.context().newPage();
  await webviewPage(page2);
  await page2.addScriptTag({ path: join(outDir, 'lossChartHarness.js') });
  const drawing = await page2.evaluate(async ({ runSource, rounds }) => {
    const run = (0, eval)(runSource);
    const { createLossChart, setRuns, series } = window.lossChart;
    const labels = { raw: 'raw', smoothed: 'smoothed', eval: 'eval', lr: 'lr', checkpoints: 'ckpt', x: 'step', loss: 'loss' };
    const shown = { raw: true, eval: true, lr: true, checkpoints: true };
    const result = { on: [], off: [] };
    for (let i = 0; i < rounds; i++) {
      for (const mode of i % 2 ? ['off', 'on'] : ['on', 'off']) {
        const box = document.createElement('div');
        box.className = 'chart loss-chart';
        const canvas = document.createElement('canvas');
        box.append(canvas);
        document.getElementById('root').replaceChildren(box);
        const chart = createLossChart(canvas, { decimation: mode === 'on' });
        const s = series(run, 0.9, false);
        const t0 = performance.now();
        setRuns(chart, [{ id: 'a', label: 'bench', colour: 0, series: s }], shown, labels);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        result[mode].push(performance.now() - t0);
        chart.destroy();
      }
    }
    return result;
  }, { runSource: makeRun(POINTS), rounds: ROUNDS });
  figures.on = stats(drawing.on);
  figures.off = stats(drawing.off);
  await page2.close();

  // ---- 3. live appends -------------------------------------------------------------------------------------------
  figures.live = [];
  for (const base of LIVE_BASES) {
    const live = await page.evaluate(async ({ runSource, seconds }) => {
      const run = (0, eval)(runSource);
      const last = () => run.train[run.train.length - 1];
      const frames = [];
      let running = true;
      let prev = performance.now();
      const tick = (now) => { frames.push(now - prev); prev = now; if (running) requestAnimationFrame(tick); };
      window.fromHost({ type: 'run', id: 'live', label: 'live', colour: 1, run });
      await window.nextFrame();
      requestAnimationFrame((now) => { prev = now; requestAnimationFrame(tick); });
      const updates = [];
      const start = performance.now();
      for (let i = 0; i < seconds * 20; i++) {
        // As the host sends a log that grew: only the new points, with the diagnosis of the whole run.
        const step = last().step + 1 + i;
        const tail = {
          train: [{ step, epoch: step / 1000, loss: 0.3 + 0.05 * Math.sin(step) }], eval: [], learningRate: [{ step, value: 1e-4 }], checkpoints: [],
          verdict: 'still_improving', reason: 'bench', advice: 'bench', evidence: ['bench'], skippedLines: 0,
        };
        updates.push(window.fromHost({ type: 'append', id: 'live', tail }));
        const due = start + (i + 1) * 50;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      }
      running = false;
      window.fromHost({ type: 'removed', id: 'live' });
      return { updates, frames: frames.slice(1), wall: performance.now() - start };
    }, { runSource: makeRun(base), seconds: LIVE_SECONDS });
    figures.live.push({ base, updates: stats(live.updates), frames: stats(live.frames), longFrames: live.frames.filter((f) => f > 50).length, frameCount: live.frames.length, wall: live.wall });
  }
} finally {
  await closeBench(browser, outDir);
}

const date = new Date().toISOString().slice(0, 10);
const ratio = figures.off.p50 / figures.on.p50;
console.log(`Loss-curve webview, ${POINTS.toLocaleString('en')} points; ${machine(browser)}; ${date}`);
console.log(`  message → drawn (real page, median of ${ROUNDS}): ${ms(figures.e2e.p50)} (max ${ms(figures.e2e.max)})  goal < 300 ms`);
console.log(`  chart update + draw: decimation on ${ms(figures.on.p50)}, off ${ms(figures.off.p50)}  → ${ratio.toFixed(1)}× faster with decimation`);
for (const l of figures.live) {
  console.log(`  live, ${l.base.toLocaleString('en')}-point run + 20 points/s for ${LIVE_SECONDS} s: update p50 ${ms(l.updates.p50)} p95 ${ms(l.updates.p95)} max ${ms(l.updates.max)}; ` +
    `frame interval p50 ${ms(l.frames.p50)} p95 ${ms(l.frames.p95)}; ${l.longFrames} of ${l.frameCount} frames over 50 ms`);
}
if (MARKDOWN) {
  console.log('\n| date | points | message → drawn (goal < 300 ms) | draw, decimation on | draw, decimation off | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(`| ${date} | ${POINTS.toLocaleString('en')} | **${ms(figures.e2e.p50)}** (max ${ms(figures.e2e.max)}) | ${ms(figures.on.p50)} | ${ms(figures.off.p50)} | **${ratio.toFixed(1)}×** |`);
  console.log('\n| live run | update p50 | update p95 | frame interval p50 | frame interval p95 | frames over 50 ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const l of figures.live) {
    console.log(`| ${l.base.toLocaleString('en')} points + 20/s for ${LIVE_SECONDS} s | ${ms(l.updates.p50)} | **${ms(l.updates.p95)}** | ${ms(l.frames.p50)} | **${ms(l.frames.p95)}** | ${l.longFrames} of ${l.frameCount} |`);
  }
}
process.exit(0);
