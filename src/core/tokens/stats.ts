// Token-length statistics over a dataset and the seed guide's recommendations (docs/product.md, steps 2 and 4):
// - context: 95%+ of samples within 4k tokens → a 4k model with SFT is enough; 20%+ over 4k → the 8k version;
//   in between → drop or truncate the long samples (listed by line) for 4k, or keep them and use 8k;
// - epochs: 100 samples → 15, 1000 → 10, 10000 → 2, interpolated on a log10 scale, clamped outside.
import type { Locale } from '../dataset/types';
import { message, percent } from './messages';

export interface SampleTokens {
  /** 1-based line in the dataset file. */
  line: number;
  tokens: number;
  trainTokens: number;
}

export const CONTEXT_4K = 4096;
export const CONTEXT_8K = 8192;

export type ContextAdvice = 'none' | '4k' | '8k' | 'between';

export interface TokenStats {
  samples: number;
  tokens: { mean: number; p50: number; p90: number; p95: number; p99: number; max: number };
  /** Fractions (0..1) of samples with more than 4096 / 8192 tokens. */
  over4k: number;
  over8k: number;
  /** Tokens summed over all samples, and the trained (assistant/completion) part. */
  totalTokens: number;
  trainTokens: number;
  recommendation: Recommendation;
}

export interface Recommendation {
  context: ContextAdvice;
  /** Samples over 4096 tokens, longest first (the ones to drop or truncate for a 4k model). */
  longSamples: { line: number; tokens: number }[];
  /** Samples over 8192 tokens, longest first. */
  over8kSamples: { line: number; tokens: number }[];
  epochs: number;
  /** The interpolated value before rounding. */
  epochsExact: number;
  /** Trained tokens per epoch × epochs. */
  trainTokensTimesEpochs: number;
  /** The advice in words, one paragraph each. */
  messages: string[];
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value such that at least p% of the values
 * are at or below it, i.e. sorted[ceil(p/100 × n) − 1] (the minimum for p = 0). 0 for an empty list.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const EPOCH_POINTS: readonly [samples: number, epochs: number][] = [[100, 15], [1000, 10], [10000, 2]];

/** The guide's epochs for a dataset size, linear in log10(samples) between its points and clamped outside. */
export function epochsExact(samples: number): number {
  const first = EPOCH_POINTS[0]!;
  const last = EPOCH_POINTS[EPOCH_POINTS.length - 1]!;
  if (samples <= first[0]) return first[1];
  if (samples >= last[0]) return last[1];
  const x = Math.log10(samples);
  for (let i = 1; i < EPOCH_POINTS.length; i++) {
    const [n0, e0] = EPOCH_POINTS[i - 1]!;
    const [n1, e1] = EPOCH_POINTS[i]!;
    if (samples <= n1) return e0 + ((x - Math.log10(n0)) / (Math.log10(n1) - Math.log10(n0))) * (e1 - e0);
  }
  return last[1];
}

/** Whole epochs (trainers take fractions, but people and the guide think in whole ones): rounded, at least 1. */
export function recommendedEpochs(samples: number): number {
  return Math.max(1, Math.round(epochsExact(samples)));
}

/**
 * The context advice from counts, in integers so the boundaries are exact: 95% within 4k exactly is "4k",
 * 20% over 4k exactly is "8k".
 */
export function contextAdvice(samples: number, over4k: number): ContextAdvice {
  if (samples === 0) return 'none';
  if ((samples - over4k) * 100 >= samples * 95) return '4k';
  if (over4k * 100 >= samples * 20) return '8k';
  return 'between';
}

export interface StatsOptions {
  locale?: Locale;
  /** How many long samples the messages list by line (all of them are in `longSamples`). */
  listLimit?: number;
}

export function computeStats(perSample: readonly SampleTokens[], options: StatsOptions = {}): TokenStats {
  const locale = options.locale ?? 'en';
  const n = perSample.length;
  const sorted = perSample.map((s) => s.tokens).sort((a, b) => a - b);
  const totalTokens = sum(sorted);
  const trainTokens = sum(perSample.map((s) => s.trainTokens));
  const byLength = (a: SampleTokens, b: SampleTokens) => b.tokens - a.tokens || a.line - b.line;
  const longSamples = perSample.filter((s) => s.tokens > CONTEXT_4K).sort(byLength).map(({ line, tokens }) => ({ line, tokens }));
  const over8kSamples = longSamples.filter((s) => s.tokens > CONTEXT_8K);
  const context = contextAdvice(n, longSamples.length);
  const exact = epochsExact(n);
  const epochs = recommendedEpochs(n);
  const recommendation: Recommendation = {
    context,
    longSamples,
    over8kSamples,
    epochs,
    epochsExact: Math.round(exact * 100) / 100,
    trainTokensTimesEpochs: trainTokens * epochs,
    messages: [],
  };
  const stats: TokenStats = {
    samples: n,
    tokens: {
      mean: n ? Math.round((totalTokens / n) * 10) / 10 : 0,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: n ? sorted[n - 1]! : 0,
    },
    over4k: n ? longSamples.length / n : 0,
    over8k: n ? over8kSamples.length / n : 0,
    totalTokens,
    trainTokens,
    recommendation,
  };
  recommendation.messages = recommendationMessages(stats, locale, options.listLimit ?? 20);
  return stats;
}

/** The recommendation in words, in `locale`. */
export function recommendationMessages(stats: TokenStats, locale: Locale, listLimit = 20): string[] {
  const r = stats.recommendation;
  const lines = (list: readonly { line: number; tokens: number }[]) =>
    list.slice(0, listLimit).map((s) => `${s.line}: ${s.tokens}`).join(', ') +
    (list.length > listLimit ? ' ' + message(locale, 'more', { count: list.length - listLimit }) : '');
  const out: string[] = [];
  switch (r.context) {
    case 'none':
      return [message(locale, 'context.none')];
    case '4k':
      out.push(message(locale, 'context.4k', { within: percent(1 - stats.over4k) }));
      break;
    case '8k':
      out.push(message(locale, 'context.8k', { over: percent(stats.over4k) }));
      break;
    case 'between':
      out.push(message(locale, 'context.between', { over: percent(stats.over4k), count: r.longSamples.length, lines: lines(r.longSamples) }));
      break;
  }
  if (r.over8kSamples.length > 0) out.push(message(locale, 'context.over8k', { count: r.over8kSamples.length, lines: lines(r.over8kSamples) }));
  out.push(message(locale, 'epochs', { samples: stats.samples, epochs: r.epochs }));
  out.push(message(locale, 'trainTokens', { train: group(stats.trainTokens), epochs: r.epochs, total: group(r.trainTokensTimesEpochs) }));
  return out;
}

/** 1234567 → "1,234,567". */
export function group(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
