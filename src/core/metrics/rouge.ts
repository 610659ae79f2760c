// ROUGE-1/2/L as the `rouge_chinese` package (1.0.3) scores two space-joined token strings with its defaults
// (`Rouge().get_scores(hyp, ref)`): rouge_chinese/rouge.py (Rouge.cut_sent, Rouge._get_scores) and
// rouge_chinese/rouge_score.py (rouge_n over unique n-gram sets, rouge_l_summary_level over the LCS of all words),
// github.com/Isaac-JL-Chen/rouge_chinese. Plus LLaMA-Factory's guard (src/llamafactory/train/sft/metric.py): all
// zero when either side has no token after `.split()`.
import { PairIds } from './pairIds';
import { hasNonSpace, pyRstrip, pySplit } from './python';

export interface RougeValues { f: number; p: number; r: number }
/** Set when a side had more words than ROUGE-L compares: it then compared the first `limit` words of each side. */
export interface RougeLCut { limit: number; predictWords: number; labelWords: number }
export interface RougeTriple { 'rouge-1': RougeValues; 'rouge-2': RougeValues; 'rouge-l': RougeValues; cut?: RougeLCut }

/**
 * Words of each side ROUGE-L compares at most (ROUGE-1/2 always take every word). The LCS costs about
 * predict × label / 32 word steps: at this limit (about 1 MB of Chinese text a side) 2^31 steps, some seconds on
 * one core; twice the text would cost four times that, so longer sides are cut and the sample says so.
 */
export const ROUGE_L_MAX_WORDS = 1 << 18;

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

/** Columns of y per block: a block's match masks take at most (32 × 256) ids × 256 words × 4 bytes = 8 MB. */
const BLOCK_WORDS = 256;

/**
 * Length of the longest common subsequence of two id sequences (ids below `distinct`): what rouge_score._lcs's
 * table ends with, computed 32 columns at a time (the bit-vector algorithm of Hyyrö, 2004): V starts all ones and
 * each row does V = (V + U) | (V - U) with U = V & match(x[i]); the LCS is the number of zero bits. U is a subset of
 * V, so V - U never borrows and only the addition's carry crosses words.
 *
 * Memory stays bounded whatever the lengths: y is taken in blocks of `blockWords` words, each block runs every row
 * of x with match masks for the ids of that block only, and the carry each row passes out of the block's top word
 * is kept (one byte per row of x) to enter the same row of the next block.
 */
export function lcsLength(x: Int32Array, y: Int32Array, distinct: number, blockWords = BLOCK_WORDS): number {
  const m = y.length;
  const n = x.length;
  if (m === 0 || n === 0) return 0;
  const slot = new Int32Array(distinct).fill(-1);
  const carries = new Uint8Array(n);
  const blockColumns = blockWords * 32;
  let match = new Int32Array(0);
  let zeros = 0;
  for (let start = 0; start < m; start += blockColumns) {
    const end = Math.min(m, start + blockColumns);
    const words = (end - start + 31) >>> 5;
    // One match mask per distinct id of the block; a row whose id the block lacks and that brings no carry leaves
    // V as it is (U = 0), so it is skipped.
    let slots = 0;
    for (let j = start; j < end; j++) if (slot[y[j]!] === -1) slot[y[j]!] = slots++;
    if (match.length < slots * words) match = new Int32Array(slots * words);
    else match.fill(0, 0, slots * words);
    for (let j = start; j < end; j++) match[slot[y[j]!]! * words + ((j - start) >>> 5)] |= 1 << ((j - start) & 31);
    const v = new Int32Array(words).fill(-1);
    for (let i = 0; i < n; i++) {
      const s = slot[x[i]!]!;
      let carry = carries[i]!;
      if (s < 0) {
        if (carry === 0) continue;
        // U = 0: V + carry, which only runs the carry up through the low ones.
        for (let w = 0; w < words && carry !== 0; w++) {
          const sum = (v[w]! >>> 0) + 1;
          carry = sum > 0xffffffff ? 1 : 0;
          v[w] = sum >>> 0 | v[w]!;
        }
      } else {
        const row = s * words;
        for (let w = 0; w < words; w++) {
          const vw = v[w]! >>> 0;
          const u = (vw & match[row + w]!) >>> 0;
          const sum = vw + u + carry;
          carry = sum > 0xffffffff ? 1 : 0;
          v[w] = (sum >>> 0) | (vw - u);
        }
      }
      carries[i] = carry;
    }
    for (let j = start; j < end; j++) slot[y[j]!] = -1;
    zeros += zeroBits(v, end - start);
  }
  return zeros;
}

/** Zero bits among the low `bits` bits of v (the bits above never reach them: carries only move up). */
function zeroBits(v: Int32Array, bits: number): number {
  let zeros = 0;
  for (let w = 0; w < v.length; w++) {
    const used = w === v.length - 1 && (bits & 31) !== 0 ? bits & 31 : 32;
    let z = ~v[w]!;
    if (used < 32) z &= (1 << used) - 1;
    z -= (z >>> 1) & 0x55555555;
    z = (z & 0x33333333) + ((z >>> 2) & 0x33333333);
    zeros += Math.imul((z + (z >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return zeros;
}

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

/**
 * ROUGE of two token lists as LLaMA-Factory scores `" ".join(tokens)` pairs (values between 0 and 1). ROUGE-L takes
 * at most `maxLcsWords` words of each side (see ROUGE_L_MAX_WORDS; `cut` says when it did).
 */
export function rougeScores(hypTokens: readonly string[], refTokens: readonly string[], maxLcsWords = ROUGE_L_MAX_WORDS): RougeTriple {
  const hypText = hypTokens.join(' ');
  const refText = refTokens.join(' ');
  if (!hasNonSpace(hypText) || !hasNonSpace(refText)) return { 'rouge-1': ZERO, 'rouge-2': ZERO, 'rouge-l': ZERO };
  const ids = new Map<string, number>();
  const hyp = wordIds(hypText, ids);
  const ref = wordIds(refText, ids);
  bigrams.reset(hyp.length + ref.length);
  const hyp2 = bigramIds(hyp);
  const ref2 = bigramIds(ref);
  const scores: RougeTriple = {
    'rouge-1': rougeN(hyp, ref, ids.size),
    'rouge-2': rougeN(hyp2, ref2, bigrams.size),
    'rouge-l': rougeL(hyp.subarray(0, maxLcsWords), ref.subarray(0, maxLcsWords), ids.size),
  };
  if (hyp.length > maxLcsWords || ref.length > maxLcsWords) scores.cut = { limit: maxLcsWords, predictWords: hyp.length, labelWords: ref.length };
  return scores;
}
