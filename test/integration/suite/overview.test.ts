import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, workspaceFile } from './util';
import type { DatasetOverviewPanel } from '../../../src/features/dataset/overviewPanel';

describe('Dataset overview webview', () => {
  afterEach(closeAllEditors);

  it('opens beside the dataset, runs its script under the CSP, and shows the counts', async () => {
    const uri = workspaceFile('train-with-mistakes.jsonl');
    await vscode.window.showTextDocument(uri);
    const panel = await vscode.commands.executeCommand<DatasetOverviewPanel>('finetune.showDatasetOverview');
    assert.ok(panel, 'the command returns the panel');
    // 'ready' comes from the page's script, which runs only if the CSP nonce and bundle path are right.
    await Promise.race([panel.ready, new Promise((_, reject) => setTimeout(() => reject(new Error('the webview never said ready')), 20_000))]);
    const overview = panel.lastOverview!;
    assert.equal(overview.fileName, 'train-with-mistakes.jsonl');
    assert.ok(overview.samples > 10, `samples: ${overview.samples}`);
    assert.ok(overview.counts.error > 0, 'the flawed file has errors');
    assert.ok(overview.problems.every((p) => p.line >= 0));
    assert.match(panel.panel.webview.html, /Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(panel.panel.webview.html, /unsafe-inline|unsafe-eval/);
  });

  it('follows the next dataset it is shown for', async () => {
    await vscode.window.showTextDocument(workspaceFile('train.jsonl'));
    const panel = await vscode.commands.executeCommand<DatasetOverviewPanel>('finetune.showDatasetOverview');
    await panel!.ready;
    const deadline = Date.now() + 10_000;
    while (panel!.lastOverview?.fileName !== 'train.jsonl' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(panel!.lastOverview?.fileName, 'train.jsonl');
    assert.equal(panel!.lastOverview?.counts.error, 0);
  });
});
