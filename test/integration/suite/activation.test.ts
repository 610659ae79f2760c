import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './util';

describe('activation', () => {
  it('activates quickly and reports its activation time', async () => {
    const { activationMs, loadMs } = await api();
    console.log(`Activation: VS Code ${vscode.version}; extension activation took ${activationMs.toFixed(1)} ms (loading the bundle ${loadMs.toFixed(1)} ms)`);
    assert.ok(Number.isFinite(activationMs) && activationMs > 0, `activation took ${activationMs} ms`);
    assert.ok(loadMs >= 0 && loadMs <= activationMs, 'loading the bundle is part of activation');
    // activate() itself only registers providers (2–4 ms here): heavy work there would show as hundreds.
    assert.ok(activationMs - loadMs < 1_000, `activate() took ${(activationMs - loadMs).toFixed(1)} ms`);
  });

  it('registers every command that package.json contributes, and no others', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    // VS Code adds `<viewId>.focus` and the like for each view; those are the workbench's, not ours.
    const views: string[] = ext.packageJSON.contributes.views.finetune.map((v: { id: string }) => v.id + '.');
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('finetune.') && !views.some((v) => c.startsWith(v)));
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  it('declares limited support for untrusted workspaces and restricts the Python path there', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const untrusted = ext.packageJSON.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.ok(untrusted.restrictedConfigurations.includes('finetune.python.path'));
  });
});
