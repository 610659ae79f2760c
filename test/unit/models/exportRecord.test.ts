import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportRecordOf, type ExportOutcome } from '../../../src/core/models/exportRecord';
import { ExportRecord } from '../../../src/shared/modelRegistry';

const outcome = (over: Partial<ExportOutcome> = {}): ExportOutcome => ({
  id: 'wuxia-onnx-20261207-100000', name: 'Wuxia (onnx)', createdAt: '2026-12-07T10:00:00.000Z', format: 'onnx',
  location: { backend: 'local', path: '/runs/1/output/onnx' }, jobId: 'wuxia-1',
  metrics: { max_abs_logits_diff: 2.5e-5, tolerance: 0.001, tokens_equal: 3, prompts: 3, steps: 16 },
  artifacts: { model: '/runs/1/output/onnx', check: '/runs/1/output/onnx/export_check.json' },
  ...over,
});

test('an ONNX export is recorded with the check figures the trainer sent, and validates against the registry schema', () => {
  const record = exportRecordOf(outcome({ checkpointStep: 200, datasetSha256: 'ef'.repeat(32) }));
  assert.deepEqual(record.check, { passed: true, maxAbsLogitsDiff: 2.5e-5, tolerance: 0.001, tokensEqual: 3, prompts: 3 });
  assert.deepEqual(record.source, { jobId: 'wuxia-1', checkpointStep: 200, datasetSha256: 'ef'.repeat(32) });
  assert.equal(ExportRecord.safeParse(record).success, true);
  assert.equal(record.command, undefined);
});

test('merged exports carry no check; Ollama ones their import command; bad figures and hashes are left out', () => {
  const merged = exportRecordOf(outcome({ format: 'merged', metrics: {}, artifacts: { model: '/o/merged' } }));
  assert.equal(merged.check, undefined);
  const ollama = exportRecordOf(outcome({ format: 'ollama', metrics: {}, artifacts: { model: '/o/ollama', command: 'ollama create wuxia -f /o/ollama/Modelfile' } }));
  assert.equal(ollama.command, 'ollama create wuxia -f /o/ollama/Modelfile');
  const odd = exportRecordOf(outcome({ format: 'onnx-fp16', metrics: { max_abs_logits_diff: 0.01, tokens_equal: 2.5, prompts: -1 }, datasetSha256: 'nope' }));
  assert.deepEqual(odd.check, { passed: true, maxAbsLogitsDiff: 0.01 });
  assert.deepEqual(odd.source, { jobId: 'wuxia-1' });
  assert.equal(ExportRecord.safeParse(odd).success, true);
});
