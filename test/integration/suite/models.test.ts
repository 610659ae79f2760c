// The Models view in a real VS Code: a succeeded job (with a checkpoint and a scored eval run), an export record and
// a stopped deployment → the four groups, each item's lineage (dataset → job → checkpoint → export → deployment),
// links that open what they name, and Remove of an export that deletes only its record. Then Export Model… with the
// stand-in trainer records an ExportRecord that the view lists under its job's lineage.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, eventually, workspaceRoot } from './util';
import { writeJob, readJobRecord } from '../../../src/core/jobs/jobStore';
import { listModelRecords, writeModelRecord } from '../../../src/core/models/registry';
import { JobSpec } from '../../../src/shared/jobSpec';
import type { JobRecord } from '../../../src/shared/job';
import type { ModelsNode } from '../../../src/features/models';

const SHA = '5e'.repeat(32);
const JOB_ID = 'models-view-job';

function jobDir(id: string): string {
  return path.join(workspaceRoot(), '.finetune', 'jobs', id);
}

async function groups(): Promise<Map<string, ModelsNode[]>> {
  const ctx = await api();
  const out = new Map<string, ModelsNode[]>();
  for (const g of await ctx.models.tree.getChildren()) {
    if (g.kind === 'group') out.set(g.group, await ctx.models.tree.getChildren(g));
  }
  return out;
}

async function linkKinds(node: ModelsNode): Promise<string[]> {
  const ctx = await api();
  const lineage = (await ctx.models.tree.getChildren(node)).find((c) => c.kind === 'lineage');
  assert.ok(lineage, `a Lineage child under ${node.kind}`);
  return (await ctx.models.tree.getChildren(lineage)).map((l) => (l.kind === 'link' ? l.link.kind : l.kind));
}

describe('Models view: groups, lineage and the registry', function () {
  this.timeout(60_000);
  const outputDir = () => path.join(workspaceRoot(), 'models-view-run', 'output');
  const exportDir = () => path.join(outputDir(), 'onnx');
  const evalDir = () => path.join(workspaceRoot(), '.finetune', 'evals', '20261207-100000-beef');

  before(async () => {
    // A succeeded job trained on train.jsonl, with one checkpoint and one scored eval run.
    await fs.mkdir(path.join(outputDir(), 'checkpoint-4'), { recursive: true });
    await fs.mkdir(path.join(exportDir(), 'onnx'), { recursive: true });
    await fs.writeFile(path.join(exportDir(), 'onnx', 'model.onnx'), 'stand-in');
    await fs.mkdir(evalDir(), { recursive: true });
    await fs.writeFile(path.join(evalDir(), 'eval.json'), JSON.stringify({
      version: 1, id: '20261207-100000-beef', created: '2026-12-07T10:00:00Z', segmentation: 'jieba',
      models: [{ id: 'tuned', name: 'Models view job', kind: 'finetuned', source: 'job', status: 'done', isBase: false }],
    }));
    const mean = { 'bleu-4': 20, 'rouge-1': 41.2, 'rouge-2': 30, 'rouge-l': 41.2, rouge: Object.fromEntries(['rouge-1', 'rouge-2', 'rouge-l'].map((k) => [k, { p: 0, r: 0, f: 0 }])) };
    await fs.writeFile(path.join(evalDir(), 'scores.json'), JSON.stringify({ version: 1, segmentation: 'jieba', models: { tuned: { samples: [mean], mean } } }));
    await fs.mkdir(jobDir(JOB_ID), { recursive: true });
    const record: JobRecord = {
      id: JOB_ID, name: 'Models view job', method: 'lora', baseModel: 'Qwen/Qwen3-0.6B', status: 'succeeded', createdAt: '2026-12-07T09:00:00Z',
      spec: { name: 'Models view job', baseModel: 'Qwen/Qwen3-0.6B', dataset: { train: 'train.jsonl' } },
      artifacts: { output_dir: outputDir(), adapter: outputDir(), dataset_sha256: SHA },
      checkpoints: [{ step: 4, path: path.join(outputDir(), 'checkpoint-4') }],
      evals: [evalDir()],
    };
    await writeJob(jobDir(JOB_ID), record);
    await writeModelRecord(workspaceRoot(), {
      id: 'models-view-onnx', kind: 'export', name: 'Models view job checkpoint-4 (onnx)', createdAt: '2026-12-07T10:00:00Z', format: 'onnx',
      source: { jobId: JOB_ID, checkpointStep: 4, datasetSha256: SHA }, location: { backend: 'local', path: exportDir() },
      check: { passed: true, maxAbsLogitsDiff: 2.5e-5, tolerance: 1e-3, tokensEqual: 3, prompts: 3 },
    });
    await writeModelRecord(workspaceRoot(), {
      id: 'models-view-served', kind: 'deployment', name: 'Models view served', createdAt: '2026-12-07T11:00:00Z',
      source: { recordId: 'models-view-onnx' }, server: 'onnx-local', location: { backend: 'local', path: exportDir() },
      endpoint: 'http://127.0.0.1:9/v1', servedModel: 'models-view', startedAt: '2026-12-07T11:00:00Z', stoppedAt: '2026-12-07T12:00:00Z',
    });
  });

  after(async () => {
    await fs.rm(jobDir(JOB_ID), { recursive: true, force: true });
    await fs.rm(evalDir(), { recursive: true, force: true });
    await fs.rm(path.join(workspaceRoot(), 'models-view-run'), { recursive: true, force: true });
    await fs.rm(path.join(workspaceRoot(), '.finetune', 'models'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the four groups, the job with its scores and checkpoint, the export and the deployment, each with its lineage', async () => {
    const ctx = await api();
    // The view refreshes itself from the file events of the records written above.
    const shown = await eventually(ctx.models.tree.onDidChangeTreeData, async () => {
      const g = await groups();
      return g.get('finetuned')?.some((n) => n.kind === 'job' && n.record.id === JOB_ID) && g.get('deployments')?.length ? g : undefined;
    }, 15_000, 'the Models view to list the job, the export and the deployment');
    assert.deepEqual([...shown.keys()], ['base', 'finetuned', 'exports', 'deployments']);

    const job = shown.get('finetuned')!.find((n) => n.kind === 'job' && n.record.id === JOB_ID)!;
    const children = await ctx.models.tree.getChildren(job);
    assert.deepEqual(children.map((c) => c.kind), ['lineage', 'eval', 'checkpoint']);
    assert.equal(ctx.models.tree.getTreeItem(children[1]!).label, 'ROUGE-L 41.20 · BLEU-4 20.00');
    assert.equal(ctx.models.tree.getTreeItem(children[2]!).label, 'checkpoint-4');
    assert.deepEqual(await linkKinds(job), ['dataset', 'job']);
    assert.deepEqual(await linkKinds(children[2]!), ['dataset', 'job', 'checkpoint']);

    const exported = shown.get('exports')!.find((n) => n.kind === 'export' && n.record.id === 'models-view-onnx')!;
    const exportItem = ctx.models.tree.getTreeItem(exported);
    assert.match(String(exportItem.description), /^onnx · /);
    assert.match(String(exportItem.description), /3\/3/, 'the check figures');
    assert.deepEqual(await linkKinds(exported), ['dataset', 'job', 'checkpoint', 'export']);

    const deployed = shown.get('deployments')!.find((n) => n.kind === 'deployment' && n.record.id === 'models-view-served')!;
    const deployItem = ctx.models.tree.getTreeItem(deployed);
    assert.match(String(deployItem.description), /http:\/\/127\.0\.0\.1:9\/v1/);
    assert.match(String(deployItem.contextValue), /\bstopped\b/);
    assert.deepEqual(await linkKinds(deployed), ['dataset', 'job', 'checkpoint', 'export', 'deployment']);

    // The dataset link opens the training data; its description is the content hash.
    const lineage = (await ctx.models.tree.getChildren(deployed))[0]!;
    const [dataset] = await ctx.models.tree.getChildren(lineage);
    assert.match(String(ctx.models.tree.getTreeItem(dataset!).description), /^sha256 5e5e5e/);
    const open = ctx.models.tree.getTreeItem(dataset!).command!;
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(workspaceRoot(), 'train.jsonl'));
  });

  // Other suites (Export Model…, Serve Model Locally) add records of their own to the shared workspace.
  const ours = (id: string) => id.startsWith('models-view-');

  it('Remove from Models deletes only the export\'s record: its files, the job and the deployment stay', async () => {
    const ctx = await api();
    const exported = (await groups()).get('exports')!.find((n) => n.kind === 'export' && n.record.id === 'models-view-onnx')!;
    const removed = await vscode.commands.executeCommand<boolean>('finetune.removeModelRecord', exported, { confirmed: true });
    assert.equal(removed, true);
    assert.deepEqual((await listModelRecords(workspaceRoot())).map((r) => r.id).filter(ours), ['models-view-served']);
    await fs.access(path.join(exportDir(), 'onnx', 'model.onnx'));
    await fs.access(path.join(jobDir(JOB_ID), 'job.json'));
    const after = await eventually(ctx.models.tree.onDidChangeTreeData, async () => {
      const g = await groups();
      return g.get('exports')?.some((n) => n.kind === 'export' && n.record.id === 'models-view-onnx') ? undefined : g;
    }, 10_000, 'the export to leave the view');
    // The deployment of the removed export still shows what it can: itself.
    const deployed = after.get('deployments')!.find((n) => n.kind === 'deployment' && n.record.id === 'models-view-served')!;
    assert.deepEqual(await linkKinds(deployed), ['deployment']);
    // A running deployment is never removed (its record is how it is stopped).
    const running = { ...deployed, record: { ...(deployed as Extract<ModelsNode, { kind: 'deployment' }>).record, stoppedAt: undefined } };
    assert.equal(await vscode.commands.executeCommand<boolean>('finetune.removeModelRecord', running, { confirmed: true }), false);
    assert.deepEqual((await listModelRecords(workspaceRoot())).map((r) => r.id).filter(ours), ['models-view-served']);
  });
});

describe('Models view: Export Model… records the export (stand-in trainer)', function () {
  this.timeout(90_000);
  const MODEL = 'models/models-view-stand-in';

  before(async () => {
    const ctx = await api();
    await fs.mkdir(path.join(workspaceRoot(), MODEL), { recursive: true });
    await fs.writeFile(path.join(workspaceRoot(), MODEL, 'config.json'), '{"model_type": "qwen3"}');
    await fs.writeFile(path.join(workspaceRoot(), MODEL, 'model.safetensors'), '');
    await vscode.workspace.getConfiguration('finetune').update('python.path', '/usr/bin/python3', vscode.ConfigurationTarget.Workspace);
    process.env.FINETUNE_TRAINER_ENTRY = path.join(ctx.platform.extension.extensionPath, 'test', 'fixtures', 'trainer', 'fake_trainer.py');
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.05';
  });

  after(async () => {
    await fs.rm(path.join(workspaceRoot(), MODEL), { recursive: true, force: true });
    await fs.rm(path.join(workspaceRoot(), '.finetune', 'models'), { recursive: true, force: true });
    delete process.env.FINETUNE_TRAINER_ENTRY;
    delete process.env.FAKE_TRAINER_STEP_SECONDS;
    await vscode.workspace.getConfiguration('finetune').update('python.path', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a merged export of a finished job becomes an ExportRecord with its job and location, listed with its lineage', async () => {
    const ctx = await api();
    const folder = vscode.workspace.workspaceFolders![0]!;
    const spec = JobSpec.parse({ name: 'models view export', baseModel: MODEL, dataset: { train: 'train.jsonl' }, backend: { kind: 'local', devices: 'cpu' } });
    const started = (await ctx.jobs.runner.start(folder, spec))!;
    assert.ok(started, 'the job started');
    const dir = jobDir(started.id);
    await eventually(ctx.jobs.runner.onDidChange, async () => {
      const r = await readJobRecord(dir).catch(() => undefined);
      return r?.status === 'succeeded' && !ctx.jobs.runner.running.some((j) => j.id === r.id) ? r : undefined;
    }, 60_000, 'the job to succeed');
    const model = await vscode.commands.executeCommand<string>('finetune.exportJob', { dir }, 'merged');
    assert.ok(model, 'the export returned its folder');
    const records = (await listModelRecords(workspaceRoot())).flatMap((r) => ('record' in r ? [r.record] : []));
    const record = records.find((r) => r.kind === 'export' && r.source.jobId === started.id);
    assert.ok(record && record.kind === 'export', `an export record for ${started.id}: ${JSON.stringify(records)}`);
    assert.equal(record.format, 'merged');
    assert.deepEqual(record.location, { backend: 'local', path: model });
    assert.equal(record.check, undefined, 'a merged export has no ONNX check');
    const node = await eventually(ctx.models.tree.onDidChangeTreeData, async () =>
      (await groups()).get('exports')?.find((n) => n.kind === 'export' && n.record.id === record.id), 10_000, 'the export in the view');
    assert.deepEqual(await linkKinds(node), ['dataset', 'job', 'export']);

    // A checkpoint exported from the view: into its own folder, recorded with its step.
    const job = (await groups()).get('finetuned')!.find((n) => n.kind === 'job' && n.record.id === started.id)!;
    const checkpoint = (await ctx.models.tree.getChildren(job)).find((c) => c.kind === 'checkpoint');
    assert.ok(checkpoint?.kind === 'checkpoint', 'the job shows its checkpoints');
    const fromCheckpoint = await vscode.commands.executeCommand<string>('finetune.exportJob', checkpoint, 'merged');
    assert.equal(fromCheckpoint, path.join(checkpoint.path, 'merged'));
    const stepRecord = (await listModelRecords(workspaceRoot())).flatMap((r) => ('record' in r ? [r.record] : []))
      .find((r) => r.kind === 'export' && r.source.checkpointStep === checkpoint.step);
    assert.ok(stepRecord, 'the checkpoint export is recorded with its step');
    // A checkpoint path that is not in the job's run (job.json is untrusted) is refused: nothing is written there.
    const elsewhere = path.join(workspaceRoot(), 'models-view-elsewhere', `checkpoint-${checkpoint.step}`);
    await fs.mkdir(elsewhere, { recursive: true });
    const before = (await listModelRecords(workspaceRoot())).length;
    assert.equal(await vscode.commands.executeCommand('finetune.exportJob', { ...checkpoint, path: elsewhere }, 'merged'), undefined);
    assert.deepEqual(await fs.readdir(elsewhere), []);
    assert.equal((await listModelRecords(workspaceRoot())).length, before);
    await fs.rm(path.dirname(elsewhere), { recursive: true, force: true });
    await fs.rm(dir, { recursive: true, force: true });
  });
});
