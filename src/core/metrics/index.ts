// Metrics compatible with LLaMA-Factory (docs: testing.md, "Metrics compatible with LLaMA-Factory"): per sample
// BLEU-4 on characters and ROUGE-1/2/L on jieba words, each ×100 and rounded to 4 decimals as
// `round(v * 100, 4)`; averages are numpy means of the rounded values, as in its predict_results.json.
// Whitespace and character segmentation are offered for languages jieba does not suit (ROUGE only; BLEU is always on
// characters, as LLaMA-Factory computes it).
import { sentenceBleu4 } from './bleu';
import { JiebaTokenizer } from './jieba';
import { loadJiebaData, type JiebaData } from './jiebaData';
import type { Locale } from '../dataset/types';
import { numpyMean, pyRound4, pySplit } from './python';
import { rougeScores, type RougeLCut, type RougeValues } from './rouge';

export { ROUGE_L_MAX_WORDS, type RougeLCut } from './rouge';

export { parsePredictions, type PredictionRow } from './predictions';

export type Segmentation = 'jieba' | 'whitespace' | 'character';
export const SEGMENTATIONS: readonly Segmentation[] = ['jieba', 'whitespace', 'character'];

/** Each ×100, rounded to 4 decimals. */
export interface RougeScore { f: number; p: number; r: number }
export interface SampleScores {
  'bleu-4': number;
  /** ROUGE F scores ×100, rounded: the numbers LLaMA-Factory reports. */
  'rouge-1': number;
  'rouge-2': number;
  'rouge-l': number;
  rouge: { 'rouge-1': RougeScore; 'rouge-2': RougeScore; 'rouge-l': RougeScore };
  /** Present when ROUGE-L compared only the first `limit` words of each side (ROUGE_L_MAX_WORDS): the words each had. */
  rougeLCut?: RougeLCut;
}

export interface Scorer {
  score(predict: string, label: string): SampleScores;
  /** The tokens ROUGE compares (joined with spaces, as LLaMA-Factory passes them to rouge_chinese). */
  segment(text: string): string[];
}

let jiebaData: Promise<JiebaData> | undefined;

/** Python jieba's data, read once per process (or worker) on first use. */
export function jiebaDataOnce(file?: string): Promise<JiebaData> {
  jiebaData ??= loadJiebaData(file).catch((err: unknown) => {
    jiebaData = undefined;
    throw err;
  });
  return jiebaData;
}

/** `maxLcsWords`: the words of each side ROUGE-L compares at most (ROUGE_L_MAX_WORDS; smaller in tests). */
export async function createScorer(options: { segmentation?: Segmentation; jiebaDataFile?: string; maxLcsWords?: number } = {}): Promise<Scorer> {
  const segmentation = options.segmentation ?? 'jieba';
  const segment = await segmenter(segmentation, options.jiebaDataFile);
  return {
    segment,
    score: (predict, label) => {
      const rouge = rougeScores(segment(predict), segment(label), options.maxLcsWords);
      const scaled = {
        'rouge-1': scale(rouge['rouge-1']),
        'rouge-2': scale(rouge['rouge-2']),
        'rouge-l': scale(rouge['rouge-l']),
      };
      return {
        'bleu-4': pyRound4(sentenceBleu4(predict, label) * 100),
        'rouge-1': scaled['rouge-1'].f,
        'rouge-2': scaled['rouge-2'].f,
        'rouge-l': scaled['rouge-l'].f,
        rouge: scaled,
        ...(rouge.cut ? { rougeLCut: rouge.cut } : {}),
      };
    },
  };
}

async function segmenter(segmentation: Segmentation, dataFile: string | undefined): Promise<(text: string) => string[]> {
  switch (segmentation) {
    case 'jieba': {
      const tokenizer = new JiebaTokenizer(await jiebaDataOnce(dataFile));
      return (text) => tokenizer.cut(text);
    }
    case 'whitespace':
      return pySplit;
    case 'character':
      return (text) => Array.from(text);
  }
}

/** The note for a sample whose ROUGE-L compared only the first words of each side. */
export function rougeLCutNote(cut: RougeLCut, locale: Locale): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return locale === 'zh-cn'
    ? `ROUGE-L 只比较了两边各自的前 ${n(cut.limit)} 个词（预测有 ${n(cut.predictWords)} 个，参考答案有 ${n(cut.labelWords)} 个）；ROUGE-1/2 和 BLEU-4 用了全部文本`
    : `ROUGE-L compared only the first ${n(cut.limit)} words of each side (the prediction has ${n(cut.predictWords)}, the label ${n(cut.labelWords)}); ROUGE-1/2 and BLEU-4 took the whole texts`;
}

const scale = (v: RougeValues): RougeScore => ({ f: pyRound4(v.f * 100), p: pyRound4(v.p * 100), r: pyRound4(v.r * 100) });

/** The mean of every score over the samples (NaN for none). */
export function averageScores(samples: readonly SampleScores[]): SampleScores {
  const mean = (pick: (s: SampleScores) => number) => numpyMean(samples.map(pick));
  const rouge = (key: keyof SampleScores['rouge']): RougeScore => ({
    f: mean((s) => s.rouge[key].f),
    p: mean((s) => s.rouge[key].p),
    r: mean((s) => s.rouge[key].r),
  });
  return {
    'bleu-4': mean((s) => s['bleu-4']),
    'rouge-1': mean((s) => s['rouge-1']),
    'rouge-2': mean((s) => s['rouge-2']),
    'rouge-l': mean((s) => s['rouge-l']),
    rouge: { 'rouge-1': rouge('rouge-1'), 'rouge-2': rouge('rouge-2'), 'rouge-l': rouge('rouge-l') },
  };
}
