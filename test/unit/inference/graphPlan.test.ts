// The graph checks before anything runs (src/inference/onnx/graphPlan.ts): inputs it cannot feed, a missing logits
// output or present.N.*, cache shapes against config.json.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planGraph, type ValueInfo } from '../../../src/inference/onnx/graphPlan';
import { onnxMessage, onnxMessageKeys } from '../../../src/inference/onnx/messages';

const t = (name: string, type = 'int64', shape: (string | number)[] = ['batch', 'sequence']): ValueInfo => ({ name, isTensor: true, type, shape });
const kv = (l: number, kind: string, shape: (string | number)[] = ['batch', 4, 'past', 16], type = 'float32') => t(`past_key_values.${l}.${kind}`, type, shape);
const present = (layers: number) => Array.from({ length: layers }, (_, l) => [t(`present.${l}.key`, 'float32'), t(`present.${l}.value`, 'float32')]).flat();
const CONFIG = { num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 4, hidden_size: 128 };
const plan = (inputs: ValueInfo[], outputs: ValueInfo[], config: Record<string, unknown> = CONFIG) => planGraph('m.onnx', inputs, outputs, config, 'config.json');

describe('graph plan', () => {
  it('reads the cache (heads from the graph, head_dim from config: hidden_size / heads) and the optional inputs', () => {
    const p = plan([t('input_ids'), t('attention_mask'), kv(0, 'key', ['batch', 4, 'past', 'head']), kv(0, 'value'), kv(1, 'key'), kv(1, 'value')], [t('logits', 'float32'), ...present(2)]);
    assert.deepEqual(p, { attentionMask: true, positionIds: false, useCacheBranch: false, cache: { layers: 2, heads: 4, headDim: 16, type: 'float32' } });
  });

  it('without cache inputs, recomputes', () => {
    assert.equal(plan([t('input_ids')], [t('logits', 'float32')]).cache, undefined);
  });

  it('refuses what it cannot run, saying what and where', () => {
    assert.throws(() => plan([t('tokens')], [t('logits', 'float32')]), /m\.onnx has no input "input_ids".*\(its inputs: tokens\)/);
    assert.throws(() => plan([t('input_ids')], [t('last_hidden_state', 'float32')]), /no output "logits" \(its outputs: last_hidden_state\)/);
    assert.throws(() => plan([t('input_ids'), t('token_type_ids')], [t('logits', 'float32')]), /cannot feed: "token_type_ids"/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key'), kv(0, 'value')], [t('logits', 'float32'), t('present.0.key', 'float32')], { ...CONFIG, num_hidden_layers: 1 }), /takes the cache input "past_key_values\.0\.value" but has no output "present\.0\.value"/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key'), kv(0, 'value'), kv(2, 'key'), kv(2, 'value')], [t('logits', 'float32'), ...present(3)], {}), /cache inputs for layers 0, 2: expected both key and value for every layer from 0 to 2/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key', ['batch', 4, 'past', 16], 'int8'), kv(0, 'value')], [t('logits', 'float32'), ...present(1)], {}), /is int8: only float32 and float16/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key', ['batch', 'past', 64]), kv(0, 'value')], [t('logits', 'float32'), ...present(1)], {}), /has shape \[batch, past, 64\]: expected 4 dimensions/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key', ['batch', 'h', 'past', 'd']), kv(0, 'value')], [t('logits', 'float32'), ...present(1)], {}), /does not give its size \(\[batch, h, past, d\]\), and config\.json has no num_key_value_heads/);
    assert.throws(() => plan([t('input_ids'), kv(0, 'key', ['batch', 4, 'past', 32]), kv(0, 'value')], [t('logits', 'float32'), ...present(1)], { ...CONFIG, num_hidden_layers: 1 }), /\[batch, 4, past, 32\], but config\.json says 4 key\/value heads × head_dim 16/);
  });

  it('has every message in English and Chinese', () => {
    for (const key of onnxMessageKeys()) {
      assert.notEqual(onnxMessage('zh-cn', key), '', key);
      assert.notEqual(onnxMessage('zh-cn', key), onnxMessage('en', key), key);
    }
  });
});
