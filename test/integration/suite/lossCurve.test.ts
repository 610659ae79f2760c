import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { EXTENSION_ID, closeAllEditors, eventually, workspaceRoot } from './util';
import type { LossCurvePanel } from '../../../src/panels/lossCurvePanel';

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
    assert.equal(csv?.fsPath, file + '.curves.csv');
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
});
