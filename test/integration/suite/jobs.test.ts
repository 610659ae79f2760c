// Jobs in a real VS Code: start, follow, finish, fail, cancel, re-attach after a simulated reload, continue from a
// checkpoint, a deleted run folder, imported runs. The trainer here is test/fixtures/trainer/fake_trainer.py, a
// stand-in that speaks the real event protocol through the trainer's own events module, so these cases (failures,
// timing, cancel) are quick and certain. The real trainer runs in realTrainer.test.ts where a Python with torch,
// transformers and peft can be had (scripts/lib/trainerPython.mjs), and in trainer/tests.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, eventually, workspaceRoot } from './util';
import { JobSpec } from '../../../src/shared/jobSpec';
import { readJobRecord, writeJob } from '../../../src/core/jobs/jobStore';
import { LocalBackend } from '../../../src/backends/local/localBackend';
import { loadRunSecret } from '../../../src/backends/local/runToken';
import { toTrainConfig } from '../../../src/core/jobs/trainConfig';
import type { JobRecord } from '../../../src/shared/job';
import type { PreflightFailure } from '../../../src/features/jobs/runner';
import type { StartJobPanel } from '../../../src/features/jobs/startJob/panel';

const PYTHON = '/usr/bin/python3';
/** A folder that passes the base-model pre-flight (config.json and a weights file); the stand-in trainer reads neither. */
const STAND_IN_MODEL = 'models/stand-in-model';

function spec(name: string, extra: Partial<Record<string, unknown>> = {}): JobSpec {
  return JobSpec.parse({ name, baseModel: STAND_IN_MODEL, dataset: { train: 'train.jsonl' }, backend: { kind: 'local', devices: 'cpu' }, ...extra });
}

function folder(): vscode.WorkspaceFolder {
  return vscode.workspace.workspaceFolders![0]!;
}

async function settled(dir: string, ms = 30_000): Promise<JobRecord> {
  const ctx = await api();
  return eventually(ctx.jobs.runner.onDidChange, async () => {
    const r = await readJobRecord(dir).catch(() => undefined);
    return r && ['succeeded', 'failed', 'cancelled'].includes(r.status) && !ctx.jobs.runner.running.some((j) => j.id === r.id) ? r : undefined;
  }, ms, `job ${path.basename(dir)} to end`);
}

function jobDir(record: JobRecord): string {
  return path.join(workspaceRoot(), '.finetune', 'jobs', record.id);
}

/** The job folders under .finetune/jobs, to check that a start refused by its pre-flight made none. */
async function jobFolders(): Promise<string[]> {
  return (await fs.readdir(path.join(workspaceRoot(), '.finetune', 'jobs')).catch(() => [])).sort();
}

/** Starts `name` and returns what the runner said about its pre-flight, if it refused it. */
async function startCatchingPreflight(name: string): Promise<{ started: JobRecord | undefined; failures: PreflightFailure[] }> {
  const ctx = await api();
  const failures: PreflightFailure[] = [];
  const listening = ctx.jobs.runner.onDidFailPreflight((f) => failures.push(f));
  try {
    return { started: await ctx.jobs.runner.start(folder(), spec(name)), failures };
  } finally {
    listening.dispose();
  }
}

async function eventLines(dir: string): Promise<Record<string, unknown>[]> {
  return (await fs.readFile(path.join(dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Training jobs (local backend, stand-in trainer)', function () {
  this.timeout(90_000);
  const saved = { ...process.env };

  before(async () => {
    const ctx = await api();
    const model = path.join(workspaceRoot(), STAND_IN_MODEL);
    await fs.mkdir(model, { recursive: true });
    await fs.writeFile(path.join(model, 'config.json'), '{"model_type": "qwen3"}');
    await fs.writeFile(path.join(model, 'model.safetensors'), '');
    await vscode.workspace.getConfiguration('finetune').update('python.path', PYTHON, vscode.ConfigurationTarget.Workspace);
    process.env.FINETUNE_TRAINER_ENTRY = path.join(ctx.platform.extension.extensionPath, 'test', 'fixtures', 'trainer', 'fake_trainer.py');
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.05';
  });

  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('FAKE_TRAINER_') && !(key in saved)) delete process.env[key];
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.05';
  });

  after(async () => {
    await fs.rm(path.join(workspaceRoot(), STAND_IN_MODEL), { recursive: true, force: true });
    delete process.env.FINETUNE_TRAINER_ENTRY;
    await vscode.workspace.getConfiguration('finetune').update('python.path', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('starts a job, copies every event into the job folder and ends it succeeded with progress, loss and checkpoints', async () => {
    const ctx = await api();
    const started = await ctx.jobs.runner.start(folder(), spec('江湖郎中 LoRA'));
    assert.ok(started, 'the job started');
    assert.equal(started.status, 'running');
    assert.ok(started.run && started.run.pid > 0);
    const dir = jobDir(started);
    const record = await settled(dir);
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.progress?.step, record.progress?.totalSteps);
    assert.ok(record.latestLoss !== undefined);
    assert.ok(record.checkpoints?.length, 'checkpoints recorded');
    const copied = await fs.readFile(path.join(dir, 'events.jsonl'));
    const original = await fs.readFile(path.join(record.run!.runDir, 'events.jsonl'));
    assert.ok(copied.equals(original), "the job's events.jsonl is a byte-for-byte copy of the run's");
    const types = (await eventLines(dir)).map((e) => e.type);
    assert.equal(types[0], 'start');
    assert.equal(types.at(-1), 'done');
    const config = JSON.parse(await fs.readFile(path.join(record.run!.runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config.train_file, path.join(workspaceRoot(), 'train.jsonl'));
    assert.equal(config.model_name_or_path, path.join(workspaceRoot(), STAND_IN_MODEL));
    // The Jobs view shows it finished, with the loss.
    const node = (await ctx.jobs.tree.getChildren()).find((n) => n.id === record.id)!;
    const item = ctx.jobs.tree.getTreeItem(node);
    assert.match(String(item.contextValue), /\bsucceeded\b/);
    assert.match(String(item.description), /100%/);
  });

  it('evaluates a finished job on a test set (the trainer\'s predict) and stores the scored eval run', async () => {
    const ctx = await api();
    const started = (await ctx.jobs.runner.start(folder(), spec('to evaluate')))!;
    await settled(jobDir(started));
    const testSet = path.join(workspaceRoot(), 'eval.jsonl');
    const run = await vscode.commands.executeCommand<{ dir: string }>('finetune.evaluateJob', { dir: jobDir(started) }, { testSet, withBase: true });
    assert.ok(run?.dir, 'an eval run was stored');
    assert.ok(run.dir.includes(path.join('.finetune', 'evals')));
    assert.deepEqual((await readJobRecord(jobDir(started))).evals, [run.dir], 'the eval run is kept with the job');
    const meta = JSON.parse(await fs.readFile(path.join(run.dir, 'eval.json'), 'utf8')) as { models: { name: string; kind: string; isBase?: boolean }[] };
    assert.deepEqual(meta.models.map((m) => [m.name, m.kind, m.isBase === true]), [['stand-in-model', 'base', true], ['to evaluate', 'finetuned', false]]);
    const taskDirs = (await fs.readdir(jobDir(started))).filter((d) => d.startsWith('predict-'));
    assert.ok(taskDirs.length >= 1, 'predict ran in its own folder of the job');
    const scores = JSON.parse(await fs.readFile(path.join(run.dir, 'scores.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(Object.keys(scores).length > 0, 'scores were written');
    const samples = (await fs.readFile(testSet, 'utf8')).trim().split('\n').length;
    const predictions = (await fs.readdir(run.dir)).filter((f) => f.endsWith('.predictions.jsonl'));
    assert.equal(predictions.length, 2);
    for (const p of predictions) assert.equal((await fs.readFile(path.join(run.dir, p), 'utf8')).trim().split('\n').length, samples);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('exports the merged model of a finished job', async () => {
    const ctx = await api();
    const started = (await ctx.jobs.runner.start(folder(), spec('to export')))!;
    const record = await settled(jobDir(started));
    const model = await vscode.commands.executeCommand<string>('finetune.exportJob', { dir: jobDir(started) }, 'merged');
    assert.equal(model, path.join(record.run!.runDir, 'output', 'merged'));
    assert.ok((await fs.readdir(model)).includes('model.safetensors'));
  });

  it('duplicates a job with changes: the Start Job form opens filled in from its spec', async () => {
    const ctx = await api();
    const original = spec('to duplicate', { hyperparameters: { epochs: 7, loraRank: 32 } });
    const started = (await ctx.jobs.runner.start(folder(), original))!;
    await settled(jobDir(started));
    const panel = await vscode.commands.executeCommand<StartJobPanel>('finetune.duplicateJob', { dir: jobDir(started) });
    assert.ok(panel, 'the form opened');
    await panel.settled();
    assert.match(String(panel.spec.name), /to duplicate/);
    assert.notEqual(panel.spec.name, 'to duplicate');
    const h = panel.spec.hyperparameters as { epochs?: number; loraRank?: number } | undefined;
    assert.equal(h?.epochs, 7);
    assert.equal(h?.loraRank, 32);
    panel.dispose();
  });

  it('marks the job failed with the trainer\'s reason and fix (out of memory)', async () => {
    const ctx = await api();
    process.env.FAKE_TRAINER_FAIL = 'oom';
    const started = await ctx.jobs.runner.start(folder(), spec('oom'));
    const record = await settled(jobDir(started!));
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /out of memory/i);
    assert.match(record.errorFix ?? '', /batch/i);
  });

  it('cancels a running job: the process group ends and the job is cancelled', async () => {
    const ctx = await api();
    process.env.FAKE_TRAINER_STEPS = '400';
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.1';
    const started = (await ctx.jobs.runner.start(folder(), spec('to cancel')))!;
    const dir = jobDir(started);
    await eventually(ctx.jobs.runner.onDidChange, async () => ((await readJobRecord(dir)).progress?.step ?? 0) >= 2 || undefined, 20_000, 'two steps');
    assert.equal(await vscode.commands.executeCommand('finetune.cancelJob', { dir }), true);
    const record = await settled(dir);
    assert.equal(record.status, 'cancelled');
    assert.throws(() => process.kill(started.run!.pid, 0), 'the trainer process is gone');
  });

  it('re-attaches to a job started by an earlier window, reading events from the saved offset without duplicates', async () => {
    const ctx = await api();
    // An earlier window launched it and copied the first event, then VS Code reloaded.
    const s = spec('before reload');
    const id = `reattach-${Date.now()}`;
    const dir = path.join(workspaceRoot(), '.finetune', 'jobs', id);
    const runDir = path.join(dir, 'run');
    process.env.FAKE_TRAINER_STEPS = '12';
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.1';
    // An earlier window signs its runs with the same machine secret, kept in the extension's global storage.
    const secret = await loadRunSecret(ctx.platform.extension.globalStorageUri.fsPath);
    const backend = new LocalBackend({ python: PYTHON, trainerDir: path.join(ctx.platform.extension.extensionPath, 'trainer'), entryScript: process.env.FINETUNE_TRAINER_ENTRY! }, secret);
    const run = await backend.start({ command: 'train', runDir, config: toTrainConfig(s, { workspaceRoot: workspaceRoot() }), devices: 'cpu' });
    let first: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 100 && first.indexOf(0x0a) < 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await backend.readEvents(run, 0);
    }
    await fs.writeFile(path.join(dir, 'events.jsonl'), first.subarray(0, first.indexOf(0x0a) + 1));
    await writeJob(dir, { id, name: s.name, method: 'lora', baseModel: s.baseModel, status: 'running', createdAt: new Date().toISOString(), run, spec: s as unknown as Record<string, unknown> });
    assert.equal(await ctx.jobs.runner.reattachAll(), 1);
    const record = await settled(dir);
    assert.equal(record.status, 'succeeded', record.error);
    const copied = await fs.readFile(path.join(dir, 'events.jsonl'));
    assert.ok(copied.equals(await fs.readFile(path.join(runDir, 'events.jsonl'))), 'no event lost or doubled across the reload');
  });

  it('continues from a checkpoint as a new job whose steps go on from it', async () => {
    const ctx = await api();
    const first = (await ctx.jobs.runner.start(folder(), spec('to continue')))!;
    const done = await settled(jobDir(first));
    const checkpoint = done.checkpoints!.at(-1)!;
    process.env.FAKE_TRAINER_STEPS = '12'; // the stand-in's total steps: the continued run goes on to 12
    const next = (await vscode.commands.executeCommand<JobRecord>('finetune.continueJob', { dir: jobDir(first) }, { checkpoint: checkpoint.path, epochs: 6 }))!;
    assert.equal(next.resumedFrom, checkpoint.path);
    const record = await settled(jobDir(next));
    assert.equal(record.status, 'succeeded', record.error);
    const steps = (await eventLines(jobDir(next))).filter((e) => e.type === 'step').map((e) => e.step as number);
    assert.ok(steps[0]! > checkpoint.step, `steps go on after ${checkpoint.step}: ${steps.join(',')}`);
    const config = JSON.parse(await fs.readFile(path.join(record.run!.runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config.resume_from_checkpoint, checkpoint.path);
    assert.equal(config.num_train_epochs, 6);
  });

  it('fails the job with a clear reason when its run folder is deleted mid-run', async () => {
    const ctx = await api();
    process.env.FAKE_TRAINER_STEPS = '400';
    process.env.FAKE_TRAINER_STEP_SECONDS = '0.1';
    const started = (await ctx.jobs.runner.start(folder(), spec('run folder deleted')))!;
    const dir = jobDir(started);
    await eventually(ctx.jobs.runner.onDidChange, async () => ((await readJobRecord(dir)).progress?.step ?? 0) >= 1 || undefined, 20_000, 'a step');
    await fs.rm(started.run!.runDir, { recursive: true, force: true });
    const record = await settled(dir);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /deleted/);
    assert.throws(() => process.kill(started.run!.pid, 0), 'the trainer was stopped');
  });

  it('says the reason and fix when Python cannot be found, and leaves no failed job behind', async () => {
    const ctx = await api();
    await vscode.workspace.getConfiguration('finetune').update('python.path', '/nonexistent/python3', vscode.ConfigurationTarget.Workspace);
    try {
      const before = await jobFolders();
      const { started, failures } = await startCatchingPreflight('no python');
      assert.equal(started, undefined);
      assert.deepEqual(await jobFolders(), before, 'no job folder was made');
      const jobs = (await ctx.jobs.tree.getChildren()).filter((n) => 'record' in n && n.record.name === 'no python');
      assert.equal(jobs.length, 0);
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.name, 'no python');
      assert.match(failures[0]!.error, /\/nonexistent\/python3/);
      assert.match(failures[0]!.fix ?? '', /finetune\.python\.path/);
    } finally {
      await vscode.workspace.getConfiguration('finetune').update('python.path', PYTHON, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('refuses a base model that cannot be trained before any job folder exists: tokenizer files only, an unreachable hub', async () => {
    const ctx = await api();
    const before = await jobFolders();
    const failures: PreflightFailure[] = [];
    const listening = ctx.jobs.runner.onDidFailPreflight((f) => failures.push(f));
    const saved = { endpoint: process.env.HF_ENDPOINT, cache: process.env.HF_HUB_CACHE };
    // A loopback port that was just free: the hub is unreachable at once; an empty cache holds nothing.
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    process.env.HF_ENDPOINT = `http://127.0.0.1:${closedPort}`;
    process.env.HF_HUB_CACHE = path.join(workspaceRoot(), '.hf-cache-empty');
    try {
      assert.equal(await ctx.jobs.runner.start(folder(), spec('tokenizer only', { baseModel: 'models/qwen3-tokenizer' })), undefined);
      assert.equal(await ctx.jobs.runner.start(folder(), spec('offline hub', { baseModel: 'Qwen/Qwen3-0.6B' })), undefined);
    } finally {
      listening.dispose();
      if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT; else process.env.HF_ENDPOINT = saved.endpoint;
      if (saved.cache === undefined) delete process.env.HF_HUB_CACHE; else process.env.HF_HUB_CACHE = saved.cache;
    }
    assert.deepEqual(await jobFolders(), before, 'no job folder was made');
    assert.deepEqual(failures.map((f) => f.name), ['tokenizer only', 'offline hub']);
    assert.match(failures[0]!.error, /qwen3-tokenizer has no config\.json|qwen3-tokenizer 中没有 config\.json/);
    assert.match(failures[0]!.fix ?? '', /Create Demo Model|创建演示模型/);
    assert.match(failures[1]!.error, new RegExp(`127\\.0\\.0\\.1:${closedPort}.*Qwen/Qwen3-0\\.6B.*ECONNREFUSED`));
  });

  it('with the real trainer, explains which packages are missing and how to install them, and leaves no failed job behind', async function () {
    const ctx = await api();
    delete process.env.FINETUNE_TRAINER_ENTRY;
    try {
      const before = await jobFolders();
      const { started, failures } = await startCatchingPreflight('real trainer preflight');
      if (started) {
        // torch, transformers, peft and accelerate are all there: this machine can really train. Stop it.
        await ctx.jobs.runner.cancel(jobDir(started));
        this.skip();
      }
      assert.deepEqual(await jobFolders(), before, 'no job folder was made');
      const node = (await ctx.jobs.tree.getChildren()).find((n) => 'record' in n && n.record.name === 'real trainer preflight');
      assert.equal(node, undefined);
      assert.equal(failures.length, 1);
      assert.match(failures[0]!.error, /torch|transformers|peft|accelerate/);
      assert.match(failures[0]!.fix ?? '', /-m pip install torch transformers peft accelerate/);
    } finally {
      process.env.FINETUNE_TRAINER_ENTRY = path.join(ctx.platform.extension.extensionPath, 'test', 'fixtures', 'trainer', 'fake_trainer.py');
    }
  });

  it('imports a run trained elsewhere into the Jobs view, with its verdict in the tooltip', async () => {
    const ctx = await api();
    const source = path.join(workspaceRoot(), 'elsewhere', 'qwen-lora');
    await fs.mkdir(source, { recursive: true });
    await fs.copyFile(path.join(ctx.platform.extension.extensionPath, 'test', 'fixtures', 'curves', 'hf-overfit', 'trainer_state.json'), path.join(source, 'trainer_state.json'));
    await fs.writeFile(path.join(source, 'adapter_config.json'), JSON.stringify({ base_model_name_or_path: 'Qwen/Qwen2.5-0.5B-Instruct' }));
    const record = await vscode.commands.executeCommand<JobRecord>('finetune.importTrainingRun', vscode.Uri.file(path.join(source, 'trainer_state.json')));
    assert.ok(record);
    assert.equal(record.baseModel, 'Qwen/Qwen2.5-0.5B-Instruct');
    assert.equal(record.importedFrom, path.join(source, 'trainer_state.json'));
    const node = (await ctx.jobs.tree.getChildren()).find((n) => n.id === record.id)!;
    const item = await ctx.jobs.tree.resolveTreeItem(ctx.jobs.tree.getTreeItem(node), node);
    assert.match(String(item.contextValue), /\bimported\b/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /overfit|过拟合/i);
  });
});
