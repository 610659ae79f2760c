// Sorting and filtering of the eval-detail rows: pure, so the unit tests run it without a browser.
import type { DetailRow, EvalDetail } from '../../src/shared/protocol/evalDetail';

export type SortKind = 'index' | 'drop' | 'score';

export interface ViewOptions {
  search: string;
  sort: SortKind;
  /** The model sorted by (its index in `models`). */
  model: number;
  /** Index into SCORE_NAMES. */
  metric: number;
  descending: boolean;
}

/** Lower-cased prompt, reference and answers of each row, built once per detail for the search. */
export function searchTexts(rows: readonly DetailRow[]): string[] {
  return rows.map((r) => [r.prompt, r.label, ...r.answers.map((a) => a?.text ?? '')].join('\u0000').toLowerCase());
}

const scoreOf = (row: DetailRow, model: number, metric: number): number | undefined => row.answers[model]?.scores?.[metric];

/**
 * The rows to show, as indices into `detail.rows`: filtered by the search (every word must occur) and sorted.
 * Rows without the value sorted by go last, in sample order.
 */
export function visibleRows(detail: EvalDetail, texts: readonly string[], options: ViewOptions): number[] {
  const words = options.search.toLowerCase().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  detail.rows.forEach((_, i) => {
    const text = texts[i]!;
    if (words.every((w) => text.includes(w))) out.push(i);
  });
  if (options.sort === 'index') {
    if (options.descending) out.reverse();
    return out;
  }
  const base = detail.models.findIndex((m) => m.isBase);
  const key = (i: number): number | undefined => {
    const row = detail.rows[i]!;
    const own = scoreOf(row, options.model, options.metric);
    if (options.sort === 'score') return own;
    if (base < 0 || base === options.model) return undefined;
    const b = scoreOf(row, base, options.metric);
    return own === undefined || b === undefined ? undefined : b - own;
  };
  const keys = new Map(out.map((i) => [i, key(i)]));
  const sign = options.descending ? -1 : 1;
  return out.sort((a, b) => {
    const ka = keys.get(a);
    const kb = keys.get(b);
    if (ka === undefined || kb === undefined) return ka === kb ? a - b : ka === undefined ? 1 : -1;
    return ka === kb ? a - b : sign * (ka - kb);
  });
}
