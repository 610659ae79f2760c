// The loss-curve webview in real VS Code (code-server + Chromium): the chart renders under the CSP, text from the
// log stays text, an injected inline script does not run, and the panel follows the log file as it changes.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../scripts/lib/common.mjs';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();

const XSS = '<img src=x onerror="document.title=\'pwned\'">';
const fixture = (...p) => readFileSync(join(repoRoot, 'test', 'fixtures', 'curves', ...p), 'utf8');

test('the loss curves render with the verdict, keep log text as text, and follow the file on disk', { timeout: 120_000 }, async () => {
  const dir = join(ui.wb.workspace, 'runs-ui');
  mkdirSync(dir, { recursive: true });
  // The checkpoint's path comes from the log and ends up in the advice: make it markup.
  const state = JSON.parse(fixture('hf-overfit', 'trainer_state.json'));
  state.best_model_checkpoint = `saves/${XSS}/checkpoint-100`;
  writeFileSync(join(dir, 'trainer_state.json'), JSON.stringify(state, null, 2));
  await ui.wb.openFile('runs-ui/trainer_state.json');
  await ui.wb.runCommand('Fine-tune: Open Training Log…');
  const frame = await ui.wb.webviewFrame({ contains: 'runs-ui/trainer_state.json' });
  await frame.locator('canvas#loss-chart').waitFor();
  const box = await frame.locator('canvas#loss-chart').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `the chart has a size: ${JSON.stringify(box)}`);
  assert.match(await frame.locator('.verdict-name').innerText(), /Overfitting|过拟合/);
  assert.equal((await frame.locator('.best-step').innerText()).trim(), '100');
  const advice = await frame.locator('.advice').innerText();
  assert.ok(advice.includes('<img src=x'), `the markup is shown as text: ${advice}`);
  assert.equal(await frame.locator('img').count(), 0, 'no <img> element was created from log text');

  await ui.wb.assertInlineScriptBlocked(frame);
  await ui.wb.screenshot('loss-curve');

  // The run writes on: a NaN loss appears, and the panel says so without being reopened.
  ui.wb.cspViolations.length = 0;
  writeFileSync(join(dir, 'trainer_state.json'), fixture('hf-nan', 'trainer_state.json'));
  await frame.locator('.verdict-name', { hasText: /Diverged|已发散/ }).waitFor({ timeout: 20_000 });
  assert.deepEqual(ui.wb.cspViolations, [], 'Chart.js renders without breaking the CSP');
  await ui.wb.screenshot('loss-curve-diverged');
});

/** The x range the chart shows (the page mirrors it on the canvas). */
async function xRange(frame) {
  const canvas = frame.locator('canvas#loss-chart');
  return { min: Number(await canvas.getAttribute('data-x-min')), max: Number(await canvas.getAttribute('data-x-max')) };
}

test('two runs overlaid, each with its legend entry; zoom and reset; PNG export through the save dialog', { timeout: 180_000 }, async () => {
  const dir = join(ui.wb.workspace, 'runs-cmp');
  mkdirSync(join(dir, 'a'), { recursive: true });
  mkdirSync(join(dir, 'b'), { recursive: true });
  writeFileSync(join(dir, 'a', 'trainer_state.json'), fixture('hf-overfit', 'trainer_state.json'));
  writeFileSync(join(dir, 'b', 'trainer_log.jsonl'), fixture('llamafactory', 'trainer_log.jsonl'));
  await ui.wb.openFile('runs-cmp/a/trainer_state.json');
  await ui.wb.runCommand('Fine-tune: Open Training Log…');
  let frame = await ui.wb.webviewFrame({ contains: 'runs-cmp/a/trainer_state.json', timeout: 60_000 });
  await frame.locator('.legend-entry .verdict-name').first().waitFor();

  // "Add run…" offers the jobs' events and the workspace's training logs in a quick pick: pick the other one.
  const page = ui.wb.page;
  // The pointer may rest on an editor tab whose hover would cover the page's toolbar: move it onto the chart.
  await frame.locator('canvas#loss-chart').hover();
  await frame.locator('.run-head').first().waitFor();
  await page.waitForTimeout(500);
  await frame.locator('#add-run').click();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('runs-cmp/b');
  const row = page.locator('.quick-input-list .monaco-list-row[aria-label*="runs-cmp/b/trainer_log.jsonl"]').filter({ visible: true }).first();
  await row.click();
  await frame.locator('.legend-entry').nth(1).locator('.verdict-name').waitFor({ timeout: 20_000 });
  assert.equal(await frame.locator('.legend-entry').count(), 2, 'two legend entries');
  const labels = await frame.locator('.legend-entry .run-label').allInnerTexts();
  assert.deepEqual(labels, ['runs-cmp/a/trainer_state.json', 'runs-cmp/b/trainer_log.jsonl']);
  const colours = await frame.locator('.legend-entry .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  assert.notEqual(colours[0], colours[1], `each run has its own colour: ${colours}`);

  // Zoom: the wheel over the chart narrows the x range, a drag zooms to the dragged part, Reset restores it.
  const canvas = frame.locator('canvas#loss-chart');
  const full = await xRange(frame);
  assert.ok(full.max > full.min, `a range: ${JSON.stringify(full)}`);
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(200);
  const wheeled = await xRange(frame);
  assert.ok(wheeled.max - wheeled.min < (full.max - full.min) * 0.9, `the wheel zoomed in: ${JSON.stringify({ full, wheeled })}`);
  await frame.locator('#reset-zoom').click();
  await page.waitForTimeout(200);
  assert.deepEqual(await xRange(frame), full, 'reset shows everything again');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  const dragged = await xRange(frame);
  assert.ok(dragged.min > full.min && dragged.max < full.max, `the drag zoomed to its range: ${JSON.stringify({ full, dragged })}`);
  await ui.wb.screenshot('loss-curve-overlay-zoomed');

  // Hidden behind another editor and shown again, the page is built anew: zoom, smoothing and both runs come back.
  await frame.evaluate(() => {
    const slider = /** @type {HTMLInputElement} */ (document.getElementById('smoothing'));
    slider.value = '0.5';
    slider.dispatchEvent(new Event('input'));
  });
  await canvas.click({ position: { x: 5, y: 5 } }); // focus the panel's editor group
  await ui.wb.runCommand('File: New Untitled Text File');
  const hidden = frame;
  for (const until = Date.now() + 10_000; !hidden.isDetached() && Date.now() < until;) await page.waitForTimeout(100);
  assert.ok(hidden.isDetached(), 'the hidden panel\'s page was discarded (no retainContextWhenHidden)');
  await ui.wb.runCommand('View: Close Editor');
  frame = await ui.wb.webviewFrame({ contains: 'runs-cmp/b/trainer_log.jsonl', timeout: 30_000 });
  await frame.locator('.legend-entry').nth(1).locator('.verdict-name').waitFor({ timeout: 20_000 });
  assert.equal((await frame.locator('#smoothing-value').innerText()).trim(), '0.50');
  const restored = await xRange(frame);
  assert.ok(Math.abs(restored.min - dragged.min) < 1e-6 && Math.abs(restored.max - dragged.max) < 1e-6, `the zoom came back: ${JSON.stringify({ dragged, restored })}`);

  await frame.locator('#reset-zoom').click();
  await page.waitForTimeout(200);
  assert.deepEqual(await xRange(frame), full, 'reset after the drag');

  // PNG: the save dialog (VS Code's own in the browser) proposes runs-cmp/a/loss-curves.png; accept it.
  const png = join(dir, 'a', 'loss-curves.png');
  await frame.locator('#export-png').click();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(500);
  assert.match(await input.inputValue(), /loss-curves\.png$/, 'the dialog proposes loss-curves.png beside the first log');
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 15_000;
  while (!existsSync(png) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(existsSync(png), 'the PNG was written');
  const bytes = readFileSync(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.ok(bytes.length > 5_000, `an image with content: ${bytes.length} bytes`);

  // Remove the second run: one legend entry left.
  await frame.locator('.legend-entry').nth(1).locator('.remove-run').click();
  await frame.locator('.legend-entry').nth(1).waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await frame.locator('.legend-entry').count(), 1);
});

test('a job log that grows: the page takes the new points as they are appended', { timeout: 120_000 }, async () => {
  const dir = join(ui.wb.workspace, '.finetune', 'jobs', 'ui-live');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.jsonl');
  const step = (n) => JSON.stringify({ type: 'step', step: n, epoch: n / 100, loss: 2 * Math.exp(-n / 30) + 0.4, learning_rate: 1e-4 }) + '\n';
  writeFileSync(file, JSON.stringify({ type: 'start', time: '2026-11-25T00:00:00Z' }) + '\n' + step(1));
  await ui.wb.openFile('.finetune/jobs/ui-live/events.jsonl');
  await ui.wb.runCommand('Fine-tune: Open Training Log…');
  const frame = await ui.wb.webviewFrame({ contains: 'ui-live/events.jsonl' });
  const count = frame.locator('.legend-entry .point-count');
  await count.filter({ hasText: /^1$/ }).waitFor();
  let written = 1;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 10; i++) appendFileSync(file, step(++written));
    await count.filter({ hasText: new RegExp(`^${written}$`) }).waitFor({ timeout: 15_000 });
  }
  const range = await xRange(frame);
  assert.equal(range.max, written, `the chart's x axis ends at the last step: ${JSON.stringify(range)}`);
  await ui.wb.screenshot('loss-curve-live');
});

test('a 200,000-point run opens and draws (decimation), and says how long it took', { timeout: 120_000 }, async () => {
  await ui.wb.runCommand('View: Close All Editors'); // earlier tests left trainer_state.json tabs open
  const dir = join(ui.wb.workspace, 'runs-big');
  mkdirSync(dir, { recursive: true });
  // A HF trainer_state.json with 200,000 logged steps (about 15 MB). The editor opens a small one first: the
  // command reads the active editor's file from disk, where the big one is by then.
  const file = join(dir, 'trainer_state.json');
  writeFileSync(file, JSON.stringify({ global_step: 1, log_history: [{ step: 1, loss: 1 }] }));
  await ui.wb.openFile('runs-big/trainer_state.json');
  const history = [];
  for (let step = 1; step <= 200_000; step++) {
    const loss = 2 * Math.exp(-step / 40_000) + 0.3 + 0.05 * Math.sin(step * 12.9898);
    history.push(JSON.stringify({ step, epoch: step / 50_000, loss, learning_rate: 2e-4 * (1 - step / 200_000) }));
  }
  writeFileSync(file, `{"global_step": 200000, "max_steps": 200000, "log_history": [\n${history.join(',\n')}\n]}\n`);
  const started = Date.now();
  await ui.wb.runCommand('Fine-tune: Open Training Log…');
  const frame = await ui.wb.webviewFrame({ contains: 'runs-big/trainer_state.json', timeout: 60_000 });
  await frame.locator('canvas#loss-chart').waitFor();
  const opened = Date.now() - started;
  // Redraw with another smoothing: the chart work alone (EMA over 200k points, decimation, draw).
  const redrawMs = await frame.evaluate(() => {
    const slider = /** @type {HTMLInputElement} */ (document.getElementById('smoothing'));
    const t0 = performance.now();
    slider.value = '0.5';
    slider.dispatchEvent(new Event('input'));
    return performance.now() - t0;
  });
  console.log(`200k points: opened and drawn in ${opened} ms (read, diagnose, message, first draw); redraw ${redrawMs.toFixed(0)} ms`);
  assert.equal((await frame.locator('.verdict-name').count()), 1);
  assert.ok(redrawMs < 2_000, `redraw took ${redrawMs} ms`);
  await ui.wb.screenshot('loss-curve-200k');
});
