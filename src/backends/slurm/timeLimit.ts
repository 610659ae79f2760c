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

/**
 * The --time an sbatch script asks for: its #SBATCH lines (--time=T, --time T, -t T; the last one counts), read as
 * sbatch reads them, up to the first command. Undefined without one (the partition's default limit applies).
 */
export function scriptTimeLimit(script: string): string | undefined {
  let time: string | undefined;
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#!')) continue;
    if (!line.startsWith('#')) break;
    const m = /^#SBATCH\s+(?:--time(?:=|\s+)|-t\s*)(\S+)/.exec(line);
    if (m) time = m[1];
  }
  return time;
}

/** What the time-limit check before submission knows about the job. */
export interface DurationFigures {
  /** Training tokens per epoch; undefined when they could not be counted. */
  tokens?: number;
  epochs: number;
  /** Tokens per second on this backend; undefined when none is known. */
  tokensPerSecond?: number;
  /** Where the throughput comes from ("job X's first steps"), said in the warning. */
  throughputFrom?: string;
}

/**
 * The note for the sbatch review: a warning with the figures when `time` is shorter than the estimate; that the
 * estimate is unknown (and why) when tokens or throughput are missing; undefined when the limit is long enough or
 * the script sets none.
 */
export function timeLimitNote(time: string | undefined, figures: DurationFigures, locale: Locale): string | undefined {
  const limit = time === undefined ? undefined : parseSlurmTime(time);
  if (limit === undefined) return undefined;
  const { tokens, epochs, tokensPerSecond } = figures;
  if (tokens === undefined || !(tokens > 0) || tokensPerSecond === undefined || !(tokensPerSecond > 0)) {
    const reason = slurmMessage(locale, tokens === undefined || !(tokens > 0) ? 'time.unknown.tokens' : 'time.unknown.throughput');
    return slurmMessage(locale, 'time.unknown', { limit: formatSlurmTime(limit), reason });
  }
  const warning = timeLimitWarning(time, { tokens, epochs, tokensPerSecond }, locale);
  if (!warning) return undefined;
  const from = figures.throughputFrom ? ` ${slurmMessage(locale, 'time.throughputFrom', { from: figures.throughputFrom })}` : '';
  return `${warning.message}${from} ${warning.fix}`;
}
