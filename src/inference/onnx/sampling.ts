// Choosing the next token from the logits, in transformers' order: repetition penalty, then temperature, top-k and
// top-p, then a draw from the softmax with a seeded generator (greedy when the temperature is 0).

export interface SamplingParams {
  temperature: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
}

/** A seeded generator of floats in [0, 1) (mulberry32): the same seed draws the same tokens. */
export function seededRandom(seed: number): () => number {
  let a = (Math.floor(seed) >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The next token. `logits` is modified in place (penalised); `seen` holds every id of the prompt and the answer so
 * far (transformers' RepetitionPenaltyLogitsProcessor penalises both).
 */
export function pickToken(logits: Float32Array, seen: ReadonlySet<number>, params: SamplingParams, random: () => number): number {
  const penalty = params.repetitionPenalty ?? 1;
  if (penalty !== 1) {
    for (const id of seen) {
      if (id >= logits.length) continue;
      const v = logits[id]!;
      logits[id] = v < 0 ? v * penalty : v / penalty;
    }
  }
  if (!(params.temperature > 0)) return argmax(logits);

  const t = params.temperature;
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  const topP = params.topP ?? 1;
  const topK = params.topK && params.topK > 0 ? Math.min(params.topK, logits.length) : undefined;
  if (topK === undefined && topP >= 1) return drawAll(logits, max, t, random);

  // The most likely tokens, largest first: the top-k, or (top-p alone) a head grown until it holds top_p of the mass.
  let fullMass = 0;
  for (const v of logits) fullMass += Math.exp((v - max) / t);
  let candidates: number[];
  for (let k = topK ?? 256; ; k *= 4) {
    candidates = topIndices(logits, Math.min(k, logits.length));
    if (topK !== undefined || k >= logits.length) break;
    const mass = candidates.reduce((m, i) => m + Math.exp((logits[i]! - max) / t), 0);
    if (mass / fullMass >= topP) break;
  }
  const weights = candidates.map((i) => Math.exp((logits[i]! - max) / t));
  // transformers renormalises after top-k; top-p alone measures against the whole distribution.
  let total = topK !== undefined ? weights.reduce((a, b) => a + b, 0) : fullMass;
  let keep = weights.length;
  if (topP < 1) {
    // Keep the smallest head whose probability reaches top_p (always at least one token).
    let mass = 0;
    for (let i = 0; i < weights.length; i++) {
      mass += weights[i]! / total;
      if (mass >= topP) {
        keep = i + 1;
        break;
      }
    }
  }
  total = weights.slice(0, keep).reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < keep; i++) {
    r -= weights[i]!;
    if (r < 0) return candidates[i]!;
  }
  return candidates[keep - 1]!;
}

/** A draw from the softmax of all the logits at temperature `t` (no sorting). */
function drawAll(logits: Float32Array, max: number, t: number, random: () => number): number {
  let total = 0;
  for (const v of logits) total += Math.exp((v - max) / t);
  let r = random() * total;
  for (let i = 0; i < logits.length; i++) {
    r -= Math.exp((logits[i]! - max) / t);
    if (r < 0) return i;
  }
  return argmax(logits);
}

export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** The indices of the `k` largest values, largest first (ties: lower index first). */
function topIndices(values: Float32Array, k: number): number[] {
  if (k >= values.length / 4) {
    return Array.from(values.keys()).sort((a, b) => values[b]! - values[a]! || a - b).slice(0, k);
  }
  // A small k over a large vocabulary: keep a sorted list of the best k seen.
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (best.length === k && v <= values[best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && values[best[at - 1]!]! < v) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
