// The sub-commands' argument parsing: options are walked in order and each handler checks its own value, so the
// first problem on the command line is the one reported.
import type { CliIo } from './io';
import type { Locale } from '../core/dataset/types';
import { usageMessage, usageNoun } from './usageMessages';

export interface ArgSpec {
  /** Options without a value (`--flag`; `--flag=x` sets them too, the value ignored). */
  booleans?: Record<string, () => void>;
  /**
   * Options with a value, `--flag v` or `--flag=v`: the handler takes it and returns an error message for a bad
   * one. It gets undefined for a missing value unless `missingValue` is given.
   */
  values?: Record<string, (value: string | undefined) => string | undefined>;
  /** The error for a missing value; without it the value's handler decides. */
  missingValue?: (flag: string) => string;
  /** The error for an option not in the spec: `arg` as written, `flag` without its `=value`. */
  unknown: (arg: string, flag: string) => string;
  /** Everything after `--` is a positional argument. */
  endOfOptions?: boolean;
}

/** The positional arguments (files) in order, or the first error. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): { files: string[] } | { error: string } {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (spec.endOfOptions && arg === '--') {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const setBoolean = spec.booleans?.[flag];
    if (setBoolean) {
      setBoolean();
      continue;
    }
    const take = spec.values?.[flag];
    if (!take) return { error: spec.unknown(arg, flag) };
    const value = eq > 0 ? arg.slice(eq + 1) : i + 1 < argv.length ? argv[++i] : undefined;
    if (value === undefined && spec.missingValue) return { error: spec.missingValue(flag) };
    const error = take(value);
    if (error !== undefined) return { error };
  }
  return { files };
}

/** `--locale en|zh-cn` as metrics, stats and diagnose take it; its error in `locale` (the one in force so far). */
export function localeOption(set: (locale: Locale) => void, locale: Locale = 'en'): (value: string | undefined) => string | undefined {
  return (v) => {
    if (v !== 'en' && v !== 'zh-cn') return usageMessage(locale, 'locale', { value: v ?? usageMessage(locale, 'nothing') });
    set(v);
    return undefined;
  };
}

/** A valid `--locale` wherever it is on the command line (else `defaultLocale`): found first, so that every message,
 * the first problem's included, is in its language. */
export function localeAnywhere(args: readonly string[], defaultLocale: Locale): Locale {
  const at = args.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  if (at < 0) return defaultLocale;
  const v = args[at]!.includes('=') ? args[at]!.slice('--locale='.length) : args[at + 1];
  return v === 'en' || v === 'zh-cn' ? v : defaultLocale;
}

/** The one positional file of a command that takes one: `none` when there is none, and what it is (`noun`) when there are several. */
export function oneFile(files: readonly string[], none: string, noun: 'log' | 'file' | 'dataset', locale: Locale = 'en'): { file: string } | { error: string } {
  if (files.length === 0) return { error: none };
  if (files.length > 1) return { error: usageMessage(locale, 'oneAtATime', { noun: usageNoun(locale, noun), count: files.length, files: files.join(', ') }) };
  return { file: files[0]! };
}

/**
 * `--help` / `-h` prints the help (exit 0); an argument error prints it after the error (exit 2). Otherwise the
 * parsed arguments, for the command to go on with.
 */
export function argsOrExit<T extends object>(
  command: string,
  args: string[],
  io: CliIo,
  help: string,
  parse: (args: string[], defaultLocale: Locale) => T | string,
): T | number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(help);
    return 0;
  }
  const parsed = parse(args, io.locale);
  if (typeof parsed === 'string') {
    io.stderr(`finetune-studio ${command}: ${parsed}\n\n${help}`);
    return 2;
  }
  return parsed;
}
