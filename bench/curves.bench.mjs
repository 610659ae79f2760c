#!/usr/bin/env node
// Loss-curve benchmark (issue 5, "Performance"; issue 15, "Left from earlier work"), in Node and headless Chromium:
//  0. A 200,000-step LLaMA-Factory trainer_log.jsonl, end to end: the worker's read and diagnosis, the message to the
//     page (its bytes) and the page drawing it. Opened: the decimated overview (growingLog.ts + run.ts) against the
//     whole run as sent before; grown by 100 steps: the read from the last offset against a whole reread (with the
//     host's runTail and an 'append' message, as before). Same file, same run, as ratios.
//  1. A 200,000-point run (train loss + learning rate, checkpoints, eval every 1,000 steps) sent to the real page
//     (webview/lossCurve/main.ts, bundled as the extension bundles it, with a stub acquireVsCodeApi) as the host
//     sends it: time from the message to the chart drawn (validation, series, EMA, decimation, draw).
//  2. The same chart code (webview/lossCurve/chart.ts) drawing the same series with decimation on and off, side
//     by side in one page: the ratio is what decimation buys.
//  3. Live: a job appends 20 points a second for 10 s; the host sends each new point as it would a log that grew
//     (an 'append' message; the worst case: the host debounces to at most ~7 sends a second). Update times (message
//     to chart drawn) and frame intervals (requestAnimationFrame) during it.
//
//   node bench/curves.bench.mjs [--points 200000] [--rounds 5] [--live-base 2000] [--live-seconds 10]
//     [--log-steps 200000] [--log-rounds 3] [--only-log] [--markdown]
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../scripts/lib/chromium.mjs';
import { bundleForBrowser, closeBench, machine, ms, numberOption, root, stats, webviewPage } from './lib/webviewBench.mjs';
import { bundleForNode } from './lib/nodeBench.mjs';

const POINTS = numberOption('--points', 200_000);
const ROUNDS = numberOption('--rounds', 5);
const LIVE_BASES = process.argv.includes('--live-base') ? [numberOption('--live-base', 2_000)] : [2_000, 50_000];
const LIVE_SECONDS = numberOption('--live-seconds', 10);
const MARKDOWN = process.argv.includes('--markdown');
const LOG_STEPS = numberOption('--log-steps', 200_000);
const LOG_ROUNDS = numberOption('--log-rounds', 3);
const ONLY_LOG = process.argv.includes('--only-log');

// The page's script, and a harness exposing the chart code. A temp folder: other builds clean out/ at any time.
const outDir = mkdtempSync(join(tmpdir(), 'curves-bench-'));
await bundleForBrowser(join(root, 'webview/lossCurve/main.ts'), join(outDir, 'lossCurve.js'));
await bundleForBrowser({
  contents: `import { createLossChart, setRuns } from './webview/lossCurve/chart';
    import { series } from './webview/lossCurve/series';
    window.lossChart = { createLossChart, setRuns, series };`,
}, join(outDir, 'lossChartHarness.js'));

const core = await bundleForNode({
  contents: `export { GrowingLog } from './src/core/curves/growingLog';
    export { toRun } from './src/core/curves/run';
    export { importCurves } from './src/core/curves/importers';
    export { runTail } from './src/shared/protocol/lossCurve';`,
}, join(outDir, 'curvesCore.cjs'));

/** One line of a LLaMA-Factory trainer_log.jsonl, as it writes them. */
function logLine(step, total) {
  const lr = 2e-4 * (1 - step / total);
  return JSON.stringify({
    current_steps: step, total_steps: total, loss: Number((2 * Math.exp(-step / 40_000) + 0.3 + 0.08 * Math.sin(step * 12.9898)).toFixed(4)),
    eval_loss: null, predict_loss: null, reward: null, accuracy: null, lr, learning_rate: lr, epoch: Number((step / 50_000).toFixed(2)),
    percentage: Number((step * 100 / total).toFixed(2)), elapsed_time: '1:23:45', remaining_time: '2:34:56',
  }) + '\n';
}

/** The run as the host sent it before this change: every point (the overview's fields without decimation). */
function wholeRun(curves, skipped) {
  const run = core.toRun('bench/trainer_log.jsonl', curves, skipped, 'en');
  delete run.fullPoints;
  run.train = curves.train.map((p) => ({ step: p.step, ...(p.epoch !== undefined ? { epoch: p.epoch } : {}), loss: Number.isFinite(p.loss) ? p.loss : null }));
  run.learningRate = curves.learningRate.filter((p) => Number.isFinite(p.value));
  return run;
}

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
  // ---- 0. a 200,000-step log, end to end: worker → message → page ----------------------------------------------
  {
    const log = join(outDir, 'trainer_log.jsonl');
    await webviewPage(page);
    await page.addScriptTag({ path: join(outDir, 'lossCurve.js') });
    await page.evaluate(() => window.fromHost({ type: 'strings', strings: {} }));
    /** The page gets a message (parsed from its JSON, as postMessage would clone it) and draws: ms. */
    const pageTime = (message) => page.evaluate(async (json) => {
      const t0 = performance.now();
      window.fromHost(JSON.parse(json));
      await window.nextFrame();
      return performance.now() - t0;
    }, message);
    const rows = { openNew: [], openOld: [], appendNew: [], appendOld: [], bytes: {} };
    for (let round = 0; round < LOG_ROUNDS; round++) {
      let text = '';
      for (let step = 1; step <= LOG_STEPS; step++) text += logLine(step, 2 * LOG_STEPS);
      writeFileSync(log, text);
      text = '';
      const id = 'log' + round;
      // Opened, now: the worker reads the file (keeping its offset), diagnoses, decimates; the page draws the overview.
      let t0 = performance.now();
      const growing = new core.GrowingLog(log);
      let read = growing.read();
      let message = JSON.stringify({ type: 'run', id, label: 'bench', colour: 0, run: core.toRun('bench/trainer_log.jsonl', read.curves, read.skipped.length, 'en') });
      let host = performance.now() - t0;
      rows.openNew.push({ host, page: await pageTime(message) });
      rows.bytes.openNew = message.length;
      await page.evaluate((i) => window.fromHost({ type: 'removed', id: i }), id);
      // Opened, before: the whole file read and every point sent.
      t0 = performance.now();
      read = core.importCurves(log, readFileSync(log, 'utf8'));
      let before = wholeRun(read.curves, read.skipped.length);
      message = JSON.stringify({ type: 'run', id, label: 'bench', colour: 0, run: before });
      host = performance.now() - t0;
      rows.openOld.push({ host, page: await pageTime(message) });
      rows.bytes.openOld = message.length;
      // 100 more steps.
      let more = '';
      for (let step = LOG_STEPS + 1; step <= LOG_STEPS + 100; step++) more += logLine(step, 2 * LOG_STEPS);
      appendFileSync(log, more);
      // Grown, before: a whole reread and diagnosis, the host's runTail, an 'append' of the new points.
      t0 = performance.now();
      read = core.importCurves(log, readFileSync(log, 'utf8'));
      const after = wholeRun(read.curves, read.skipped.length);
      message = JSON.stringify({ type: 'append', id, tail: core.runTail(before, after) });
      host = performance.now() - t0;
      rows.appendOld.push({ host, page: await pageTime(message) });
      rows.bytes.appendOld = message.length;
      await page.evaluate((i) => window.fromHost({ type: 'removed', id: i }), id);
      before = undefined;
      // Grown, now: the page has the overview; the worker reads the 100 lines, diagnoses, sends the new overview.
      await pageTime(JSON.stringify({ type: 'run', id, label: 'bench', colour: 0, run: core.toRun('bench/trainer_log.jsonl', growing.read().curves, 0, 'en') }));
      appendFileSync(log, more.replace(/"current_steps": (\d+)/g, (_m, s) => `"current_steps": ${Number(s) + 100}`));
      t0 = performance.now();
      read = growing.read();
      if (growing.lastRead.kind !== 'append') throw new Error(`expected an append read, got ${growing.lastRead.kind}`);
      message = JSON.stringify({ type: 'run', id, label: 'bench', colour: 0, run: core.toRun('bench/trainer_log.jsonl', read.curves, read.skipped.length, 'en') });
      host = performance.now() - t0;
      rows.appendNew.push({ host, page: await pageTime(message) });
      rows.bytes.appendNew = message.length;
      await page.evaluate((i) => window.fromHost({ type: 'removed', id: i }), id);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const sum = (list) => ({ host: med(list.map((r) => r.host)), page: med(list.map((r) => r.page)), total: med(list.map((r) => r.host + r.page)) });
    figures.log = {
      mb: readFileSync(log).length / 1e6,
      openNew: sum(rows.openNew), openOld: sum(rows.openOld), appendNew: sum(rows.appendNew), appendOld: sum(rows.appendOld), bytes: rows.bytes,
    };
  }
  if (ONLY_LOG) throw Object.assign(new Error('only the log section'), { onlyLog: true });

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
} catch (err) {
  if (!err.onlyLog) throw err;
} finally {
  await closeBench(browser, outDir);
}

const date = new Date().toISOString().slice(0, 10);
const L = figures.log;
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const x = (a, b) => `${(a / b).toFixed(1)}×`;
console.log(`Loss-curve log, ${LOG_STEPS.toLocaleString('en')} steps (${L.mb.toFixed(1)} MB trainer_log.jsonl), median of ${LOG_ROUNDS}; ${machine(browser)}; ${date}`);
console.log(`  open:   now ${ms(L.openNew.total)} (worker ${ms(L.openNew.host)}, page ${ms(L.openNew.page)}), ${kb(L.bytes.openNew)} sent; before ${ms(L.openOld.total)} (worker ${ms(L.openOld.host)}, page ${ms(L.openOld.page)}), ${kb(L.bytes.openOld)} sent  → ${x(L.openOld.total, L.openNew.total)} faster, ${x(L.bytes.openOld, L.bytes.openNew)} fewer bytes`);
console.log(`  +100 steps: now ${ms(L.appendNew.total)} (worker ${ms(L.appendNew.host)}, page ${ms(L.appendNew.page)}), ${kb(L.bytes.appendNew)} sent; whole reread ${ms(L.appendOld.total)} (worker ${ms(L.appendOld.host)}, page ${ms(L.appendOld.page)}), ${kb(L.bytes.appendOld)} sent  → ${x(L.appendOld.total, L.appendNew.total)} faster`);
if (MARKDOWN) {
  console.log('\n| date | log | | worker | page | total | sent to the page | ratio (before / now) |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  const row = (what, r, bytes) => `${ms(r.host)} | ${ms(r.page)} | ${ms(r.total)} | ${kb(bytes)}`;
  console.log(`| ${date} | ${LOG_STEPS.toLocaleString('en')} steps, ${L.mb.toFixed(1)} MB | open, now | ${row('', L.openNew, L.bytes.openNew)} | **${x(L.openOld.total, L.openNew.total)}** faster, ${x(L.bytes.openOld, L.bytes.openNew)} fewer bytes |`);
  console.log(`| | | open, before (every point) | ${row('', L.openOld, L.bytes.openOld)} | |`);
  console.log(`| | | +100 steps, now (from the offset) | ${row('', L.appendNew, L.bytes.appendNew)} | **${x(L.appendOld.total, L.appendNew.total)}** faster |`);
  console.log(`| | | +100 steps, whole reread | ${row('', L.appendOld, L.bytes.appendOld)} | |`);
}
if (ONLY_LOG) process.exit(0);
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
