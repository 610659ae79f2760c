// Local ONNX generation in-process (src/inference/onnx/localModel.ts) on tiny graphs built in the test with the real
// Qwen3 tokenizer: the KV cache changes nothing but speed, the stream is the answer, and stop strings, EOS ids,
// seeds and cancellation behave.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalModel } from '../../../src/inference/onnx/localModel';
import type { GenerateParams } from '../../../src/inference/engine';
import { writeTinyModelFolder } from './tinyModel';
import { HELLO, tempRoot } from './helpers';

const root = tempRoot('onnx-gen');
const GREEDY: GenerateParams = { maxTokens: 40, temperature: 0 };

async function run(model: LocalModel, params: GenerateParams = GREEDY, cancelAfter?: number) {
  const pieces: string[] = [];
  const result = await model.generate(HELLO, params, (p) => pieces.push(p), () => cancelAfter !== undefined && pieces.length >= cancelAfter);
  return { ...result, pieces };
}

const models = new Map<string, Promise<LocalModel>>();
function model(name: string, options: Parameters<typeof writeTinyModelFolder>[1] = {}, extra: Parameters<typeof writeTinyModelFolder>[2] = {}): Promise<LocalModel> {
  if (!models.has(name)) models.set(name, LocalModel.load(writeTinyModelFolder(path.join(root, name), options, extra), root));
  return models.get(name)!;
}

describe('local ONNX generation', () => {
  it('with the KV cache generates the same tokens as recomputing every step (3 layers, mask and positions)', async () => {
    const cached = await model('cached', { layers: 3 });
    const full = await model('full', { layers: 3, cache: false });
    assert.equal(cached.info.cached, true);
    assert.equal(full.info.cached, false);
    const a = await run(cached);
    const b = await run(full);
    assert.equal(a.tokens!.length, 40);
    assert.deepEqual(a.tokens, b.tokens);
    assert.equal(a.text, b.text);
    assert.ok(new Set(a.tokens).size > 3, 'the toy model says more than one thing');
  });

  it('feeds position_ids and attention_mask: without them the same weights answer differently', async () => {
    const withPositions = await run(await model('cached', { layers: 3 }));
    const withoutPositions = await run(await model('noPositions', { layers: 3, positionIds: false, attentionMask: false }));
    assert.notDeepEqual(withPositions.tokens, withoutPositions.tokens);
    const full = await run(await model('noPositionsFull', { layers: 3, positionIds: false, attentionMask: false, cache: false }));
    assert.deepEqual(withoutPositions.tokens, full.tokens);
  });

  it('runs a merged decoder (use_cache_branch) from onnx/decoder_model_merged.onnx with external data', async () => {
    const merged = await model('merged', { layers: 3, useCacheBranch: true, externalData: true }, { graphPath: 'onnx/decoder_model_merged.onnx' });
    assert.match(merged.info.graphFile, /onnx[\\/]decoder_model_merged\.onnx$/);
    assert.deepEqual((await run(merged)).tokens, (await run(await model('full', { layers: 3, cache: false }))).tokens);
  });

  it('runs the fp16 variant (model_fp16.onnx: float16 cache and logits) when asked', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'fp16'), { layers: 3, float16: true }, { graphPath: 'model_fp16.onnx' });
    writeTinyModelFolder(dir, { layers: 3 }, { graphPath: 'onnx/model.onnx' });
    const fp16 = await LocalModel.load(dir, root, { variant: 'fp16' });
    try {
      assert.match(fp16.info.graphFile, /[\\/]model_fp16\.onnx$/);
      const half = await run(fp16);
      assert.equal(half.tokens!.length, 40);
      // Same weights: the prompt's step has no rounded cache yet, so the first token is the float32 model's.
      assert.equal(half.tokens![0], (await run(await model('cached', { layers: 3 }))).tokens![0]);
    } finally {
      await fp16.dispose();
    }
  });

  it('streams pieces that concatenate to the answer, none with half a character', async () => {
    const r = await run(await model('cached', { layers: 3 }), { maxTokens: 120, temperature: 0 });
    assert.ok(r.pieces.length > 5);
    assert.equal(r.pieces.join(''), r.text);
    assert.equal(r.finishReason, 'length');
    assert.ok(r.timeToFirstTokenMs > 0 && r.tokensPerSecond > 0);
    assert.ok(r.promptTokens! > 5);
  });

  it('stops before a stop string that spans tokens, leaving it out of the answer and the stream', async () => {
    const m = await model('cached', { layers: 3 });
    const plain = await run(m);
    // A stop string made of the end of one token's text and the start of a later one's.
    const pieceStarts: number[] = [];
    let at = 0;
    for (const p of plain.pieces) { pieceStarts.push(at); at += p.length; }
    const boundary = pieceStarts.find((s) => s >= 6 && s < plain.text.length - 4)!;
    assert.ok(boundary !== undefined);
    const stop = plain.text.slice(boundary - 2, boundary + 3);
    const first = plain.text.indexOf(stop);
    const cut = await run(m, { ...GREEDY, stop: ['never appears ☃', stop] });
    assert.equal(cut.finishReason, 'stop');
    assert.equal(cut.text, plain.text.slice(0, first));
    assert.equal(cut.pieces.join(''), cut.text);
    assert.ok(!cut.text.includes(stop));
  });

  it('ends at any of the EOS ids of generation_config.json, which is not part of the answer', async () => {
    const plain = await run(await model('cached', { layers: 3 }));
    const eos = plain.tokens![4]!;
    const firstEos = plain.tokens!.indexOf(eos);
    const m = await model('eos', { layers: 3 }, { generation: { eos_token_id: [151645, eos, 151643] } });
    const r = await run(m);
    assert.equal(r.finishReason, 'stop');
    assert.deepEqual(r.tokens, plain.tokens!.slice(0, firstEos));
    assert.deepEqual(m.info.generation.eosTokenIds, [151645, eos, 151643]);
  });

  it('takes the EOS ids of config.json and the tokenizer when there is no generation_config.json', async () => {
    const m = await model('noGenConfig', { layers: 2 }, { generation: null, config: { eos_token_id: 7 } });
    // 7 from config.json; <|im_end|> (151645), the tokenizer's eos_token.
    assert.deepEqual([...m.info.generation.eosTokenIds].sort((a, b) => a - b), [7, 151645]);
  });

  it('samples reproducibly with a seed (temperature, top-p, top-k, repetition penalty)', async () => {
    const m = await model('cached', { layers: 3 });
    const params: GenerateParams = { maxTokens: 30, temperature: 1.5, topP: 0.95, topK: 50, repetitionPenalty: 1.2, seed: 42 };
    const a = await run(m, params);
    const b = await run(m, params);
    const c = await run(m, { ...params, seed: 43 });
    assert.deepEqual(a.tokens, b.tokens);
    assert.notDeepEqual(a.tokens, c.tokens);
    assert.notDeepEqual(a.tokens, (await run(m, { maxTokens: 30, temperature: 0 })).tokens);
  });

  it('stops at once when cancelled, with what it has', async () => {
    const r = await run(await model('cached', { layers: 3 }), { maxTokens: 200, temperature: 0 }, 3);
    assert.equal(r.finishReason, 'cancelled');
    assert.ok(r.tokens!.length < 20, `${r.tokens!.length} tokens`);
    assert.equal(r.pieces.join(''), r.text);
  });

  it('renders the prompt with the chat template and the generation prompt, and hashes the template', async () => {
    const m = await model('cached', { layers: 3 });
    const p = m.render([{ role: 'system', content: 'Be brief.' }, ...HELLO]);
    assert.equal(p.text, '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nTell me a story about a dragon.<|im_end|>\n<|im_start|>assistant\n');
    assert.equal(p.tokens, p.ids.length);
    assert.equal(p.ids[0], 151644);
    assert.match(p.templateHash!, /^[0-9a-f]{64}$/);
  });

  it('stays within max_position_embeddings, and says so when the prompt alone fills them', async () => {
    const m = await model('short', { layers: 2 }, { config: { max_position_embeddings: 30 } });
    const r = await run(m, { maxTokens: 100, temperature: 0 });
    assert.equal(r.promptTokens! + r.tokens!.length, 30);
    const tight = await model('tight', { layers: 2 }, { config: { max_position_embeddings: 10 } });
    await assert.rejects(run(tight), /The prompt is 16 tokens, which leaves no room to generate within the model's 10 positions/);
  });
});

describe('model folders that cannot be run', () => {
  const load = (dir: string) => LocalModel.load(dir, root);

  it('no tokenizer.json', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'noTokenizer'), {}, { tokenizer: false });
    await assert.rejects(load(dir), (err: Error & { key?: string }) => err.key === 'folder.noTokenizerJson' && err.message.includes(`No tokenizer.json in ${dir}`));
  });

  it('no graph', async () => {
    const dir = path.join(root, 'noGraph');
    writeTinyModelFolder(dir, {}, { graphPath: 'weights/other.onnx' });
    await assert.rejects(load(dir), (err: Error) => err.message.startsWith(`No ONNX graph in ${dir} (looked for model.onnx, decoder_model_merged.onnx, onnx/model.onnx`));
  });

  it('a variant the folder does not have names the ones it has', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'onlyDefault'));
    await assert.rejects(LocalModel.load(dir, root, { variant: 'quantized' }), /No quantized graph in .*onlyDefault \(looked for model_quantized\.onnx.*\); the folder has model\.onnx/);
  });

  it('a cache whose shape disagrees with config.json', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'wrongHeads'), { heads: 2, headDim: 8 }, { config: { num_key_value_heads: 4 } });
    await assert.rejects(load(dir), (err: Error) => err.message.includes('past_key_values.0.key') && err.message.includes('[batch, 2, past, 8]') && err.message.includes('4 key/value heads × head_dim 8'));
  });

  it('a cache for other layers than config.json has', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'wrongLayers'), { layers: 2 }, { config: { num_hidden_layers: 4 } });
    await assert.rejects(load(dir), /has a cache for 2 layers, but .*config\.json says num_hidden_layers is 4/);
  });

  it('an unreadable config.json, and a graph that is not ONNX', async () => {
    const dir = writeTinyModelFolder(path.join(root, 'badConfig'));
    writeFileSync(path.join(dir, 'config.json'), '{ nope');
    await assert.rejects(load(dir), /Cannot read .*config\.json: /);
    const bad = writeTinyModelFolder(path.join(root, 'badGraph'));
    writeFileSync(path.join(bad, 'model.onnx'), 'not a protobuf');
    await assert.rejects(load(bad), /The ONNX graph .*model\.onnx cannot be loaded: /);
  });

  it('a folder that does not exist, in Chinese too', async () => {
    const err = await LocalModel.load('missing-model', root).then(() => assert.fail('loaded'), (e: unknown) => e as { localized(l: 'zh-cn'): string; message: string });
    assert.match(err.message, /^Model folder not found: .*missing-model/);
    assert.match(err.localized('zh-cn'), /^找不到模型文件夹：.*missing-model/);
  });
});
