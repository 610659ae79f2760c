// Importers for the training logs of other tools and our own, into RunCurves:
//   - HF Trainer `trainer_state.json`: `log_history` entries with `loss` / `eval_loss` / `learning_rate` / `epoch` /
//     `step`; `max_steps`; `best_model_checkpoint` (a checkpoint). Python's json module writes bare `NaN`,
//     `Infinity` and `-Infinity`, which JSON.parse rejects: they are read as the numbers they stand for, outside
//     strings only (a string that contains the word "NaN" is left alone).
//   - LLaMA-Factory `trainer_log.jsonl`: one object a line with `current_steps`, `total_steps`, `loss`,
//     `eval_loss` (null when absent), `learning_rate`, `epoch`.
//   - our own `events.jsonl`: `{"type":"step","step","epoch"?,"loss","learning_rate"?}`,
//     `{"type":"eval","step","eval_loss"}`, `{"type":"checkpoint","step","path"}`; other types are ignored.
// A JSONL log that holds several attempts (its steps go back: the run was resumed from a checkpoint and appended
// to the same file) is read as the latest attempt over the steps it covers, earlier attempts only where no later
// one reaches (attempts.ts). The JSONL formats are read by jsonlReader.ts, which also reads a growing file's appends.
// The kind comes from the file name (trainer_state.json, trainer_log.jsonl, events.jsonl) or, failing that, from
// the content. Bad lines of the JSONL formats (not JSON, not an object, no usable step) are SKIPPED AND COUNTED in
// `skipped` with their 1-based line number and why; a file that is not JSON at all (trainer_state.json), or has no
// line of the expected kind, throws a CurveImportError with a clear message (and the line number when known).
// Never throws anything else on bad input.
import { MESSAGE_MAX_CHARS, quoteText } from '../messageText';
import type { CurveSource, RunCurves } from './types';
import { JsonlCurveReader, pushLoggedPoints, stepOf, type SkippedLine } from './jsonlReader';

export type { SkippedLine };

export interface ImportResult {
  curves: RunCurves;
  /** Lines that were skipped (JSONL formats), 1-based. */
  skipped: SkippedLine[];
}

export class CurveImportError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'CurveImportError';
  }
}

/** The training logs known by their file name. */
const LOG_NAMES: Record<string, CurveSource> = {
  'trainer_state.json': 'hf-trainer-state',
  'trainer_log.jsonl': 'llamafactory-log',
  'events.jsonl': 'events',
};

/** The kind of training log a file name says, if it says one. */
export function sourceByName(fileName: string): CurveSource | undefined {
  return LOG_NAMES[fileName.replace(/\\/g, '/').split('/').pop()!.toLowerCase()];
}

/** The kind of log, from the file name first, then the content; undefined when neither says. */
export function detectSource(fileName: string, text: string): CurveSource | undefined {
  const byName = sourceByName(fileName);
  if (byName) return byName;
  // Content: the first non-blank line, when it is a whole JSON object, says which JSONL format it is; a
  // multi-line JSON object with a log_history is a trainer_state.json.
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const obj = tryParseObject(line);
    if (obj) {
      if ('log_history' in obj) return 'hf-trainer-state';
      if ('current_steps' in obj) return 'llamafactory-log';
      if (typeof obj.type === 'string') return 'events';
    }
    break;
  }
  return text.trimStart().startsWith('{') && /"log_history"\s*:/.test(text) ? 'hf-trainer-state' : undefined;
}

/** Parses a log; `fileName` helps detect the kind (pass `source` to force it). */
export function importCurves(fileName: string, text: string, source?: CurveSource): ImportResult {
  const kind = source ?? detectSource(fileName, text);
  switch (kind) {
    case 'hf-trainer-state':
      return importTrainerState(text);
    case 'llamafactory-log':
      return importLlamaFactoryLog(text);
    case 'events':
      return importEvents(text);
    default:
      throw new CurveImportError(
        'not a known training log: expected a HF Trainer trainer_state.json (with log_history), a LLaMA-Factory trainer_log.jsonl (lines with current_steps) or an events.jsonl (lines with type)',
      );
  }
}

// ---- non-standard JSON numbers ------------------------------------------------------------------------------

const SENTINEL = '\u0000ft-curves:';
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * JSON.parse that also accepts Python's bare NaN, Infinity and -Infinity outside strings. They are rewritten to
 * sentinel strings (with a NUL, which a JSON string can only hold escaped) and turned back into numbers by a reviver.
 */
export function parseJsonWithNaN(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    const m = /^(-?Infinity|NaN)/.exec(c === '-' || c === 'I' || c === 'N' ? text.slice(i, i + 9) : '');
    if (m) {
      const prev = i > 0 ? text[i - 1]! : ' ';
      if (/[A-Za-z0-9_.]/.test(prev)) continue;
      out += text.slice(last, i) + JSON.stringify(SENTINEL + m[1]);
      i += m[1]!.length - 1;
      last = i + 1;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(SENTINEL)) {
      const v = SPECIAL[value.slice(SENTINEL.length)];
      if (v !== undefined) return v;
    }
    return value;
  });
}

function tryParseObject(line: string): Record<string, unknown> | undefined {
  try {
    const v = parseJsonWithNaN(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function empty(source: CurveSource): RunCurves {
  return { source, train: [], eval: [], learningRate: [], checkpoints: [] };
}

function byStep<T extends { step: number }>(a: T, b: T): number {
  return a.step - b.step;
}

function finish(curves: RunCurves): RunCurves {
  curves.train.sort(byStep);
  curves.eval.sort(byStep);
  curves.learningRate.sort(byStep);
  curves.checkpoints.sort(byStep);
  curves.reward?.sort(byStep);
  return curves;
}

// ---- HF Trainer trainer_state.json --------------------------------------------------------------------------

export function importTrainerState(text: string): ImportResult {
  let state: unknown;
  try {
    state = parseJsonWithNaN(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    throw new CurveImportError(
      `trainer_state.json is not valid JSON (${quoteText((err as Error).message, 'en', MESSAGE_MAX_CHARS)})`,
      pos ? lineOf(text, Number(pos[1])) : undefined,
    );
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new CurveImportError('trainer_state.json must be a JSON object with a log_history array');
  }
  const s = state as Record<string, unknown>;
  if (!Array.isArray(s.log_history)) throw new CurveImportError('trainer_state.json has no log_history array');
  const curves = empty('hf-trainer-state');
  const skipped: SkippedLine[] = [];
  const maxSteps = stepOf(s.max_steps);
  if (maxSteps !== undefined && maxSteps > 0) curves.totalSteps = maxSteps;
  s.log_history.forEach((entry: unknown, i: number) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      skipped.push({ line: i + 1, reason: `log_history[${i}] is not an object` });
      return;
    }
    const e = entry as Record<string, unknown>;
    const step = stepOf(e.step);
    if (step === undefined) {
      skipped.push({ line: i + 1, reason: `log_history[${i}] has no step` });
      return;
    }
    pushLoggedPoints(curves, step, e, e.learning_rate);
  });
  if (typeof s.best_model_checkpoint === 'string') {
    const m = /checkpoint-(\d+)\/?$/.exec(s.best_model_checkpoint);
    if (m) curves.checkpoints.push({ step: Number(m[1]), path: s.best_model_checkpoint });
  }
  return { curves: finish(curves), skipped };
}

// ---- JSONL formats ------------------------------------------------------------------------------------------

/** A JSONL log's reader (jsonlReader.ts), fed piece by piece as the file grows. */
export function jsonlReader(source: 'llamafactory-log' | 'events'): JsonlCurveReader {
  return new JsonlCurveReader(source, parseJsonWithNaN);
}

/** The import result of a JSONL reader that was fed the whole file; throws when no line was of its kind. */
export function jsonlResult(reader: JsonlCurveReader): ImportResult {
  if (reader.source === 'llamafactory-log' && reader.recognised === 0) throw new CurveImportError('trainer_log.jsonl has no line with current_steps');
  if (reader.source === 'events' && reader.recognised === 0 && reader.skipped.length > 0) throw new CurveImportError('events.jsonl has no usable step, eval or checkpoint event');
  return { curves: reader.curves(), skipped: reader.skipped };
}

function importJsonl(source: 'llamafactory-log' | 'events', text: string): ImportResult {
  const reader = jsonlReader(source);
  reader.feed(text);
  reader.end();
  return jsonlResult(reader);
}

export function importLlamaFactoryLog(text: string): ImportResult {
  return importJsonl('llamafactory-log', text);
}

export function importEvents(text: string): ImportResult {
  return importJsonl('events', text);
}
