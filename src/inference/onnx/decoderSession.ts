// One generation's steps through an onnxruntime session: the first step runs the whole prompt; each later one runs
// the new token with the key/value cache of the steps before (present.N.* fed back as past_key_values.N.*), or,
// for a graph without cache inputs, the whole sequence again. Returns the last position's logits as float32.
import type * as Ort from 'onnxruntime-node';
import type { GraphPlan } from './graphPlan';
import { onnxError } from './messages';

export type OrtModule = typeof Ort;

export class DecoderSteps {
  private readonly ids: number[] = [];
  private past: Record<string, Ort.Tensor> | undefined;

  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession, private readonly plan: GraphPlan, private readonly file: string) {}

  /** Runs `tokens` (the prompt first, then one token at a time); the logits of the last one. */
  async step(tokens: readonly number[]): Promise<Float32Array> {
    const { ort, plan } = this;
    const start = this.ids.length;
    this.ids.push(...tokens);
    // Without a cache every step feeds the whole sequence.
    const fed = plan.cache ? tokens : this.ids;
    const offset = plan.cache ? start : 0;
    const total = this.ids.length;
    const feeds: Record<string, Ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(fed, BigInt), [1, fed.length]),
    };
    if (plan.attentionMask) feeds['attention_mask'] = new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]);
    if (plan.positionIds) feeds['position_ids'] = new ort.Tensor('int64', BigInt64Array.from(fed, (_, i) => BigInt(offset + i)), [1, fed.length]);
    if (plan.useCacheBranch) feeds['use_cache_branch'] = new ort.Tensor('bool', new Uint8Array([this.past ? 1 : 0]), [1]);
    if (plan.cache) {
      const { layers, heads, headDim, type } = plan.cache;
      for (let l = 0; l < layers; l++) {
        for (const kind of ['key', 'value']) {
          const name = `past_key_values.${l}.${kind}`;
          feeds[name] = this.past?.[`present.${l}.${kind}`] ?? new ort.Tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, heads, 0, headDim]);
        }
      }
    }
    const outputs = await this.session.run(feeds);
    if (plan.cache) this.past = outputs;
    return lastRow(outputs['logits']!, fed.length, this.file);
  }
}

/** The logits of the last position, as float32 (float16 outputs converted). */
function lastRow(logits: Ort.Tensor, positions: number, file: string): Float32Array {
  const dims = logits.dims;
  if (dims.length !== 3 || dims[1] !== positions) throw onnxError('model.logitsShape', { file, shape: `[${dims.join(', ')}]` });
  const vocab = dims[2]!;
  const start = (positions - 1) * vocab;
  const data = logits.data;
  if (data instanceof Float32Array) return data.slice(start, start + vocab);
  if (data instanceof Uint16Array) return Float32Array.from(data.subarray(start, start + vocab), halfToFloat);
  // A runtime that hands float16 out as a Float16Array (or any other numeric array).
  return Float32Array.from((data as ArrayLike<number>) as ArrayLike<number>, Number).slice(start, start + vocab);
}

/** IEEE 754 half-precision bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
