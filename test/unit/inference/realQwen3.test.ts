// A real decoder: a tiny random Qwen3 made with transformers (trainer/tests/tiny_models.py) and exported by the
// trainer's own `export` (export_format onnx: config, tokenizer, onnx/model.onnx with its key/value cache, checked
// against torch) through export_tiny_qwen3.py, against transformers' own greedy generate() on the same prompt: the
// prompt's token ids (chat template + tokenizer) and the 24 answer tokens must be the same.
// Opt-in (it runs torch for ~25 s and writes ~160 MB): FINETUNE_TEST_REAL_ONNX=1, with the trainer venv holding onnx,
// onnxscript and onnxruntime (`<venv>/bin/python -m pip install onnx onnxscript onnxruntime`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LocalModel } from '../../../src/inference/onnx/localModel';
import { realOnnxPython, tempRoot } from './helpers';

const python = realOnnxPython();
const MESSAGES = [{ role: 'system' as const, content: '你是一位江湖医生。' }, { role: 'user' as const, content: 'Tell me a story about a dragon, 好吗?' }];
const NEW_TOKENS = 24;

describe('a real Qwen3 exported to ONNX', () => {
  it('generates, with its KV cache, the tokens transformers generates greedily', { skip: python ? false : 'set FINETUNE_TEST_REAL_ONNX=1 with the trainer venv holding onnx, onnxscript and onnxruntime' }, async () => {
    const dir = path.join(tempRoot('real-qwen3'), 'qwen3');
    const script = path.resolve('test', 'unit', 'inference', 'export_tiny_qwen3.py');
    const output = execFileSync(python!, [script, dir, JSON.stringify(MESSAGES), String(NEW_TOKENS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
    const expected = JSON.parse(output.trim().split('\n').pop()!) as { prompt: number[]; tokens: number[]; export: string };
    assert.ok(existsSync(path.join(expected.export, 'onnx', 'model.onnx')), 'the export is in the onnx/model.onnx layout');
    const model = await LocalModel.load(expected.export, process.cwd());
    try {
      assert.equal(model.info.cached, true);
      assert.deepEqual(model.render(MESSAGES).ids, expected.prompt);
      const result = await model.generate(MESSAGES, { maxTokens: NEW_TOKENS, temperature: 0 }, () => undefined);
      assert.deepEqual(result.tokens, expected.tokens);
    } finally {
      await model.dispose();
    }
  });
});
