// Reads LLaMA-Factory's generated_predictions.jsonl: one {"prompt", "predict", "label"} object a line.
// Lines that cannot be used are reported with their 1-based numbers; blank lines are skipped.
import type { Locale } from '../dataset/types';
import { MESSAGE_MAX_CHARS, quoteText } from '../messageText';

export interface PredictionRow { line: number; prompt: string; predict: string; label: string }
export interface PredictionProblem { line: number; message: string }

const MESSAGES = {
  json: { en: (d: string) => `not valid JSON (${d})`, 'zh-cn': (d: string) => `不是有效的 JSON（${d}）` },
  object: { en: () => 'expected a JSON object with "predict" and "label"', 'zh-cn': () => '应为包含 "predict" 和 "label" 的 JSON 对象' },
  field: {
    en: (key: string, found: string) => `"${key}" must be a string (found ${found})`,
    'zh-cn': (key: string, found: string) => `"${key}" 必须是字符串（实际是 ${found}）`,
  },
} as const;

const typeName = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function parsePredictions(text: string, locale: Locale = 'en'): { rows: PredictionRow[]; problems: PredictionProblem[] } {
  const rows: PredictionRow[] = [];
  const problems: PredictionProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (i === 0 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      // The parser's message quotes the line: shortened and escaped.
      problems.push({ line, message: MESSAGES.json[locale](quoteText((err as Error).message, locale, MESSAGE_MAX_CHARS)) });
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, message: MESSAGES.object[locale]() });
      continue;
    }
    const record = value as Record<string, unknown>;
    const bad = (['predict', 'label'] as const).find((k) => typeof record[k] !== 'string');
    if (bad) {
      problems.push({ line, message: MESSAGES.field[locale](bad, typeName(record[bad])) });
      continue;
    }
    const prompt = typeof record.prompt === 'string' ? record.prompt : '';
    rows.push({ line, prompt, predict: record.predict as string, label: record.label as string });
  }
  return { rows, problems };
}
