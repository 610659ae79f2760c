// Starting jobs in real VS Code: the Start Job form (its recommendations for the example's train.jsonl, a dataset with
// errors blocking Start, Save as spec file) and `*.ftjob.json` specs (CodeLens, diagnostics at JSON paths, Start Job
// from Spec File). ctx.jobs.runner.start is replaced for these tests: they check what reaches it, and train nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { api, closeAllEditors, diagnosticsFor, eventually, workspaceFile, workspaceRoot } from './util';
import type { StartJobPanel } from '../../../src/features/jobs/startJob/panel';
import type { JobSpec } from '../../../src/shared/jobSpec';
import type { StartOptions } from '../../../src/features/jobs/runner';

interface StartCall { folder: vscode.WorkspaceFolder; spec: JobSpec; options: StartOptions | undefined }

describe('start job', () => {
  const calls: StartCall[] = [];
  let restore: () => void = () => undefined;
  const written: string[] = [];

  beforeEach(async () => {
    const ctx = await api();
    calls.length = 0;
    const runner = ctx.jobs.runner as { start: typeof ctx.jobs.runner.start };
    const original = runner.start;
    runner.start = async (folder, spec, options) => { calls.push({ folder, spec, options }); return undefined; };
    restore = () => { runner.start = original; };
  });

  afterEach(async () => {
    restore();
    await closeAllEditors();
    for (const file of written.splice(0)) await fs.rm(file, { force: true });
  });

  it('starts the example spec file: the parsed spec with its defaults reaches the job runner', async () => {
    const uri = workspaceFile('wuxia-lora.ftjob.json');
    await vscode.commands.executeCommand('finetune.startJobFromSpec', uri);
    assert.equal(calls.length, 1, 'ctx.jobs.runner.start was called once');
    const [call] = calls;
    assert.equal(call!.spec.name, 'wuxia-doctor-lora');
    assert.equal(call!.spec.method, 'lora');
    assert.deepEqual(call!.spec.dataset, { train: 'train.jsonl', eval: 'eval.jsonl', evalShare: 0.1 });
    assert.equal(call!.spec.hyperparameters.epochs, 15);
    assert.equal(call!.spec.hyperparameters.warmupRatio, 0.03, 'defaults filled in');
    assert.equal(call!.options?.specFile?.fsPath, uri.fsPath);
    assert.equal(call!.folder.uri.fsPath, workspaceRoot());

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const commands = lenses.map((l) => l.command?.command).sort();
    assert.deepEqual(commands, ['finetune.startJob', 'finetune.startJobFromSpec']);
    assert.ok(lenses.some((l) => /Start job|启动任务/.test(l.command?.title ?? '')));
  });

  it('does not start a spec with errors, and puts them in the file at their JSON paths', async () => {
    const file = path.join(workspaceRoot(), 'broken.ftjob.json');
    written.push(file);
    const text = JSON.stringify({ name: 'broken', baseModel: 'm', dataset: { train: 'train.jsonl' }, hyperparameters: { learningRate: -1, epoch: 3 } }, null, 2);
    await fs.writeFile(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('finetune.startJobFromSpec', uri);
    assert.equal(calls.length, 0, 'nothing started');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length >= 2);
    const doc = await vscode.workspace.openTextDocument(uri);
    const byPath = new Map(diagnostics.map((d) => [d.message.split(':')[0], doc.getText(d.range)]));
    assert.equal(byPath.get('hyperparameters.learningRate'), '-1');
    assert.equal(byPath.get('hyperparameters.epoch'), '"epoch"');
  });

  it('the shipped JSON schema gives *.ftjob.json completion and validation (contributes.jsonValidation)', async () => {
    const file = path.join(workspaceRoot(), 'completion.ftjob.json');
    written.push(file);
    const text = '{\n  "name": "c",\n  "baseModel": "m",\n  "dataset": { "train": "train.jsonl" },\n  "hyperparameters": {  },\n  "method": "qlora"\n}\n';
    await fs.writeFile(file, text);
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const inside = doc.positionAt(text.indexOf('{  }') + 2);
    // The JSON language server starts on the first JSON file and then loads the schema: poll until it answers.
    const labels = await eventually(vscode.languages.onDidChangeDiagnostics, async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inside);
      const found = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return found.some((l) => l.includes('learningRate')) ? found : undefined;
    }, 60_000, 'completion from schemas/ftjob.schema.json');
    for (const key of ['epochs', 'learningRate', 'maxLength', 'loraRank', 'overLength']) {
      assert.ok(labels.some((l) => l.includes(key)), `completion offers ${key}: ${labels.join(', ')}`);
    }
    const fromSchema = await eventually(vscode.languages.onDidChangeDiagnostics, async () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'Fine-tune Studio' && /lora/.test(d.message));
      return found.length ? found : undefined;
    }, 30_000, 'the JSON language server to flag "qlora"');
    assert.equal(doc.getText(fromSchema[0]!.range), '"qlora"');
  });

  it('opens the form with the recommendations for train.jsonl; errors in a dataset block Start; Start and Save', async () => {
    const panel = await vscode.commands.executeCommand<StartJobPanel>('finetune.startJob');
    assert.ok(panel, 'the command returns the panel');
    await panel.ready;
    await panel.settled();
    const dataset = panel.spec['dataset'] as { train: string };
    assert.equal(dataset.train, 'train.jsonl');
    const train = panel.datasets.train?.check;
    assert.equal(train?.state, 'done', JSON.stringify(train));
    assert.equal(train?.samples, 60);
    assert.equal(train?.errorCount, 0);
    assert.ok(train?.tokens && train.tokens.max > 50, `token lengths with the workspace's tokenizer: ${JSON.stringify(train)}`);
    const r = panel.recommendations!;
    assert.ok(r, 'recommendations were made');
    // 60 samples, 10% held out: 54 → the guide's 15 epochs; all samples far within 4k → 4096.
    assert.equal(r.values['epochs'], 15);
    assert.equal(r.values['learningRate'], 2e-4);
    assert.equal(r.values['maxLength'], 4096);
    assert.match(r.reasons['epochs']!, /54 samples → 15 epochs|54 个样本 → 15 轮/);
    assert.match(r.reasons['maxLength']!, /4k/);

    // Full fine-tuning: the learning rate follows the method.
    panel.update({ ...panel.spec, method: 'full' });
    assert.equal(panel.recommendations!.values['learningRate'], 1e-5);

    // A dataset with errors blocks Start.
    const broken = { ...panel.spec, name: 'from-form', baseModel: 'Qwen/Qwen3-0.6B', method: 'lora', dataset: { train: 'train-with-mistakes.jsonl' } };
    const refused = await panel.start(broken);
    assert.equal(refused.ok, false);
    assert.equal(calls.length, 0, 'nothing started');
    assert.ok(refused.issues.some((i) => i.path === 'dataset.train'), JSON.stringify(refused.issues));
    assert.match(refused.issues.find((i) => i.path === 'dataset.train')!.message, /train-with-mistakes\.jsonl .*\d+/);

    // Invalid fields come back by path, nothing starts.
    const invalid = await panel.start({ ...broken, dataset: { train: 'train.jsonl' }, hyperparameters: { epochs: 'ten' } });
    assert.equal(invalid.ok, false);
    assert.deepEqual(invalid.issues.map((i) => i.path), ['hyperparameters.epochs']);

    // Save as spec file: `<name>.ftjob.json`, opened in an editor; no machine-specific "$schema" (jsonValidation gives it).
    const good = { ...broken, dataset: { train: 'train.jsonl' }, hyperparameters: { epochs: 15 } };
    const specFile = path.join(workspaceRoot(), 'from-form.ftjob.json');
    written.push(specFile);
    const saved = await panel.save(good);
    assert.equal(saved.ok, true);
    const json = JSON.parse(await fs.readFile(specFile, 'utf8')) as Record<string, unknown>;
    assert.equal(json['$schema'], undefined);
    assert.equal(json['name'], 'from-form');
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === specFile), 'the spec file is open');

    // Start with a clean dataset: the spec reaches the job runner.
    const started = await panel.start(good);
    assert.equal(calls.length, 1, JSON.stringify(started));
    assert.equal(calls[0]!.spec.name, 'from-form');
    assert.equal(calls[0]!.spec.hyperparameters.epochs, 15);
    assert.equal(calls[0]!.options?.specFile, undefined);
  });

  it('the backend chooser: a Slurm entry with its resources; a backend the settings lack is said at its field', async () => {
    const settings = vscode.workspace.getConfiguration('finetune');
    const before = settings.inspect<unknown[]>('backends')?.globalValue;
    await settings.update('backends', [
      { name: 'lab-slurm', kind: 'slurm', workDir: '/tmp/ft-work', slurm: { partition: 'gpu', gpus: 2, time: '04:00:00' } },
      { name: 'gpu-box', kind: 'ssh', host: 'gpu.example.org', user: 'me', workDir: '~/ft' },
    ], vscode.ConfigurationTarget.Global);
    try {
      const panel = await vscode.commands.executeCommand<StartJobPanel>('finetune.startJob');
      assert.ok(panel);
      await panel.ready;
      await panel.settled();
      const form = { ...panel.spec, name: 'on-slurm', baseModel: 'Qwen/Qwen3-0.6B', dataset: { train: 'train.jsonl' }, hyperparameters: { epochs: 2 } };

      // A name the settings lack, or the wrong kind: an issue at backend.name, nothing starts.
      panel.update({ ...form, backend: { kind: 'slurm', name: 'no-such-cluster', devices: 'auto' } });
      assert.ok(panel.issues.some((i) => i.path === 'backend.name' && /no-such-cluster/.test(i.message)), JSON.stringify(panel.issues));
      const refused = await panel.start({ ...form, backend: { kind: 'slurm', name: 'gpu-box', devices: 'auto' } });
      assert.equal(refused.ok, false);
      assert.ok(refused.issues.some((i) => i.path === 'backend.name' && /gpu-box/.test(i.message)), JSON.stringify(refused.issues));
      assert.equal(calls.length, 0, 'nothing started');

      // The configured Slurm entry: no issue, and the spec's backend reaches the runner as chosen.
      const chosen = { ...form, backend: { kind: 'slurm', name: 'lab-slurm', devices: 'auto' } };
      panel.update(chosen);
      assert.deepEqual(panel.issues.filter((i) => i.path.startsWith('backend')), []);
      const started = await panel.start(chosen);
      assert.equal(calls.length, 1, JSON.stringify(started));
      assert.deepEqual(calls[0]!.spec.backend, { kind: 'slurm', name: 'lab-slurm', devices: 'auto' });
    } finally {
      await settings.update('backends', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Edit in form" opens the form filled from a spec file', async () => {
    const panel = await vscode.commands.executeCommand<StartJobPanel>('finetune.startJob', workspaceFile('wuxia-lora.ftjob.json'));
    assert.ok(panel);
    await panel.ready;
    await panel.settled();
    assert.equal(panel.spec['name'], 'wuxia-doctor-lora');
    assert.equal((panel.spec['hyperparameters'] as Record<string, unknown>)['epochs'], 15);
    assert.equal(panel.datasets.eval?.check.state, 'done');
  });
});
