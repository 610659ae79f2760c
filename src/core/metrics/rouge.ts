// ROUGE-1/2/L as the `rouge_chinese` package (1.0.3) scores two space-joined token strings with its defaults
// (`Rouge().get_scores(hyp, ref)`): rouge_chinese/rouge.py (Rouge.cut_sent, Rouge._get_scores) and
// rouge_chinese/rouge_score.py (rouge_n over unique n-gram sets, rouge_l_summary_level over the LCS of all words),
// github.com/Isaac-JL-Chen/rouge_chinese. Plus LLaMA-Factory's guard (src/llamafactory/train/sft/metric.py): all
// zero when either side has no token after `.split()`.
import { PairIds } from './pairIds';
import { hasNonSpace, pyRstrip, pySplit } from './python';

export interface RougeValues { f: number; p: number; r: number }
export interface RougeTriple { 'rouge-1': RougeValues; 'rouge-2': RougeValues; 'rouge-l': RougeValues }

const ZERO: RougeValues = { f: 0, p: 0, r: 0 };

/** The characters Rouge.cut_sent reacts to; a text without any is one sentence per line. */
const SENTENCE_END = /[。！？?.…]/;

/** Rouge.cut_sent: sentence breaks after 。！？? (not before a closing quote), six dots, two …, and quoted ends. */
export function cutSentences(para: string): string[] {
  if (SENTENCE_END.test(para)) {
    para = para.replace(/([。！？?])([^”’])/gu, '$1\n$2');
    para = para.replace(/(\.{6})([^”’])/gu, '$1\n$2');
    para = para.replace(/(…{2})([^”’])/gu, '$1\n$2');
    para = para.replace(/([。！？?][”’])([^，。！？?])/gu, '$1\n$2');
  }
  return pyRstrip(para).split('\n');
}

/**
 * The words rouge_score sees, as ids: each non-empty sentence becomes `" ".join(s.split())`, and all are split on
 * ' ' and flattened. A sentence of whitespace only thus gives one empty word.
 */
function wordIds(text: string, ids: Map<string, number>): Int32Array {
  const out: number[] = [];
  const id = (w: string) => {
    let v = ids.get(w);
    if (v === undefined) ids.set(w, (v = ids.size));
    return v;
  };
  for (const sentence of cutSentences(text)) {
    if (sentence.length === 0) continue;
    const words = pySplit(sentence);
    if (words.length === 0) out.push(id(''));
    for (const w of words) out.push(id(w));
  }
  return Int32Array.from(out);
}

const bigrams = new PairIds();

/** How many distinct ids `ids` holds, marking them in `seen` (cleared by the caller). */
function distinctMarked(ids: Int32Array, seen: Uint8Array, mark: number): number {
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = seen[ids[i]!]!;
    if ((v & mark) === 0) {
      seen[ids[i]!] = v | mark;
      count++;
    }
  }
  return count;
}

/**
 * ROUGE-N over n-gram sets (Ngrams with exclusive=True): each side's distinct n-grams and the ones both have.
 * `hyp` and `ref` hold n-gram ids below `distinct`.
 */
function rougeN(hyp: Int32Array, ref: Int32Array, distinct: number): RougeValues {
  const seen = new Uint8Array(distinct);
  const evaluated = distinctMarked(hyp, seen, 1);
  const reference = distinctMarked(ref, seen, 2);
  let overlap = 0;
  for (let i = 0; i < distinct; i++) if (seen[i] === 3) overlap++;
  // f_r_p_rouge_n
  const p = evaluated === 0 ? 0 : overlap / evaluated;
  const r = reference === 0 ? 0 : overlap / reference;
  return { f: 2 * ((p * r) / (p + r + 1e-8)), p, r };
}

/** The bigram ids of a word-id sequence. */
function bigramIds(words: Int32Array): Int32Array {
  const out = new Int32Array(Math.max(0, words.length - 1));
  for (let i = 0; i < out.length; i++) out[i] = bigrams.id(words[i]!, words[i + 1]!);
  return out;
}

/**
 * Length of the longest common subsequence of two id sequences (ids below `distinct`): what rouge_score._lcs's
 * table ends with, computed 32 columns at a time (the bit-vector algorithm of Hyyrö, 2004): V starts all ones and
 * each row does V = (V + U) | (V - U) with U = V & match(x[i]); the LCS is the number of zero bits.
 */
export function lcsLength(x: Int32Array, y: Int32Array, distinct: number): number {
  const m = y.length;
  if (m === 0 || x.length === 0) return 0;
  const words = (m + 31) >>> 5;
  // One match mask per distinct id of y; an id y lacks leaves V as it is (U = 0), so its rows are skipped.
  const slot = new Int32Array(distinct).fill(-1);
  let slots = 0;
  for (let j = 0; j < m; j++) if (slot[y[j]!] === -1) slot[y[j]!] = slots++;
  if (slots * words > MAX_MASK_WORDS) return lcsLengthByRows(x, y);
  const match = new Int32Array(slots * words);
  for (let j = 0; j < m; j++) match[slot[y[j]!]! * words + (j >>> 5)] |= 1 << (j & 31);
  const v = new Int32Array(words).fill(-1);
  for (let i = 0; i < x.length; i++) {
    const s = slot[x[i]!]!;
    if (s < 0) continue;
    const row = s * words;
    let carry = 0;
    let borrow = 0;
    for (let w = 0; w < words; w++) {
      const vw = v[w]! >>> 0;
      const u = (vw & match[row + w]!) >>> 0;
      const sum = vw + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      const diff = vw - u - borrow;
      borrow = diff < 0 ? 1 : 0;
      v[w] = (sum >>> 0) | (diff >>> 0);
    }
  }
  // Zero bits among the low m bits (the bits above m never reach them: carries and borrows only move up).
  let zeros = 0;
  for (let w = 0; w < words; w++) {
    const bits = w === words - 1 && (m & 31) !== 0 ? m & 31 : 32;
    let z = ~v[w]!;
    if (bits < 32) z &= (1 << bits) - 1;
    z -= (z >>> 1) & 0x55555555;
    z = (z & 0x33333333) + ((z >>> 2) & 0x33333333);
    zeros += (Math.imul((z + (z >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return zeros;
}

/** Masks beyond this many 32-bit words (64 MB: texts of tens of thousands of distinct words) use the row DP. */
const MAX_MASK_WORDS = 1 << 24;

/** The LCS length by rouge_score._lcs's recurrence, one row of the table at a time. */
export function lcsLengthByRows(x: Int32Array, y: Int32Array): number {
  let prev = new Int32Array(y.length + 1);
  let row = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const up = prev[j]!;
      const left = row[j - 1]!;
      row[j] = xi === y[j - 1] ? prev[j - 1]! + 1 : up > left ? up : left;
    }
    [prev, row] = [row, prev];
  }
  return prev[y.length]!;
}

function rougeL(hyp: Int32Array, ref: Int32Array, distinct: number): RougeValues {
  const llcs = lcsLength(ref, hyp, distinct);
  const r = llcs / ref.length;
  const p = llcs / hyp.length;
  return { f: 2 * ((p * r) / (p + r + 1e-8)), p, r };
}

/** ROUGE of two token lists as LLaMA-Factory scores `" ".join(tokens)` pairs (values between 0 and 1). */
export function rougeScores(hypTokens: readonly string[], refTokens: readonly string[]): RougeTriple {
  const hypText = hypTokens.join(' ');
  const refText = refTokens.join(' ');
  if (!hasNonSpace(hypText) || !hasNonSpace(refText)) return { 'rouge-1': ZERO, 'rouge-2': ZERO, 'rouge-l': ZERO };
  const ids = new Map<string, number>();
  const hyp = wordIds(hypText, ids);
  const ref = wordIds(refText, ids);
  bigrams.reset(hyp.length + ref.length);
  const hyp2 = bigramIds(hyp);
  const ref2 = bigramIds(ref);
  return { 'rouge-1': rougeN(hyp, ref, ids.size), 'rouge-2': rougeN(hyp2, ref2, bigrams.size), 'rouge-l': rougeL(hyp, ref, ids.size) };
}
