// BLEU-4 on characters as LLaMA-Factory computes it: NLTK 3.8's
// `sentence_bleu([list(label)], list(predict), smoothing_function=SmoothingFunction().method3)`
// (nltk/translate/bleu_score.py: corpus_bleu with one hypothesis, modified_precision, brevity_penalty, method3).
import { PairIds } from './pairIds';
import { fsum } from './python';

// Character ids of BMP characters, reused across calls: `stamp` says whether `idOf` was set for the current pair.
const stamp = new Int32Array(0x10000);
const idOf = new Int32Array(0x10000);
let pairStamp = 0;

/** `list(text)` as ids, numbered from `next.count` in order of first appearance (the same ids across one pair). */
function characterIds(text: string, astral: Map<number, number>, next: { count: number }): Int32Array {
  const out = new Int32Array(text.length);
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let id: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = text.codePointAt(i++)!;
      id = astral.get(cp) ?? -1;
      if (id < 0) astral.set(cp, (id = next.count++));
    } else if (stamp[c] === pairStamp) {
      id = idOf[c]!;
    } else {
      stamp[c] = pairStamp;
      id = idOf[c] = next.count++;
    }
    out[k++] = id;
  }
  return out.subarray(0, k);
}

const ngrams = new PairIds();

/** The ids of the n-grams, from the (n-1)-gram ids and the characters: one shorter than `prev`. */
function extend(prev: Int32Array, chars: Int32Array, n: number): Int32Array {
  const out = new Int32Array(Math.max(0, prev.length - 1));
  for (let i = 0; i < out.length; i++) out[i] = ngrams.id(prev[i]!, chars[i + n - 1]!);
  return out;
}

/**
 * modified_precision's numerators for n = 1..4: the clipped matches, sum over n-grams of min(count in hypothesis,
 * count in reference). N-grams are numbered compactly order by order: an n-gram's id comes from its (n-1)-gram's id
 * and its last character, so every key stays a small integer.
 */
function clippedMatches(predict: string, label: string): { numerators: number[]; hypLength: number; refLength: number } {
  pairStamp = (pairStamp + 1) | 0;
  const next = { count: 0 };
  const astral = new Map<number, number>();
  const hChars = characterIds(predict, astral, next);
  const rChars = characterIds(label, astral, next);
  const numerators: number[] = [];
  let h = hChars;
  let r = rChars;
  let distinct = next.count;
  for (let n = 1; n <= 4; n++) {
    if (n > 1) {
      ngrams.reset(h.length + r.length);
      h = extend(h, hChars, n);
      r = extend(r, rChars, n);
      distinct = ngrams.size;
    }
    const available = new Int32Array(distinct);
    for (let i = 0; i < r.length; i++) available[r[i]!]!++;
    let clipped = 0;
    for (let i = 0; i < h.length; i++) {
      if (available[h[i]!]! > 0) {
        available[h[i]!]!--;
        clipped++;
      }
    }
    numerators.push(clipped);
  }
  return { numerators, hypLength: hChars.length, refLength: rChars.length };
}

/** The value of NLTK's sentence BLEU-4 with smoothing method 3, between 0 and 1. */
export function sentenceBleu4(predict: string, label: string): number {
  const { numerators, hypLength: c, refLength: r } = clippedMatches(predict, label);
  // No character in common: corpus_bleu returns 0 before smoothing.
  if (numerators[0] === 0) return 0;
  // Denominators: the hypothesis's n-gram count, at least 1 (Fractions kept unreduced, as NLTK builds them).
  const denominator = (n: number) => Math.max(1, c - n + 1);
  const bp = c > r ? 1 : c === 0 ? 0 : Math.exp(1 - r / c);
  // method3: the k-th order without a match counts 1 / (2^k × its denominator).
  let k = 1;
  const p = numerators.map((num, i) => (num === 0 ? 1 / (2 ** k++ * denominator(i + 1)) : num / denominator(i + 1)));
  return bp * Math.exp(fsum(p.map((pi) => 0.25 * Math.log(pi))));
}
