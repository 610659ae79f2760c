// The Models view as a person uses it, in real VS Code (code-server + Chromium) on the installed .vsix: a finished job,
// its export and a deployment of that export show in their groups; the export's Lineage opens to dataset → job →
// checkpoint → export, and clicking the dataset link opens the training file; Remove from Models (right-click, asked
// first) deletes only the export's record. The records are written as the extension writes them (the job folder, the
// registry in .finetune/models); nothing is trained here.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();
const SHA = '5e'.repeat(32);

function writeFixtures(root) {
  const jobId = 'ui-models-job-20261207-090000';
  const jobDir = join(root, '.finetune', 'jobs', jobId);
  const output = join(jobDir, 'run', 'output');
  const exported = join(output, 'onnx');
  mkdirSync(join(output, 'checkpoint-4'), { recursive: true });
  mkdirSync(join(exported, 'onnx'), { recursive: true });
  writeFileSync(join(exported, 'onnx', 'model.onnx'), 'stand-in');
  writeFileSync(join(jobDir, 'job.json'), JSON.stringify({
    id: jobId, name: 'ui-models-job', method: 'lora', baseModel: 'Qwen/Qwen3-0.6B', status: 'succeeded', createdAt: '2026-12-07T09:00:00Z',
    spec: { name: 'ui-models-job', baseModel: 'Qwen/Qwen3-0.6B', dataset: { train: 'train.jsonl' } },
    artifacts: { output_dir: output, adapter: output, dataset_sha256: SHA },
    checkpoints: [{ step: 4, path: join(output, 'checkpoint-4') }],
  }, null, 2));
  const models = join(root, '.finetune', 'models');
  mkdirSync(models, { recursive: true });
  const exportFile = join(models, 'ui-models-onnx.json');
  writeFileSync(exportFile, JSON.stringify({
    id: 'ui-models-onnx', kind: 'export', name: 'ui-models-job checkpoint-4 (onnx)', createdAt: '2026-12-07T10:00:00Z', format: 'onnx',
    source: { jobId, checkpointStep: 4, datasetSha256: SHA }, location: { backend: 'local', path: exported },
    check: { passed: true, maxAbsLogitsDiff: 2.5e-5, tolerance: 1e-3, tokensEqual: 3, prompts: 3 },
  }));
  writeFileSync(join(models, 'ui-models-served.json'), JSON.stringify({
    id: 'ui-models-served', kind: 'deployment', name: 'ui-models served', createdAt: '2026-12-07T11:00:00Z',
    source: { recordId: 'ui-models-onnx' }, server: 'onnx-local', location: { backend: 'local', path: exported },
    endpoint: 'http://127.0.0.1:9/v1', servedModel: 'ui-models', startedAt: '2026-12-07T11:00:00Z', stoppedAt: '2026-12-07T12:00:00Z',
  }));
  return { exportFile, exported };
}

test('the Models view: groups, an export\'s lineage whose links open, and Remove from Models deleting only the record', { timeout: 180_000 }, async () => {
  const { page } = ui.wb;
  const { exportFile, exported } = writeFixtures(ui.wb.workspace);
  const views = await ui.wb.openViewContainer('Fine-tune');
  assert.ok(views.some((v) => /Models|模型/.test(v)), `the Models view is there: ${views.join(', ')}`);
  const header = page.locator('.part.sidebar .pane-header', { hasText: /^(Models|模型)/ }).first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  const row = (text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

  // The four groups, each with what it holds (the watcher picks the records up).
  for (const group of [/Fine-tuned|精调模型/, /Exports|导出/, /Deployments|部署/]) await row(group).waitFor({ timeout: 30_000 });
  await row('ui-models-job checkpoint-4 (onnx)').waitFor({ timeout: 30_000 });
  assert.match(await row('ui-models-job checkpoint-4 (onnx)').innerText(), /onnx/);
  await row('ui-models served').waitFor();
  await ui.wb.screenshot('models-groups');

  // The export's Lineage: dataset → job → checkpoint → export.
  await row('ui-models-job checkpoint-4 (onnx)').click();
  const lineages = page.locator('.part.sidebar .monaco-list-row', { hasText: /^(Lineage|来源链路)/ });
  await lineages.first().waitFor({ timeout: 15_000 });
  // The export's lineage row is the one right below it.
  const exportRow = row('ui-models-job checkpoint-4 (onnx)');
  const exportIndex = Number(await exportRow.getAttribute('data-index'));
  const lineage = page.locator(`.part.sidebar .monaco-list-row[data-index="${exportIndex + 1}"]`);
  await lineage.click();
  const dataset = page.locator('.part.sidebar .monaco-list-row', { hasText: /sha256 5e5e5e/ }).first();
  await dataset.waitFor({ timeout: 15_000 });
  await row(/checkpoint-4.*(checkpoint|检查点)/).waitFor();
  await ui.wb.screenshot('models-lineage');
  await dataset.click();
  await page.locator('.tab.active', { hasText: 'train.jsonl' }).waitFor({ timeout: 15_000 });

  // Remove from Models (right-click), confirmed in the dialog: the record goes, the files stay.
  await exportRow.click({ button: 'right' });
  await page.locator('.context-view .action-label', { hasText: /Remove from Models|从模型视图中移除/ }).click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 15_000 });
  await dialog.locator('.monaco-button', { hasText: /^(Remove|移除)$/ }).click();
  for (let i = 0; i < 150 && existsSync(exportFile); i++) await page.waitForTimeout(100);
  assert.equal(existsSync(exportFile), false, 'the record is removed');
  await exportRow.waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(existsSync(join(exported, 'onnx', 'model.onnx')), true, 'the export\'s files stay');
  await row('ui-models served').waitFor();
  assert.deepEqual(ui.wb.cspViolations, [], 'no CSP violation');
});
