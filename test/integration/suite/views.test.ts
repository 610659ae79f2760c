import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { api, eventually, workspaceRoot } from './util';

describe('Jobs view', () => {
  const jobsDir = () => path.join(workspaceRoot(), '.finetune', 'jobs');

  after(async () => {
    await fs.rm(path.join(workspaceRoot(), '.finetune'), { recursive: true, force: true });
  });

  it('lists jobs from .finetune/jobs, shows unreadable ones with the reason, and refreshes on change', async () => {
    const ctx = await api();
    let refreshed = 0;
    const counting = ctx.jobs.tree.onDidChangeTreeData(() => refreshed++);
    await fs.mkdir(path.join(jobsDir(), 'wuxia-lora-1'), { recursive: true });
    await fs.writeFile(path.join(jobsDir(), 'wuxia-lora-1', 'job.json'), JSON.stringify({
      id: 'wuxia-lora-1', name: '江湖郎中 LoRA', method: 'lora', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
      status: 'succeeded', createdAt: '2026-11-20T10:00:00Z', progress: { step: 300, totalSteps: 300 }, latestLoss: 0.8123,
    }));
    await fs.mkdir(path.join(jobsDir(), 'broken'), { recursive: true });
    await fs.writeFile(path.join(jobsDir(), 'broken', 'job.json'), '{"id": "broken", ');
    // The view refreshes itself from file events; nothing here asks it to.
    // Other suites' jobs may be listed too: only these two count here.
    const ours = new Set(['broken', 'wuxia-lora-1']);
    const nodes = await eventually(ctx.jobs.tree.onDidChangeTreeData, async () => {
      const listed = (await ctx.jobs.tree.getChildren()).filter((n) => ours.has(n.id));
      return refreshed > 0 && listed.length === 2 && listed.some((n) => 'record' in n) ? listed : undefined;
    }, 15_000, 'the Jobs view to refresh and show both jobs');
    counting.dispose();
    assert.deepEqual(nodes.map((n) => n.id).sort(), ['broken', 'wuxia-lora-1']);
    const good = ctx.jobs.tree.getTreeItem(nodes.find((n) => n.id === 'wuxia-lora-1')!);
    assert.equal(good.label, '江湖郎中 LoRA');
    assert.match(String(good.description), /100%/);
    assert.match(String(good.description), /0\.8123/);
    const bad = ctx.jobs.tree.getTreeItem(nodes.find((n) => n.id === 'broken')!);
    assert.match(String(bad.tooltip), /not valid JSON/);
  });
});

describe('Models view', () => {
  it('adds a hub model and a local folder through the command, shows what each lacks, and removes one', async () => {
    const ctx = await api();
    const folder = path.join(workspaceRoot(), 'tiny-model');
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'config.json'), JSON.stringify({ architectures: ['Qwen2ForCausalLM'] }));
    const initial = ctx.platform.config.baseModels; // the example workspace's own settings name its tokenizer folder
    try {
      await vscode.commands.executeCommand('finetune.addBaseModel', 'Qwen/Qwen2.5-0.5B-Instruct');
      await vscode.commands.executeCommand('finetune.addBaseModel', 'tiny-model');
      const base = (await ctx.models.tree.getChildren()).find((g) => g.kind === 'group' && g.group === 'base');
      assert.ok(base, 'the Base models group is shown');
      const models = (await ctx.models.tree.getChildren(base)).filter((m) => m.kind === 'folder' || m.kind === 'hub');
      assert.deepEqual(models.map((m) => m.ref), [...initial, 'Qwen/Qwen2.5-0.5B-Instruct', 'tiny-model']);
      const hub = ctx.models.tree.getTreeItem(models.at(-2)!);
      assert.equal(hub.label, 'Qwen/Qwen2.5-0.5B-Instruct');
      const local = ctx.models.tree.getTreeItem(models.at(-1)!);
      assert.match(String(local.description), /tokenizer\.json/, 'says the tokenizer is missing');

      await vscode.commands.executeCommand('finetune.removeBaseModel', models.at(-2), { confirmed: true });
      assert.deepEqual(ctx.platform.config.baseModels, [...initial, 'tiny-model']);
    } finally {
      await ctx.platform.config.setBaseModels(initial);
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
