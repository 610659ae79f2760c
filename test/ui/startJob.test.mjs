// The Start Job form as a person sees it, in real VS Code (code-server + Chromium): it renders with vscode-elements
// under the CSP, shows the reason under each recommended hyperparameter, and a training set with errors blocks Start
// (the errors are listed by line; clicking one opens it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();

test('the Start Job form renders, explains its recommendations, and a dataset with errors blocks Start', { timeout: 180_000 }, async () => {
  ui.wb.cspViolations.length = 0;
  // Earlier files leave editors open (logs, other datasets): the form would start from the active one.
  await ui.wb.runCommand('View: Close All Editors');
  await ui.wb.runCommand('Fine-tune: Start Job');
  const frame = await ui.wb.webviewFrame({ contains: 'Hyperparameters', timeout: 60_000 }).catch(async (err) => {
    await ui.wb.screenshot('start-job-failed');
    throw err;
  });

  // vscode-elements are defined and rendered (their shadow roots hold the real inputs).
  const elements = await frame.evaluate(() => ['vscode-textfield', 'vscode-single-select', 'vscode-button'].map((n) => Boolean(customElements.get(n))));
  assert.deepEqual(elements, [true, true, true], 'the custom elements are registered');
  assert.ok((await frame.locator('vscode-textfield').count()) >= 8, 'the fields are vscode-textfields');
  assert.ok(await frame.locator('vscode-textfield#epochs').evaluate((el) => el.shadowRoot?.querySelector('input') !== null), 'a textfield rendered its input');

  // The training set is checked and counted; the recommendations fill the fields with their reasons.
  await frame.locator('#check-train-summary').waitFor({ timeout: 60_000 });
  assert.match(await frame.locator('#check-train-summary').innerText(), /^60 /);
  await frame.locator('#reason-hyperparameters-epochs', { hasText: /15/ }).waitFor({ timeout: 60_000 });
  await frame.locator('#reason-hyperparameters-maxLength', { hasText: /4k/ }).waitFor({ timeout: 60_000 });
  assert.equal(await frame.locator('vscode-textfield#epochs').evaluate((el) => /** @type {any} */ (el).value), '15');
  assert.equal(await frame.locator('vscode-textfield#maxLength').evaluate((el) => /** @type {any} */ (el).value), '4096');
  for (const field of ['epochs', 'learningRate', 'maxLength', 'batchSize']) {
    const reason = await frame.locator(`#reason-hyperparameters-${field}`).innerText();
    assert.ok(reason.length > 20, `${field} has a reason line: "${reason}"`);
  }
  assert.equal(await frame.locator('vscode-button#start').evaluate((el) => /** @type {any} */ (el).disabled), false, 'Start is enabled for a clean dataset');
  await frame.locator('#field-hyperparameters-epochs').scrollIntoViewIfNeeded();
  await ui.wb.screenshot('start-job');

  // Choose the dataset with mistakes (as the select's change does): its errors are listed and block Start.
  await frame.locator('vscode-single-select#train').evaluate((el) => {
    /** @type {any} */ (el).value = 'train-with-mistakes.jsonl';
    el.dispatchEvent(new Event('change'));
  });
  await frame.locator('#errors-train tr').first().waitFor({ timeout: 60_000 });
  const rows = await frame.locator('#errors-train tr').count();
  assert.ok(rows > 0, 'errors are listed');
  assert.match(await frame.locator('#check-train-summary').innerText(), /[1-9]\d* (errors|个错误)/);
  assert.equal(await frame.locator('vscode-button#start').evaluate((el) => /** @type {any} */ (el).disabled), true, 'Start is disabled');
  assert.ok((await frame.locator('#blocked').innerText()).length > 0, 'the form says why');
  await ui.wb.screenshot('start-job-blocked');

  // Clicking an error opens the dataset at its line.
  const line = Number(await frame.locator('#errors-train tr').first().getAttribute('data-line'));
  await frame.locator('#errors-train tr').first().click();
  await ui.wb.page.locator('.tabs-container .tab[aria-label^="train-with-mistakes.jsonl"]').waitFor({ timeout: 15_000 });
  await ui.wb.page.locator(`.statusbar-item[id="status.editor.selection"]`, { hasText: new RegExp(`Ln ${line},`) }).waitFor({ timeout: 15_000 });

  assert.deepEqual(ui.wb.cspViolations, [], 'the form renders without breaking the CSP');
});
