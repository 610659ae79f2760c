// What a decoder graph takes and gives, read from its input/output metadata and config.json: which of the optional
// inputs to feed, and the key/value cache (layers, heads, head_dim, dtype) when it has one. Every mismatch is an
// OnnxModelError that names the graph and what is wrong, before anything runs.
import { onnxError } from './messages';

/** The part of onnxruntime's InferenceSession.ValueMetadata this needs. */
export interface ValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

export type CacheType = 'float32' | 'float16';

export interface GraphPlan {
  attentionMask: boolean;
  positionIds: boolean;
  /** A merged decoder's switch between its first step and the cached ones. */
  useCacheBranch: boolean;
  /** Absent: the graph has no cache inputs and every step recomputes the whole sequence. */
  cache?: { layers: number; heads: number; headDim: number; type: CacheType };
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;
const KNOWN = new Set(['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch']);

export function planGraph(file: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], config: Record<string, unknown>, configFile: string): GraphPlan {
  const inputNames = inputs.map((i) => i.name);
  const outputNames = new Set(outputs.map((o) => o.name));
  if (!inputNames.includes('input_ids')) throw onnxError('model.noInputIds', { file, inputs: inputNames.join(', ') || '(none)' });
  const logits = outputs.find((o) => o.name === 'logits');
  if (!logits) throw onnxError('model.noLogits', { file, outputs: [...outputNames].join(', ') || '(none)' });
  if (logits.type && logits.type !== 'float32' && logits.type !== 'float16') throw onnxError('model.logitsType', { file, type: logits.type });
  const past = inputs.filter((i) => PAST.test(i.name));
  for (const i of inputs) if (!KNOWN.has(i.name) && !PAST.test(i.name)) throw onnxError('model.unknownInput', { file, name: i.name });
  const plan: GraphPlan = {
    attentionMask: inputNames.includes('attention_mask'),
    positionIds: inputNames.includes('position_ids'),
    useCacheBranch: inputNames.includes('use_cache_branch'),
  };
  if (past.length === 0) return plan;

  const layers = new Set(past.map((p) => Number(PAST.exec(p.name)![1])));
  const count = Math.max(...layers) + 1;
  for (let l = 0; l < count; l++) {
    for (const kind of ['key', 'value']) {
      if (!inputNames.includes(`past_key_values.${l}.${kind}`)) throw onnxError('model.cacheLayers', { file, layers: [...layers].sort((a, b) => a - b).join(', '), last: count - 1 });
      const present = `present.${l}.${kind}`;
      if (!outputNames.has(present)) throw onnxError('model.noPresent', { file, past: `past_key_values.${l}.${kind}`, present });
    }
  }
  const configLayers = config['num_hidden_layers'];
  if (typeof configLayers === 'number' && configLayers !== count) throw onnxError('model.configLayers', { file, graph: count, config: configFile, expected: configLayers });

  const heads = intField(config, 'num_key_value_heads') ?? intField(config, 'num_attention_heads');
  const hidden = intField(config, 'hidden_size');
  const attentionHeads = intField(config, 'num_attention_heads');
  const headDim = intField(config, 'head_dim') ?? (hidden && attentionHeads ? hidden / attentionHeads : undefined);
  let type: CacheType | undefined;
  let sized: { heads: number; headDim: number } | undefined;
  for (const p of past) {
    const shape = p.shape ?? [];
    const shown = `[${shape.join(', ')}]`;
    if (p.type !== 'float32' && p.type !== 'float16') throw onnxError('model.cacheType', { file, name: p.name, type: p.type ?? 'not a tensor' });
    type ??= p.type;
    if (shape.length !== 4) throw onnxError('model.cacheRank', { file, name: p.name, shape: shown });
    const graphHeads = typeof shape[1] === 'number' ? shape[1] : undefined;
    const graphDim = typeof shape[3] === 'number' ? shape[3] : undefined;
    if (graphHeads === undefined && heads === undefined) throw onnxError('model.cacheUnknown', { file, name: p.name, shape: shown, config: configFile, field: 'num_key_value_heads' });
    if (graphDim === undefined && headDim === undefined) throw onnxError('model.cacheUnknown', { file, name: p.name, shape: shown, config: configFile, field: 'head_dim' });
    if ((graphHeads !== undefined && heads !== undefined && graphHeads !== heads) || (graphDim !== undefined && headDim !== undefined && graphDim !== headDim)) {
      throw onnxError('model.cacheShape', { file, name: p.name, shape: shown, config: configFile, heads: heads ?? '?', headDim: headDim ?? '?' });
    }
    sized ??= { heads: graphHeads ?? heads!, headDim: graphDim ?? headDim! };
  }
  return { ...plan, cache: { layers: count, ...sized!, type: type! } };
}

function intField(config: Record<string, unknown>, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
