// Slurm's time formats, and the warning before submission when --time is shorter than the job's estimated duration
// (tokens from the dataset's statistics × epochs, at a throughput from the probe or the first steps).
import type { Locale } from '../../core/dataset/types';
import { slurmMessage } from './messages';

/**
 * Seconds in a Slurm time: "minutes", "minutes:seconds", "hours:minutes:seconds", "days-hours",
 * "days-hours:minutes", "days-hours:minutes:seconds"; undefined for UNLIMITED/INFINITE or anything else.
 */
export function parseSlurmTime(text: string): number | undefined {
  const t = text.trim();
  const days = /^(\d+)-(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (days) {
    const [, d, h, m = '0', s = '0'] = days;
    return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
  }
  const parts = /^\d+(:\d+){0,2}$/.test(t) ? t.split(':').map(Number) : undefined;
  if (!parts) return undefined;
  if (parts.length === 1) return parts[0]! * 60;
  if (parts.length === 2) return parts[0]! * 60 + parts[1]!;
  return (parts[0]! * 60 + parts[1]!) * 60 + parts[2]!;
}

/** Seconds as Slurm's D-HH:MM:SS (HH:MM:SS under a day), rounded up to whole minutes. */
export function formatSlurmTime(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
  return d ? `${d}-${hms}` : hms;
}

export interface DurationEstimate {
  /** Training tokens per epoch (the dataset's statistics). */
  tokens: number;
  epochs: number;
  /** Tokens per second over all GPUs (the probe's or the first steps' figure). */
  tokensPerSecond: number;
}

/** Extra time the suggestion adds on top of the estimate: loading, evaluation, checkpoints. */
const MARGIN = 1.25;

/** A warning (and its fix) when `time` is shorter than the estimate; undefined when it fits or cannot be judged. */
export function timeLimitWarning(time: string | undefined, estimate: DurationEstimate, locale: Locale): { message: string; fix: string } | undefined {
  const limit = time === undefined ? undefined : parseSlurmTime(time);
  const { tokens, epochs, tokensPerSecond } = estimate;
  if (limit === undefined || !(tokens > 0 && epochs > 0 && tokensPerSecond > 0)) return undefined;
  const seconds = (tokens * epochs) / tokensPerSecond;
  if (seconds <= limit) return undefined;
  const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const params = { limit: formatSlurmTime(limit), estimate: formatSlurmTime(seconds), tokens: n(tokens), epochs: n(epochs),
    throughput: n(tokensPerSecond), suggested: formatSlurmTime(seconds * MARGIN) };
  return { message: slurmMessage(locale, 'time.short', params), fix: slurmMessage(locale, 'time.short.fix', params) };
}
