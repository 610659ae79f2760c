// Hyperparameters pre-filled from the dataset's statistics (docs/product.md, steps 2-4; the seed page):
// - epochs from the guide's table by number of samples (100 → 15, 1000 → 10, 10000 → 2; see core/tokens/stats);
// - learning rate by method (the seed: "the platform gives a recommended default; keep it without tuning experience");
// - maximum length by the 4k/8k rule: 95%+ of samples within 4k → 4096, 20%+ over 4k → 8192 (the 8k model);
// - batch size and gradient accumulation: an effective batch that suits the dataset size, one per device for 8k.
// Each value comes with a one-line reason in the user's language.
import type { Locale } from '../dataset/types';
import type { TrainingMethod } from '../../shared/job';
import type { Hyperparameters } from '../../shared/jobSpec';
import { CONTEXT_4K, CONTEXT_8K, recommendedEpochs, type TokenStats } from '../tokens/stats';
import { percent } from '../tokens/messages';
import { jobMessage } from './messages';

export const RECOMMENDED_FIELDS = ['epochs', 'learningRate', 'maxLength', 'batchSize', 'gradientAccumulation'] as const;
export type RecommendedField = (typeof RECOMMENDED_FIELDS)[number];
export type RecommendedValues = Pick<Hyperparameters, RecommendedField>;

export interface RecommendInput {
  method: TrainingMethod;
  /** Samples the trainer trains on (the eval share already held out); undefined before a dataset is chosen. */
  samples?: number;
  /** Token statistics with the base model's tokenizer and chat template, when one is at hand. */
  tokens?: Pick<TokenStats, 'samples' | 'tokens' | 'over4k' | 'recommendation'>;
}

export interface Recommendations {
  values: RecommendedValues;
  /** Why, one line per field (batch size and accumulation share theirs). */
  reasons: Record<RecommendedField, string>;
}

/** The learning rate each method is usually trained with (sources in the reason lines, core/jobs/messages.ts). */
export const LEARNING_RATES: Record<TrainingMethod, number> = {
  lora: 2e-4,
  full: 1e-5,
  p_tuning: 1e-3,
  prefix_tuning: 1e-2,
};

/** Epochs when no dataset is known yet: the guide's value for its ~1000-sample dataset. */
const DEFAULT_EPOCHS = recommendedEpochs(1000);

export function recommend(input: RecommendInput, locale: Locale): Recommendations {
  const samples = input.samples !== undefined && input.samples > 0 ? input.samples : undefined;
  const epochs = samples ? recommendedEpochs(samples) : DEFAULT_EPOCHS;
  const epochsReason = samples
    ? jobMessage(locale, 'epochs', { samples, epochs })
    : jobMessage(locale, 'epochs.none', { epochs });
  const learningRate = LEARNING_RATES[input.method];
  const { maxLength, reason: maxLengthReason } = recommendMaxLength(input.tokens, locale);
  const batch = recommendBatch(samples, maxLength, input.tokens, locale);
  return {
    values: { epochs, learningRate, maxLength, batchSize: batch.batchSize, gradientAccumulation: batch.gradientAccumulation },
    reasons: {
      epochs: epochsReason,
      learningRate: jobMessage(locale, `lr.${input.method}`),
      maxLength: maxLengthReason,
      batchSize: batch.deviceReason,
      gradientAccumulation: batch.reason,
    },
  };
}

function recommendMaxLength(tokens: RecommendInput['tokens'], locale: Locale): { maxLength: number; reason: string } {
  if (!tokens || tokens.samples === 0) return { maxLength: CONTEXT_4K, reason: jobMessage(locale, 'maxLength.none') };
  const params = { p99: tokens.tokens.p99, max: tokens.tokens.max, within: percent(1 - tokens.over4k), over: percent(tokens.over4k) };
  const longer = tokens.recommendation.longSamples.length;
  switch (tokens.recommendation.context) {
    case '8k':
      return { maxLength: CONTEXT_8K, reason: jobMessage(locale, 'maxLength.8k', params) };
    case 'between':
      return { maxLength: CONTEXT_4K, reason: jobMessage(locale, 'maxLength.between', params) };
    default:
      return longer > 0
        ? { maxLength: CONTEXT_4K, reason: jobMessage(locale, 'maxLength.4kDrop', { ...params, count: longer }) }
        : { maxLength: CONTEXT_4K, reason: jobMessage(locale, 'maxLength.4k', params) };
  }
}

/** Short samples (p95 at most this many tokens) fit four to a device. */
const SHORT_SAMPLES = 1024;

function recommendBatch(
  samples: number | undefined, maxLength: number, tokens: RecommendInput['tokens'], locale: Locale,
): { batchSize: number; gradientAccumulation: number; reason: string; deviceReason: string } {
  const size = samples === undefined ? 'medium' : samples < MIN_STEPS * 8 ? 'tiny' : samples < 200 ? 'small' : samples < 5000 ? 'medium' : 'large';
  // A tiny dataset still gets MIN_STEPS steps an epoch: an effective batch of a quarter of it (at least one sample).
  const effective = size === 'tiny' ? Math.max(1, Math.floor(samples! / MIN_STEPS)) : { small: 8, medium: 16, large: 32 }[size];
  const long = maxLength > CONTEXT_4K;
  const short = !!tokens && tokens.samples > 0 && tokens.tokens.p95 <= SHORT_SAMPLES;
  const batchSize = Math.min(effective, long ? 1 : short ? 4 : 2);
  const gradientAccumulation = Math.max(1, Math.round(effective / batchSize));
  const steps = samples === undefined ? '?' : Math.max(1, Math.ceil(samples / (batchSize * gradientAccumulation)));
  const reason = jobMessage(locale, 'batch', {
    batch: batchSize, accumulation: gradientAccumulation, effective: batchSize * gradientAccumulation,
    reason: jobMessage(locale, `batch.${size}`, { steps }),
  });
  const deviceReason = long
    ? jobMessage(locale, 'batch.device.long', { batch: batchSize, maxLength })
    : short
      ? jobMessage(locale, 'batch.device.short', { batch: batchSize, p95: tokens!.tokens.p95 })
      : jobMessage(locale, 'batch.device.default', { batch: batchSize });
  return { batchSize, gradientAccumulation, reason, deviceReason };
}

/** Steps an epoch that even a tiny dataset gets. */
const MIN_STEPS = 4;

/** Samples the trainer trains on: all of them with an eval file, else all but the held-out share. */
export function trainingSamples(samples: number, hasEvalFile: boolean, evalShare: number): number {
  return hasEvalFile ? samples : Math.max(1, samples - Math.round(samples * evalShare));
}
