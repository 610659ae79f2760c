// The export parity gate's pure parts: the samples it takes, what an export folder holds, the verdict, the settings,
// and the answers of a local engine (a stub here; parityOnnx.test.ts runs a real export).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exportKindOf, paritySubset, parityVerdict, settingNumber, withoutThought, PARITY_DEFAULTS, PARITY_RANGES } from '../../../src/core/eval/parity';
import { answerWithEngine, AnswersCancelled } from '../../../src/inference/engineAnswers';
import type { ChatEngine, ChatMessage, GenerateParams } from '../../../src/inference/engine';

describe('parity samples', () => {
  const text = '\ufeff{"a":0}\r\n\n{"a":1}\nnot a sample\n{"a":2}\n{"a":3}\n';
  const sampleLines = [0, 2, 4, 5]; // readEvalSamples' lines: blank and unusable ones are not samples

  it('takes the first n samples, as they are written, in a JSONL of their own', () => {
    const subset = paritySubset(text, sampleLines, 3);
    assert.deepEqual(subset.lines, [0, 2, 4]);
    assert.equal(subset.text, '{"a":0}\n{"a":1}\n{"a":2}\n');
  });

  it('takes all when there are fewer, and none for 0', () => {
    assert.deepEqual(paritySubset(text, sampleLines, 16).lines, [0, 2, 4, 5]);
    assert.deepEqual(paritySubset(text, sampleLines, 0), { text: '', lines: [] });
  });
});

describe('export kind', () => {
  it('tells ONNX, merged and Ollama exports apart', () => {
    assert.equal(exportKindOf(['config.json', 'tokenizer.json', 'onnx', 'export_check.json'], ['model.onnx']), 'onnx');
    assert.equal(exportKindOf(['config.json', 'onnx'], ['model_fp16.onnx', 'model_fp16.onnx_data']), 'onnx');
    assert.equal(exportKindOf(['config.json', 'model.safetensors', 'tokenizer.json']), 'merged');
    assert.equal(exportKindOf(['config.json', 'model-00001-of-00002.safetensors']), 'merged');
    assert.equal(exportKindOf(['Modelfile']), 'ollama');
  });

  it('is undefined for a folder that holds no model (an adapter alone is not an export)', () => {
    assert.equal(exportKindOf(['config.json', 'tokenizer.json']), undefined);
    assert.equal(exportKindOf(['adapter_config.json', 'adapter_model.safetensors']), undefined);
    assert.equal(exportKindOf([]), undefined);
  });
});

describe('parity verdict', () => {
  it('flags an export lower than the adapter by more than the threshold', () => {
    const v = parityVerdict(40.5, 43.0, 16, 2);
    assert.equal(v.flagged, true);
    assert.equal(v.drop, 2.5);
    assert.equal(v.metric, 'rouge-l');
  });

  it('passes a drop at the threshold, an equal score and a better export', () => {
    assert.equal(parityVerdict(41, 43, 16, 2).flagged, false);
    assert.equal(parityVerdict(43, 43, 16, 2).drop, 0);
    assert.equal(parityVerdict(50, 43, 16, 2).flagged, false);
  });

  it('rounds the drop as the scores are rounded (no 2.0000000001 just over the threshold)', () => {
    assert.equal(parityVerdict(40.1, 42.1, 16, 2).drop, 2);
    assert.equal(parityVerdict(40.1, 42.1, 16, 2).flagged, false);
  });

  it('a threshold of 0 flags any drop', () => {
    assert.equal(parityVerdict(42.9999, 43, 16, 0).flagged, true);
  });
});

describe('parity settings', () => {
  it('falls back to the default for what is not a number in range', () => {
    assert.equal(settingNumber(undefined, PARITY_DEFAULTS.samples, 1, 1000, true), 16);
    assert.equal(settingNumber('8', 16, 1, 1000, true), 16);
    assert.equal(settingNumber(0, 16, 1, 1000, true), 16);
    assert.equal(settingNumber(Number.NaN, 2, 0, 100), 2);
    assert.equal(settingNumber(8.7, 16, 1, 1000, true), 8);
    assert.equal(settingNumber(0.5, 2, 0, 100), 0.5);
  });

  it('has the ranges and defaults package.json declares for the settings', () => {
    type Section = { properties?: Record<string, { default?: number; minimum?: number; maximum?: number }> };
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: Section | Section[] } };
    const sections = [pkg.contributes.configuration].flat();
    const setting = (name: string) => sections.map((c) => c.properties?.[name]).find((p) => p !== undefined);
    for (const [name, key] of [['finetune.eval.paritySamples', 'samples'], ['finetune.eval.parityThreshold', 'threshold']] as const) {
      const declared = setting(name);
      assert.ok(declared, `package.json declares ${name}`);
      assert.deepEqual([declared.default, declared.minimum, declared.maximum], [PARITY_DEFAULTS[key], PARITY_RANGES[key].min, PARITY_RANGES[key].max], name);
    }
  });
});

describe('answers of a local engine', () => {
  const samples = [
    { index: 0, messages: [{ role: 'user' as const, content: 'one' }], label: 'ONE' },
    { index: 1, messages: [{ role: 'user' as const, content: 'two' }], label: 'TWO' },
  ];

  function stub(answer: (m: readonly ChatMessage[]) => string, seen: GenerateParams[] = []): ChatEngine {
    return {
      label: 'stub',
      render: async (messages) => ({ text: `<${messages.map((m) => m.content).join('|')}>`, tokens: 1 }),
      generate: async (messages, params, _onText, signal) => {
        seen.push(params);
        if (signal?.aborted) return { text: '', finishReason: 'cancelled', timeToFirstTokenMs: 0, tokensPerSecond: 0 };
        return { text: answer(messages), finishReason: 'stop', timeToFirstTokenMs: 0, tokensPerSecond: 0 };
      },
      dispose: async () => undefined,
    };
  }

  it('answers greedily with the given budget, keeps the rendered prompt and drops a leading reasoning block', async () => {
    const seen: GenerateParams[] = [];
    const progress: number[] = [];
    const rows = await answerWithEngine(stub((m) => `<think>\n\n</think>\n\n${m[0]!.content.toUpperCase()} `, seen), samples, { maxTokens: 77, progress: (d) => progress.push(d) });
    assert.deepEqual(rows, [
      { index: 0, prompt: '<one>', predict: 'ONE', label: 'ONE' },
      { index: 1, prompt: '<two>', predict: 'TWO', label: 'TWO' },
    ]);
    assert.deepEqual(seen.map((p) => [p.maxTokens, p.temperature]), [[77, 0], [77, 0]]);
    assert.deepEqual(progress, [1, 2]);
  });

  it('stops with AnswersCancelled when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(answerWithEngine(stub(() => 'x'), samples, { maxTokens: 8, signal: controller.signal }), AnswersCancelled);
  });

  it('removes only a leading reasoning block', () => {
    assert.equal(withoutThought('  <think>a\nb</think>\n\nanswer <think>kept</think>'), 'answer <think>kept</think>');
    assert.equal(withoutThought('plain '), 'plain');
  });
});
