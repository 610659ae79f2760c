// BLEU-4 on characters as LLaMA-Factory computes it: NLTK 3.8's
// `sentence_bleu([list(label)], list(predict), smoothing_function=SmoothingFunction().method3)`
// (nltk/translate/bleu_score.py: corpus_bleu with one hypothesis, modified_precision, brevity_penalty, method3).
import { fsum } from './python';

/** `list(text)`: Python characters, i.e. code points. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Counts of the n-grams of `chars` (a string of exactly n code points identifies an n-gram). */
function ngramCounts(chars: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    let key = chars[i]!;
    for (let k = 1; k < n; k++) key += chars[i + k]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The value of NLTK's sentence BLEU-4 with smoothing method 3, between 0 and 1. */
export function sentenceBleu4(predict: string, label: string): number {
  const hyp = codePoints(predict);
  const ref = codePoints(label);
  // modified_precision for n = 1..4: clipped matches over max(1, hypothesis n-grams), kept unreduced.
  const numerators: number[] = [];
  const denominators: number[] = [];
  for (let n = 1; n <= 4; n++) {
    const counts = hyp.length >= n ? ngramCounts(hyp, n) : new Map<string, number>();
    const refCounts = ref.length >= n ? ngramCounts(ref, n) : new Map<string, number>();
    let clipped = 0;
    let all = 0;
    for (const [gram, count] of counts) {
      clipped += Math.min(count, refCounts.get(gram) ?? 0);
      all += count;
    }
    numerators.push(clipped);
    denominators.push(Math.max(1, all));
  }
  // No character in common: corpus_bleu returns 0 before smoothing.
  if (numerators[0] === 0) return 0;
  const c = hyp.length;
  const r = ref.length;
  const bp = c > r ? 1 : c === 0 ? 0 : Math.exp(1 - r / c);
  // method3: the k-th order without a match counts 1 / (2^k × its denominator).
  let k = 1;
  const p = numerators.map((num, i) => (num === 0 ? 1 / (2 ** k++ * denominators[i]!) : num / denominators[i]!));
  return bp * Math.exp(fsum(p.map((pi) => 0.25 * Math.log(pi))));
}
