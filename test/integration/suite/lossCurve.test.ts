import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { EXTENSION_ID, closeAllEditors, eventually, workspaceRoot } from './util';
import type { LossCurvePanel } from '../../../src/features/curves/lossCurvePanel';

const fixture = (...parts: string[]) => path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'curves', ...parts);
const tick = new vscode.EventEmitter<void>();

describe('loss curves', () => {
  const dir = () => path.join(workspaceRoot(), 'runs-under-test');
  afterEach(async () => {
    await closeAllEditors();
    await fs.rm(dir(), { recursive: true, force: true });
  });

  it('opens a HF trainer_state.json, diagnoses it, follows the file on disk and exports CSV', async () => {
    const file = path.join(dir(), 'hf', 'trainer_state.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.copyFile(fixture('hf-overfit', 'trainer_state.json'), file);
    const panel = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', vscode.Uri.file(file));
    assert.ok(panel, 'the command returns the panel');
    await panel.ready;
    const last = panel.last;
    assert.ok(last && 'run' in last, `run: ${JSON.stringify(last)}`);
    const { run } = last;
    assert.equal(run.verdict, 'overfitting');
    assert.equal(run.bestStep, 100);
    assert.equal(run.source, 'hf-trainer-state');
    assert.equal(run.train.length, 60);
    assert.equal(run.eval.length, 12);
    assert.equal(run.learningRate.length, 60);
    assert.equal(run.checkpoints.length, 1);
    assert.ok(run.evidence.length > 0);
    assert.match(run.advice, /checkpoint-100/);

    // The same file again: the same panel.
    const again = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', vscode.Uri.file(file));
    assert.equal(again, panel);

    // CSV beside the log.
    const csv = await panel.exportCsv();
    assert.deepEqual(csv.map((u) => u.fsPath), [file + '.curves.csv']);
    const lines = (await fs.readFile(file + '.curves.csv', 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'step,epoch,train_loss,eval_loss,learning_rate,checkpoint');
    assert.equal(lines.length, 1 + 60);

    // The run goes on writing its log: now with a NaN loss.
    await fs.writeFile(file, await fs.readFile(fixture('hf-nan', 'trainer_state.json')));
    const diverged = await eventually(tick.event, async () => {
      const l = panel.last;
      return l && 'run' in l && l.run.verdict === 'diverged' ? l.run : undefined;
    }, 15_000, 'the panel to follow the file on disk');
    assert.equal(diverged.train.length, 30);
    assert.ok(diverged.train.some((p) => p.loss === null), 'NaN travels as a gap');
    assert.equal(diverged.bestStep, 190);
  });

  it('opens a LLaMA-Factory log, and says why when a file is not a training log', async () => {
    const log = path.join(dir(), 'lf', 'trainer_log.jsonl');
    await fs.mkdir(path.dirname(log), { recursive: true });
    await fs.copyFile(fixture('llamafactory', 'trainer_log.jsonl'), log);
    const panel = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', vscode.Uri.file(log));
    await panel!.ready;
    const last = panel!.last;
    assert.ok(last && 'run' in last, `run: ${JSON.stringify(last)}`);
    assert.equal(last.run.source, 'llamafactory-log');
    assert.ok(last.run.train.length >= 10);

    const bad = path.join(dir(), 'bad', 'trainer_state.json');
    await fs.mkdir(path.dirname(bad), { recursive: true });
    await fs.writeFile(bad, 'not json <script>alert(1)</script>');
    const badPanel = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', vscode.Uri.file(bad));
    await badPanel!.ready;
    const error = badPanel!.last;
    assert.ok(error && 'error' in error, `error: ${JSON.stringify(error)}`);
    assert.match(error.error, /trainer_state\.json/);
  });

  it('overlays the runs of a multi-file command argument, adds and removes runs, and exports the chart as PNG', async () => {
    const files = ['hf-overfit/trainer_state.json', 'llamafactory/trainer_log.jsonl', 'events.jsonl'].map((name, i) => {
      const target = path.join(dir(), `run${i}`, path.basename(name));
      return { source: fixture(...name.split('/')), target };
    });
    for (const f of files) {
      await fs.mkdir(path.dirname(f.target), { recursive: true });
      await fs.copyFile(f.source, f.target);
    }
    const [a, b, c] = files.map((f) => vscode.Uri.file(f.target));
    const panel = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', [a, b]);
    await panel.ready;
    const read = (p: LossCurvePanel) => p.runs.map((r) => (r.last && 'run' in r.last ? r.last.run.source : r.last));
    await eventually(panel.onDidUpdate, async () => (read(panel).every((x) => typeof x === 'string') ? true : undefined), 15_000, 'both runs read');
    assert.deepEqual(read(panel), ['hf-trainer-state', 'llamafactory-log']);
    assert.deepEqual(panel.runs.map((r) => r.colour), [0, 1], 'each run has its own colour');

    // The explorer passes the clicked file and the selection: the same panel (keyed by the first file) gets the new one.
    const again = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', a, [a, c]);
    assert.equal(again, panel);
    await eventually(panel.onDidUpdate, async () => (panel.runs.length === 3 && read(panel)[2] === 'events' ? true : undefined), 15_000, 'the third run');
    assert.equal(new Set(panel.runs.map((r) => r.colour)).size, 3);
    panel.removeRun(b.toString());
    assert.deepEqual(panel.runs.map((r) => r.file.fsPath), [a.fsPath, c.fsPath]);
    // The first run removed, then opened again: back in the same panel.
    panel.removeRun(a.toString());
    assert.equal(await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', a), panel);
    assert.deepEqual(panel.runs.map((r) => r.file.fsPath), [c.fsPath, a.fsPath]);

    // PNG: the page draws the chart and sends the bytes (validated); the host checks the signature and writes them.
    const png = path.join(dir(), 'chart.png');
    const written = await panel.exportPng(vscode.Uri.file(png));
    assert.equal(written?.fsPath, png);
    const bytes = await fs.readFile(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(bytes.length > 2_000, `a real image, not an empty canvas: ${bytes.length} bytes`);
  });

  it('follows a job events.jsonl that does not exist yet and grows while the job runs', async () => {
    const events = path.join(dir(), '.finetune', 'jobs', 'job-live', 'events.jsonl');
    const panel = await vscode.commands.executeCommand<LossCurvePanel>('finetune.openTrainingLog', vscode.Uri.file(events));
    await panel.ready;
    const waiting = panel.last;
    assert.ok(waiting && 'error' in waiting && waiting.waiting, `waiting for the file: ${JSON.stringify(waiting)}`);

    await fs.mkdir(path.dirname(events), { recursive: true });
    const step = (n: number) => JSON.stringify({ type: 'step', step: n, epoch: n / 100, loss: 2 * Math.exp(-n / 40) + 0.5, learning_rate: 1e-4 }) + '\n';
    await fs.writeFile(events, JSON.stringify({ type: 'start', time: '2026-11-25T00:00:00Z' }) + '\n');
    let written = 0;
    const trainPoints = () => { const l = panel.last; return l && 'run' in l ? l.run.train.length : -1; };
    // Another process appends a few lines at a time: the panel's run grows with them.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) await fs.appendFile(events, step(++written));
      const expected = written;
      await eventually(panel.onDidUpdate, async () => (trainPoints() === expected ? true : undefined), 15_000, `${expected} train points`);
    }
    assert.equal(trainPoints(), 20);
  });
});
