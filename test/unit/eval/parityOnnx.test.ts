// The export parity gate end to end with real models (parity_fixture.py): a LoRA job's adapter answers the first
// test samples through the trainer's predict, its ONNX export answers them through the local engine in its worker
// (as the gate runs both); scored alike, a correct export matches the adapter and passes, a corrupted one is flagged.
// Opt-in like realQwen3.test.ts (FINETUNE_TEST_REAL_ONNX=1 with the trainer venv; ~1 min of torch, ~300 MB).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createOnnxEngine } from '../../../src/inference/onnx';
import { answerWithEngine } from '../../../src/inference/engineAnswers';
import { readStoredPredictions, type StoredPrediction } from '../../../src/core/eval';
import { paritySubset, parityVerdict, PARITY_DEFAULTS, PARITY_METRIC } from '../../../src/core/eval/parity';
import { averageScores, createScorer } from '../../../src/core/metrics';
import { readEvalSamples } from '../../../src/features/eval/samples';
import { generateWorkerScript, realOnnxPython, tempRoot } from '../inference/helpers';

const python = realOnnxPython();
const FIXTURE = path.resolve('test', 'unit', 'eval', 'parity_fixture.py');
const PROMPTS = ['失眠怎么办？', 'What is 2+2?', 'Capital of France?', 'Colour of the sky?', 'Say hi', 'Name a colour.'];
const CHOSEN = 4;

function runFixture(args: string[]): Record<string, unknown> {
  const output = execFileSync(python!, [FIXTURE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').pop()!) as Record<string, unknown>;
}

async function meanRougeL(rows: readonly StoredPrediction[]): Promise<number> {
  const scorer = await createScorer();
  return averageScores(rows.map((r) => scorer.score(r.predict, r.label)))[PARITY_METRIC];
}

describe('the export parity gate on a real ONNX export', () => {
  it('passes an export that answers as the adapter does, and flags a corrupted one', { skip: python ? false : 'set FINETUNE_TEST_REAL_ONNX=1 with the trainer venv holding onnx, onnxscript, onnxruntime and peft' }, async (t) => {
    const dir = tempRoot('parity');
    const testSet = path.join(dir, 'test.jsonl');
    // A blank line among them: the samples are chosen by the test set's non-blank lines, as Evaluate reads them.
    writeFileSync(testSet, PROMPTS.map((p, i) => `${i === 2 ? '\n' : ''}${JSON.stringify({ messages: [{ role: 'user', content: p }, { role: 'assistant', content: 'x' }] })}\n`).join(''));
    const made = runFixture(['prepare', dir, testSet]) as { export: string; corrupt: string };

    // What the gate does: the first samples, in a file of their own, answered by the adapter through predict…
    const { samples, sampleLines } = await readEvalSamples(testSet);
    const subset = paritySubset(readFileSync(testSet, 'utf8'), sampleLines, CHOSEN);
    assert.deepEqual(subset.lines, [0, 1, 3, 4]);
    const subsetFile = path.join(dir, 'parity-samples.jsonl');
    writeFileSync(subsetFile, subset.text);
    const predicted = runFixture(['predict', dir, subsetFile, path.join(dir, 'predict')]) as { predictions: string; max_new_tokens: number };
    const adapter = readStoredPredictions(readFileSync(predicted.predictions, 'utf8'));
    assert.equal(adapter.length, CHOSEN);

    // …and by each export through the local engine, greedily, with predict's token budget.
    const answer = async (folder: string) => {
      const engine = await createOnnxEngine(folder, { workerScript: generateWorkerScript(), threads: 1 });
      try {
        return await answerWithEngine(engine, samples.slice(0, CHOSEN), { maxTokens: predicted.max_new_tokens });
      } finally {
        await engine.dispose();
      }
    };
    const good = await answer(made.export);
    assert.deepEqual(good.map((r) => r.prompt), adapter.map((r) => r.prompt), 'the export renders the prompts the trainer rendered');
    const same = good.filter((r, i) => r.predict === adapter[i]!.predict).length;
    assert.ok(same >= CHOSEN - 1, `greedy answers of the export equal the adapter's (${same}/${CHOSEN})`);

    const adapterScore = await meanRougeL(adapter);
    const passed = parityVerdict(await meanRougeL(good), adapterScore, CHOSEN, PARITY_DEFAULTS.threshold);
    assert.ok(adapterScore > 30, `the adapter scores high on its own answers (${adapterScore})`);
    assert.equal(passed.flagged, false, `a correct export passes: ${JSON.stringify(passed)}`);

    const corrupted = await answer(made.corrupt);
    const flagged = parityVerdict(await meanRougeL(corrupted), adapterScore, CHOSEN, PARITY_DEFAULTS.threshold);
    assert.equal(flagged.flagged, true, `a corrupted export is flagged: ${JSON.stringify(flagged)}`);
    t.diagnostic(`ROUGE-L: adapter ${adapterScore.toFixed(2)}, export ${passed.exportScore.toFixed(2)} (${same}/${CHOSEN} answers equal), corrupted export ${flagged.exportScore.toFixed(2)}; budget ${predicted.max_new_tokens} tokens`);
  });
});
