// Reading a job spec (`*.ftjob.json`, or the Start Job form's fields) with the zod JobSpec: the spec with its
// defaults, or every problem with its JSON path and, for a file, where it is in the text.
import * as z from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { JobSpec } from '../../shared/jobSpec';
import type { Locale } from '../dataset/types';
import { parseJsonLine, type JsonNode } from '../dataset/parsing/jsonLine';
import { keyRangeAt, nodeAt } from '../dataset/parsing/jsonPath';
import { jobMessage } from './messages';
import { lineColumn } from '../jsonc';

export interface SpecIssue {
  /** Where in the spec: `['hyperparameters', 'learningRate']`; empty for the whole spec. */
  path: (string | number)[];
  message: string;
  /** The key at `path` is not part of the spec. */
  unknownKey?: boolean;
  /** UTF-16 offsets into the file's text, when the spec came from one. */
  start?: number;
  end?: number;
}

export type SpecResult = { ok: true; spec: JobSpec } | { ok: false; issues: SpecIssue[] };

const zhError = zhCN().localeError;

/** The spec with its defaults, or its problems in `locale`. */
export function parseSpec(value: unknown, locale: Locale): SpecResult {
  const parsed = JobSpec.safeParse(value, locale === 'zh-cn' ? { error: zhError } : undefined);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return { ok: false, issues: parsed.error.issues.flatMap((issue) => toIssues(issue)) };
}

/** Each unknown key gets its own issue at its own path, so an editor can underline the key itself. */
function toIssues(issue: z.core.$ZodIssue): SpecIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key], message: issue.message, unknownKey: true }));
  return [{ path, message: issue.message }];
}

/** `hyperparameters.learningRate`, `backend.devices[0]`; `(root)` for the whole spec. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parses a spec file's text; problems carry their offsets (an unknown key: the key; a bad value: the value). */
export function parseSpecText(text: string, locale: Locale): SpecResult {
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const json = parseJsonLine(body);
  if (!json.ok) {
    const { line, column } = lineColumn(body, json.error.column);
    return { ok: false, issues: [{ path: [], message: jobMessage(locale, 'spec.syntax', { line, column }), start: json.error.column, end: json.error.column + 1 }] };
  }
  const result = parseSpec(json.value, locale);
  if (result.ok) return result;
  return { ok: false, issues: result.issues.map((issue) => ({ ...issue, ...locate(json.root, issue) })) };
}

/** An unknown key: the key; a bad value: the value; a missing one: the key of the nearest enclosing member. */
function locate(root: JsonNode, issue: SpecIssue): { start: number; end: number } {
  const key = issue.path.length > 0 ? keyRangeAt(root, issue.path) : undefined;
  if (issue.unknownKey && key) return key;
  const value = nodeAt(root, issue.path);
  if (value) return { start: value.start, end: value.end };
  for (let n = issue.path.length - 1; n > 0; n--) {
    const parentKey = keyRangeAt(root, issue.path.slice(0, n));
    if (parentKey) return parentKey;
  }
  return { start: root.start, end: Math.min(root.end, root.start + 1) };
}
