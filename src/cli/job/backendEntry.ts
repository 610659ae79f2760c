// Which `finetune.backends` entry a CLI job runs on: a backend file (one entry, JSON or JSONC) or a name looked up in
// the workspace's .vscode/settings.json. Both are untrusted input: read bounded, the settings never through a link,
// and any problem said once with the file and the field.
import * as path from 'node:path';
import type { Locale } from '../../core/dataset/types';
import { parseJsonc } from '../../core/jsonc';
import { readErrorReason, readRegularFile } from '../../core/regularFile';
import { assertNoLinks } from '../../core/safeFiles';
import { BackendConfig, BackendName } from '../../shared/backendConfig';
import { jobCliMessage } from './messages';

/** More than any settings or backend file needs; a larger one is refused unread. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const SETTINGS_FILE = path.join('.vscode', 'settings.json');

/** The entry, and where it came from (for messages). */
export type EntryResult = { entry: BackendConfig; source: string } | { error: string };

/** A --backend value that names a file rather than a backend: a path, or a name ending in .json/.jsonc. */
export function isBackendFile(value: string): boolean {
  return /[/\\]/.test(value) || /\.jsonc?$/i.test(value) || !BackendName.safeParse(value).success;
}

/** Reads and parses a JSON(C) file, or says what is wrong with it (the file, and the line and column). */
export async function readJsoncFile(file: string, locale: Locale, options: { noFollow?: boolean } = {}): Promise<{ value: unknown } | { error: string }> {
  let text: string;
  try {
    text = await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES, ...options });
  } catch (err) {
    return { error: jobCliMessage(locale, 'file.unreadable', { file, reason: readErrorReason(err, locale) }) };
  }
  const parsed = parseJsonc(text);
  if (!parsed.ok) return { error: jobCliMessage(locale, 'file.syntax', { file, line: parsed.line, column: parsed.column }) };
  return { value: parsed.value };
}

/**
 * The entry a `--backend` value names, resolved from `root`: a backend file, else a name in the workspace's
 * settings. Without the option, `fallback` (the name the spec or the run records) is looked up in the settings.
 */
export function resolveBackendEntry(root: string, option: string | undefined, fallback: string, locale: Locale): Promise<EntryResult> {
  return option !== undefined && isBackendFile(option)
    ? backendFromFile(path.resolve(root, option), locale)
    : backendFromSettings(root, option ?? fallback, locale);
}

/** One entry of a backend file (`--backend lab.json`). */
export async function backendFromFile(file: string, locale: Locale): Promise<EntryResult> {
  const read = await readJsoncFile(file, locale);
  if ('error' in read) return read;
  return checkEntry(read.value, file, '', locale);
}

/** The entry called `name` in `<root>/.vscode/settings.json`'s finetune.backends. */
export async function backendFromSettings(root: string, name: string, locale: Locale): Promise<EntryResult> {
  const file = path.join(root, SETTINGS_FILE);
  try {
    await assertNoLinks(file, root);
  } catch (err) {
    return { error: jobCliMessage(locale, 'file.unreadable', { file, reason: (err as Error).message }) };
  }
  const read = await readJsoncFile(file, locale, { noFollow: true });
  if ('error' in read) {
    return { error: `${read.error}\n${jobCliMessage(locale, 'backend.howToName', { name })}` };
  }
  const list = (read.value as Record<string, unknown> | null)?.['finetune.backends'];
  const entries = Array.isArray(list) ? list : [];
  const at = entries.findIndex((e) => (e as { name?: unknown } | null)?.name === name);
  if (at < 0) {
    const names = entries.map((e) => (e as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string');
    return { error: jobCliMessage(locale, 'backend.notInSettings', { name, file, names: names.join(', ') || jobCliMessage(locale, 'none') }) };
  }
  return checkEntry(entries[at], file, `finetune.backends[${at}]`, locale);
}

function checkEntry(value: unknown, file: string, where: string, locale: Locale): EntryResult {
  const parsed = BackendConfig.safeParse(value);
  if (parsed.success) return { entry: parsed.data, source: where ? `${file} ${where}` : file };
  const issue = parsed.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)';
  return { error: jobCliMessage(locale, 'backend.invalid', { file, field, message: issue.message }) };
}
