// The loss-curve webview in real VS Code (code-server + Chromium): the chart renders under the CSP, text from the
// log stays text, an injected inline script does not run, and the panel follows the log file as it changes.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  assert.match(await frame.locator('#verdict-name').innerText(), /Overfitting|过拟合/);
  assert.equal((await frame.locator('#best-step').innerText()).trim(), '100');
  const advice = await frame.locator('#advice').innerText();
  assert.ok(advice.includes('<img src=x'), `the markup is shown as text: ${advice}`);
  assert.equal(await frame.locator('img').count(), 0, 'no <img> element was created from log text');

  const ran = await frame.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1;';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return /** @type {any} */ (window).__injected === 1;
  });
  assert.equal(ran, false, 'the CSP blocked the injected inline script');
  assert.ok(ui.wb.cspViolations.some((v) => /script/i.test(v)), `the browser reported the blocked script: ${ui.wb.cspViolations.join(' | ')}`);
  await ui.wb.screenshot('loss-curve');

  // The run writes on: a NaN loss appears, and the panel says so without being reopened.
  ui.wb.cspViolations.length = 0;
  writeFileSync(join(dir, 'trainer_state.json'), fixture('hf-nan', 'trainer_state.json'));
  await frame.locator('#verdict-name', { hasText: /Diverged|已发散/ }).waitFor({ timeout: 20_000 });
  assert.deepEqual(ui.wb.cspViolations, [], 'Chart.js renders without breaking the CSP');
  await ui.wb.screenshot('loss-curve-diverged');
});

test('a 200,000-point run opens and draws (decimation), and says how long it took', { timeout: 120_000 }, async () => {
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
  assert.equal((await frame.locator('#verdict-name').count()), 1);
  assert.ok(redrawMs < 2_000, `redraw took ${redrawMs} ms`);
  await ui.wb.screenshot('loss-curve-200k');
});
