// ROUGE-1/2/L as the `rouge_chinese` package (1.0.3) scores two space-joined token strings with its defaults
// (`Rouge().get_scores(hyp, ref)`): rouge_chinese/rouge.py (Rouge.cut_sent, Rouge._get_scores) and
// rouge_chinese/rouge_score.py (rouge_n over unique n-gram sets, rouge_l_summary_level over the LCS of all words),
// github.com/Isaac-JL-Chen/rouge_chinese. Plus LLaMA-Factory's guard (src/llamafactory/train/sft/metric.py): all
// zero when either side has no token after `.split()`.
import { pyRstrip, pySplit } from './python';

export interface RougeValues { f: number; p: number; r: number }
export interface RougeTriple { 'rouge-1': RougeValues; 'rouge-2': RougeValues; 'rouge-l': RougeValues }

const ZERO: RougeValues = { f: 0, p: 0, r: 0 };

/** Rouge.cut_sent: sentence breaks after 。！？? (not before a closing quote), six dots, two …, and quoted ends. */
export function cutSentences(para: string): string[] {
  para = para.replace(/([。！？?])([^”’])/gu, '$1\n$2');
  para = para.replace(/(\.{6})([^”’])/gu, '$1\n$2');
  para = para.replace(/(…{2})([^”’])/gu, '$1\n$2');
  para = para.replace(/([。！？?][”’])([^，。！？?])/gu, '$1\n$2');
  return pyRstrip(para).split('\n');
}

/** The words rouge_score sees: each non-empty sentence whitespace-normalised, then all split on ' ' and flattened. */
function words(text: string): string[] {
  const sentences = cutSentences(text).filter((s) => s.length > 0).map((s) => pySplit(s).join(' '));
  return sentences.flatMap((s) => s.split(' '));
}

/** The set of n-grams (Ngrams with exclusive=True), n = 1 or 2; a bigram is keyed by its first word's length too. */
function ngramSet(tokens: readonly string[], n: 1 | 2): Set<string> {
  if (n === 1) return new Set(tokens);
  const set = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) set.add(`${tokens[i]!.length}:${tokens[i]!}${tokens[i + 1]!}`);
  return set;
}

function rougeN(hyp: readonly string[], ref: readonly string[], n: 1 | 2): RougeValues {
  const evaluated = ngramSet(hyp, n);
  const reference = ngramSet(ref, n);
  let overlap = 0;
  for (const gram of evaluated) if (reference.has(gram)) overlap++;
  // f_r_p_rouge_n
  const p = evaluated.size === 0 ? 0 : overlap / evaluated.size;
  const r = reference.size === 0 ? 0 : overlap / reference.size;
  return { f: 2 * ((p * r) / (p + r + 1e-8)), p, r };
}

/** Length of the longest common subsequence (rouge_score._lcs's table, one row at a time). */
function lcsLength(x: readonly string[], y: readonly string[]): number {
  let prev = new Int32Array(y.length + 1);
  let row = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) row[j] = xi === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    [prev, row] = [row, prev];
  }
  return prev[y.length]!;
}

function rougeL(hyp: readonly string[], ref: readonly string[]): RougeValues {
  const llcs = lcsLength(ref, hyp);
  const r = llcs / ref.length;
  const p = llcs / hyp.length;
  return { f: 2 * ((p * r) / (p + r + 1e-8)), p, r };
}

/** ROUGE of two token lists as LLaMA-Factory scores `" ".join(tokens)` pairs (values between 0 and 1). */
export function rougeScores(hypTokens: readonly string[], refTokens: readonly string[]): RougeTriple {
  const hypText = hypTokens.join(' ');
  const refText = refTokens.join(' ');
  if (pySplit(hypText).length === 0 || pySplit(refText).length === 0) return { 'rouge-1': ZERO, 'rouge-2': ZERO, 'rouge-l': ZERO };
  const hyp = words(hypText);
  const ref = words(refText);
  return { 'rouge-1': rougeN(hyp, ref, 1), 'rouge-2': rougeN(hyp, ref, 2), 'rouge-l': rougeL(hyp, ref) };
}
