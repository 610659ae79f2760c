// Files that end in .jsonl or .json but are not training data: a model's answers (LLaMA-Factory's
// generated_predictions.jsonl), training logs, and the JSON of configs, tokenizers, models and job specs.
// Checked as a dataset they get an error on every line; the editor, the Start Job form and `lint` leave them alone.
// Known by the file name first, then by the keys of the first line (a renamed file of answers or logs).
import { t } from '../messages';
import type { Locale } from '../types';
import { sourceByName } from '../../curves/importers';

export type NotDatasetKind = 'predictions' | 'trainingLog' | 'modelConfig' | 'tokenizer' | 'jobSpec' | 'datasetInfo' | 'jsonArray';

const BY_NAME: Record<string, NotDatasetKind> = {
  'generated_predictions.jsonl': 'predictions',
  'all_results.json': 'trainingLog',
  'train_results.json': 'trainingLog',
  'eval_results.json': 'trainingLog',
  'predict_results.json': 'trainingLog',
  'config.json': 'modelConfig',
  'generation_config.json': 'modelConfig',
  'adapter_config.json': 'modelConfig',
  'model.safetensors.index.json': 'modelConfig',
  'tokenizer.json': 'tokenizer',
  'tokenizer_config.json': 'tokenizer',
  'special_tokens_map.json': 'tokenizer',
  'added_tokens.json': 'tokenizer',
  'vocab.json': 'tokenizer',
  'dataset_info.json': 'datasetInfo',
};

/** Keys a training sample is known by: a first line with one of them is a dataset whatever else it holds. */
const SAMPLE_KEYS = ['messages', 'conversations', 'instruction', 'output', 'prompt', 'completion', 'text', 'chosen', 'rejected'];

/** Whether a parsed record is an object with a key a training sample is known by. */
export function hasSampleKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && SAMPLE_KEYS.some((k) => Object.hasOwn(value, k));
}

/** A first line longer than this is not parsed to look at its keys (logs and predictions lines are short). */
const MAX_PARSED_LINE = 256 * 1024;

/** The file's base name, lower-cased, from a path with either kind of separator or a URI path. */
function baseName(file: string): string {
  return file.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
}

/** What a file is when it is not a dataset, by its name alone; undefined when the name does not say. */
export function notDatasetByName(file: string): NotDatasetKind | undefined {
  const name = baseName(file);
  if (sourceByName(name)) return 'trainingLog'; // the logs the loss curves read, known by the same names
  if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name];
  return name.endsWith('.ftjob.json') ? 'jobSpec' : undefined;
}

/** What a first line's keys say a file is when it is not a dataset: answers, a training log, a model's config. */
export function notDatasetByKeys(firstLine: string): NotDatasetKind | undefined {
  if (firstLine.length > MAX_PARSED_LINE) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(firstLine);
  } catch {
    return undefined; // not a whole JSON object on one line: the linter says what is wrong with it
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  const has = (...keys: string[]) => keys.every((k) => Object.hasOwn(obj, k));
  // LLaMA-Factory's predictions: prompt, predict, label (prompt is left out by some versions).
  if (has('predict', 'label') && !has('messages') && !has('conversations')) return 'predictions';
  if (SAMPLE_KEYS.some((k) => has(k))) return undefined;
  // LLaMA-Factory's trainer_log.jsonl, a trainer_state.json on one line, and this trainer's events.
  if (has('current_steps', 'total_steps') || has('log_history')) return 'trainingLog';
  if (typeof obj.type === 'string' && typeof obj.time === 'number') return 'trainingLog';
  if (has('architectures') || has('model_type') || has('peft_type')) return 'modelConfig';
  if (has('tokenizer_class') || has('added_tokens_decoder') || (has('model', 'normalizer'))) return 'tokenizer';
  return undefined;
}

/** The first non-blank line of a text (without its CR), or '' when there is none. Reads no further than it needs. */
export function firstLineOf(text: string): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') return line;
    start = end + 1;
  }
  return '';
}

/**
 * What a file is when it is not a dataset, or undefined for a dataset (or anything else worth checking as one).
 * `firstLine` is the file's first non-blank line, when the caller has it.
 */
export function notDatasetKind(file: string, firstLine?: string): NotDatasetKind | undefined {
  return notDatasetByName(file) ?? (firstLine ? notDatasetByKeys(firstLine) : undefined);
}

/** What the file is, in words ("model predictions", "a training log"...). */
export function notDatasetText(locale: Locale, kind: NotDatasetKind): string {
  return t(locale, `notDataset.${kind}`, {});
}
