// Smoke test of what a person sees: the extension installed in real VS Code (code-server + Chromium).
// Run through `npm run test:ui` (or `node --test test/ui/smoke.test.mjs` after `node esbuild.mjs`).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();

/** The example dataset with typical mistakes, else any .jsonl in the workspace. */
function flawedDataset() {
  const files = readdirSync(ui.wb.workspace, { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl'));
  const file = files.find((f) => f.endsWith('train-with-mistakes.jsonl')) ?? files[0];
  assert.ok(file, `no .jsonl file in the workspace ${ui.wb.workspace}`);
  return file;
}

test('"Fine-tune: Check Dataset" lists the dataset\'s mistakes in the Problems panel', { timeout: 120_000 }, async () => {
  await ui.wb.openFile(flawedDataset());
  await ui.wb.runCommand('Fine-tune: Check Dataset');
  const problems = await ui.wb.waitForProblems({ source: 'Fine-tune Studio' });
  await ui.wb.screenshot('problems');
  const ours = problems.filter((p) => p.source.includes('Fine-tune Studio'));
  assert.ok(ours.length >= 1, `expected findings from Fine-tune Studio, got ${JSON.stringify(problems)}`);
  for (const p of ours) {
    assert.ok(p.message.length > 0, 'a finding has a message');
    assert.ok(p.line >= 1, `a finding has a line number: ${JSON.stringify(p)}`);
  }
});

test('the "Fine-tune Studio" activity bar container shows its Jobs and Models views', { timeout: 60_000 }, async () => {
  const views = await ui.wb.openViewContainer('Fine-tune Studio');
  await ui.wb.screenshot('activity-bar');
  assert.ok(views.some((v) => /jobs/i.test(v)), `views: ${views.join(', ')}`);
  assert.ok(views.some((v) => /models/i.test(v)), `views: ${views.join(', ')}`);
});
