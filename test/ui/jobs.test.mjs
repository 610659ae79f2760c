// A training job as a person runs it, in real VS Code (code-server + Chromium): start the example spec file from the
// command palette, answer the "no GPU" question, watch the job in the Jobs view and the status bar, get the
// notification when it ends. The trainer is test/fixtures/trainer/fake_trainer.py (scripts/test-ui.mjs points
// FINETUNE_TRAINER_ENTRY at it): torch, transformers and peft are not installed here, so no real training runs;
// the stand-in speaks the real event protocol, and everything the extension does with it is real.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();

test('start a job from its spec file, follow it in the Jobs view and the status bar, and hear when it ends', { timeout: 180_000 }, async () => {
  const { page } = ui.wb;
  await ui.wb.openFile('wuxia-lora.ftjob.json');
  await ui.wb.runCommand('Fine-tune: Start Job from Spec File');

  // No GPU here: the extension asks before training on the CPU.
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  assert.match(await dialog.innerText(), /No CUDA GPU|没有找到 CUDA GPU/);
  await dialog.locator('.monaco-button', { hasText: /Train on the CPU|在 CPU 上训练/ }).click();

  // Started: a notification says so, and the job's loss curve opens beside it.
  await page.locator('.notification-toast', { hasText: /wuxia-doctor-lora.*(started|已启动)/ }).waitFor({ timeout: 30_000 });

  // The job shows in the Jobs view while it runs, and in the status bar.
  const views = await ui.wb.openViewContainer('Fine-tune');
  assert.ok(views.some((v) => /Jobs|任务/.test(v)), `the Jobs view is there: ${views.join(', ')}`);
  const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'wuxia-doctor-lora' }).first();
  await row.waitFor({ timeout: 30_000 });
  const status = page.locator('.statusbar-item', { hasText: 'wuxia-doctor-lora' });
  await status.waitFor({ timeout: 30_000 });
  await page.locator('.part.sidebar .monaco-list-row', { hasText: /wuxia-doctor-lora.*(running|运行中).*%/ }).first().waitFor({ timeout: 30_000 });
  await ui.wb.screenshot('jobs-running');

  // When it ends: a notification, the row says succeeded with the last loss, the status bar item goes.
  // (The toast that said it started has the job's name too: this one says it finished.)
  const toast = page.locator('.notification-toast', { hasText: /wuxia-doctor-lora.*(finished|已完成)/ });
  await toast.waitFor({ timeout: 90_000 });
  assert.match(await toast.innerText(), /finished|已完成/);
  await page.locator('.part.sidebar .monaco-list-row', { hasText: /wuxia-doctor-lora.*(succeeded|已完成).*100%/ }).first().waitFor({ timeout: 15_000 });
  await status.waitFor({ state: 'hidden', timeout: 15_000 });
  await ui.wb.screenshot('jobs-finished');

  // The notification's button opens the job's loss curve, with the verdict, from the events the job wrote.
  await toast.locator('.monaco-button', { hasText: /Open Loss Curve|打开损失曲线/ }).click();
  const frame = await ui.wb.webviewFrame({ contains: 'wuxia-doctor-lora', timeout: 60_000 });
  await frame.locator('canvas').first().waitFor({ timeout: 30_000 });
  assert.deepEqual(ui.wb.cspViolations, [], 'no CSP violation');
  await ui.wb.screenshot('jobs-loss-curve');
});
