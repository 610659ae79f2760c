import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, workspaceFile } from './util';
import type { TokenStatsPanel } from '../../../src/features/tokens/statsPanel';

/** The hovers' markdown as plain text (appendText escapes spaces as &nbsp;). */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ');
}

// The example workspace names models/qwen3-tokenizer (Qwen3's real tokenizer files, copied in by the runner).
describe('token counts', () => {
  afterEach(closeAllEditors);

  it('hovering a sample shows its total and trained tokens with the model name', async () => {
    const uri = workspaceFile('train.jsonl');
    await vscode.window.showTextDocument(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 5));
    const text = hoverText(hovers);
    const match = /Tokens: (\d+).*trained: (\d+).*qwen3-tokenizer/s.exec(text);
    assert.ok(match, `hover text: ${text}`);
    const [total, trained] = [Number(match[1]), Number(match[2])];
    assert.ok(total > 50 && trained > 10 && trained < total, `total ${total}, trained ${trained}`);
  });

  it('the statistics report counts every sample and gives the seed\'s advice', async () => {
    await vscode.window.showTextDocument(workspaceFile('train.jsonl'));
    const panel = await vscode.commands.executeCommand<TokenStatsPanel>('finetune.showTokenStatistics');
    await panel!.ready;
    const last = panel!.last;
    assert.ok(last && 'report' in last, `report: ${JSON.stringify(last)}`);
    const { report } = last;
    assert.equal(report.samples, 60);
    assert.equal(report.context, '4k', 'short wuxia answers fit in 4k');
    assert.ok(report.tokens.p50 <= report.tokens.p95 && report.tokens.p95 <= report.tokens.max);
    assert.equal(report.histogram.counts.reduce((a, b) => a + b, 0), 60);
    assert.ok(report.epochs >= 10 && report.epochs <= 15, `60 samples → about 15 epochs, got ${report.epochs}`);
    assert.ok(report.messages.length >= 2);
  });

  it('the status bar shows the active dataset\'s samples and P95 tokens', async () => {
    const ctx = await api();
    await vscode.window.showTextDocument(workspaceFile('eval.jsonl'));
    const text = await eventually(ctx.dataset.diagnostics.onDidLint, async () => (/P95/.test(ctx.dataset.statusBar.text) && /15/.test(ctx.dataset.statusBar.text) ? ctx.dataset.statusBar.text : undefined), 20_000, 'the status bar');
    assert.match(text, /15 samples/);
  });

  it('without a usable tokenizer the hover says what to point at, and nothing else is used instead', async () => {
    const config = vscode.workspace.getConfiguration('finetune');
    await config.update('dataset.tokenizer', 'no-such-model-folder', vscode.ConfigurationTarget.Workspace);
    try {
      const uri = workspaceFile('train.jsonl');
      await vscode.window.showTextDocument(uri);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 5));
      const text = hoverText(hovers);
      assert.match(text, /no-such-model-folder/);
      assert.doesNotMatch(text, /Tokens: \d/);
    } finally {
      await config.update('dataset.tokenizer', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('sample length check (FT060)', () => {
  afterEach(closeAllEditors);

  it('warns on samples over finetune.dataset.maxTokens, saying by how many tokens, and clears when raised', async () => {
    const ctx = await api();
    const config = vscode.workspace.getConfiguration('finetune');
    const uri = workspaceFile('train.jsonl');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await config.update('dataset.maxTokens', 300, vscode.ConfigurationTarget.Workspace);
    try {
      const over = await ctx.dataset.tokenLengths.check(doc);
      assert.ok(over && over > 0, `samples over 300 tokens: ${over}`);
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'FT060');
      assert.equal(found.length, over);
      for (const d of found) {
        const [, tokens, by] = /is (\d+) tokens .*: (\d+) over the maximum of 300/.exec(d.message) ?? [];
        assert.equal(Number(tokens) - 300, Number(by), d.message);
      }
    } finally {
      await config.update('dataset.maxTokens', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(await ctx.dataset.tokenLengths.check(doc), 0, 'none over the default 4096');
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'FT060').length, 0);
  });
});
