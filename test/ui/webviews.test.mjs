// The webviews as a person sees them, in real VS Code (code-server + Chromium): they render, dataset
// text stays text, and the Content-Security-Policy blocks an injected inline script.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();

// A role that is markup: it comes back inside the linter's message, which the overview shows.
const XSS = '<img src=x onerror="document.title=\'pwned\'">';

test('the dataset overview shows markup from the dataset as text, and its CSP blocks inline script', { timeout: 120_000 }, async () => {
  writeFileSync(join(ui.wb.workspace, 'xss.jsonl'), JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: XSS, content: 'x' }] }) + '\n');
  await ui.wb.openFile('xss.jsonl');
  await ui.wb.runCommand('Fine-tune: Show Dataset Overview');
  const frame = await ui.wb.webviewFrame({ contains: 'xss.jsonl' });
  await frame.locator('#problems tbody tr').first().waitFor();
  const text = await frame.locator('body').innerText();
  assert.ok(text.includes('<img src=x'), `the markup is shown as text: ${text.slice(0, 500)}`);
  assert.equal(await frame.locator('img').count(), 0, 'no <img> element was created from dataset text');

  // An inline script added to the page does not run: no 'unsafe-inline' in script-src.
  await ui.wb.assertInlineScriptBlocked(frame);
  await ui.wb.screenshot('overview');
});

test('the token statistics report renders its numbers and histogram with Qwen3\'s tokenizer', { timeout: 120_000 }, async () => {
  ui.wb.cspViolations.length = 0;
  await ui.wb.openFile('train.jsonl');
  await ui.wb.runCommand('Fine-tune: Show Token Statistics');
  const frame = await ui.wb.webviewFrame({ contains: 'P95' });
  await frame.locator('canvas#histogram').waitFor();
  const box = await frame.locator('canvas#histogram').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `the chart has a size: ${JSON.stringify(box)}`);
  const samples = await frame.locator('#samples .value').innerText();
  assert.equal(samples.replace(/\D/g, ''), '60');
  assert.match(await frame.locator('#advice').innerText(), /4k|4K/);
  assert.deepEqual(ui.wb.cspViolations, [], 'Chart.js and the elements render without breaking the CSP');
  await ui.wb.screenshot('token-stats');
});
