// `finetune-studio job <start|list|follow|cancel|logs> ...`: the command line as a value, or the first problem in it.
import type { Locale } from '../../core/dataset/types';
import { localeAnywhere, localeOption, parseArgs, type ArgSpec } from '../args';
import { usageMessage, type UsageMessageKey } from '../usageMessages';

export const SUBCOMMANDS = ['start', 'list', 'follow', 'cancel', 'logs'] as const;

export type JobArgs =
  | { sub: 'start'; spec: string; backend?: string; follow: boolean; python?: string; resumeFrom?: string; locale: Locale }
  | { sub: 'list'; json: boolean; locale: Locale }
  | { sub: 'follow' | 'cancel'; id: string; backend?: string; locale: Locale }
  | { sub: 'logs'; id: string; tail?: number; backend?: string; locale: Locale };

/** A job id as a job folder is named (jobStore's newJobId): never a path. */
const JOB_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_TAIL = 100_000;

const isSubcommand = (s: string): s is (typeof SUBCOMMANDS)[number] => (SUBCOMMANDS as readonly string[]).includes(s);

export function parseJobArgs(args: readonly string[], defaultLocale: Locale): JobArgs | string {
  const locale = localeAnywhere(args, defaultLocale);
  const say = (key: UsageMessageKey, params: Record<string, string | number> = {}) => usageMessage(locale, key, params);
  const [sub, ...rest] = args;
  if (sub === undefined || sub.startsWith('-')) return say('jobNoSub');
  if (!isSubcommand(sub)) return say('jobUnknownSub', { name: sub });

  const opts: { backend?: string; follow: boolean; python?: string; resumeFrom?: string; json: boolean; tail?: number } = { follow: false, json: false };
  const text = (set: (v: string) => void) => (v: string | undefined) => {
    set(v!); // missingValue reports an absent one
    return undefined;
  };
  const values: NonNullable<ArgSpec['values']> = { '--locale': localeOption(() => undefined, locale) };
  const booleans: NonNullable<ArgSpec['booleans']> = {};
  if (sub === 'start' || sub === 'follow' || sub === 'cancel' || sub === 'logs') values['--backend'] = text((v) => { opts.backend = v; });
  if (sub === 'start') {
    booleans['--follow'] = () => { opts.follow = true; };
    values['--python'] = text((v) => { opts.python = v; });
    values['--resume-from'] = text((v) => { opts.resumeFrom = v; });
  }
  if (sub === 'list') booleans['--json'] = () => { opts.json = true; };
  if (sub === 'logs') {
    values['--tail'] = (v) => {
      const n = /^\d+$/.test(v!) ? Number(v) : NaN;
      if (!(n >= 1 && n <= MAX_TAIL)) return say('jobTail', { value: v!, max: MAX_TAIL });
      opts.tail = n;
      return undefined;
    };
  }
  const parsed = parseArgs(rest, {
    booleans,
    values,
    missingValue: (flag) => say('jobNeedsValue', { flag }),
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
    endOfOptions: true,
  });
  if ('error' in parsed) return parsed.error;
  const { files } = parsed;
  const extra = (n: number) => (files.length > n ? say('jobExtra', { arg: files[n]! }) : undefined);

  if (sub === 'list') return extra(0) ?? { sub, json: opts.json, locale };
  if (sub === 'start') {
    if (files.length === 0) return say('jobNoSpec');
    return extra(1) ?? {
      sub,
      spec: files[0]!,
      follow: opts.follow,
      ...(opts.backend !== undefined ? { backend: opts.backend } : {}),
      ...(opts.python !== undefined ? { python: opts.python } : {}),
      ...(opts.resumeFrom !== undefined ? { resumeFrom: opts.resumeFrom } : {}),
      locale,
    };
  }
  if (files.length === 0) return say('jobNoId');
  const id = files[0]!;
  if (!JOB_ID.test(id)) return say('jobBadId', { id });
  const backend = opts.backend !== undefined ? { backend: opts.backend } : {};
  if (sub === 'logs') return extra(1) ?? { sub, id, ...backend, ...(opts.tail !== undefined ? { tail: opts.tail } : {}), locale };
  return extra(1) ?? { sub, id, ...backend, locale };
}
