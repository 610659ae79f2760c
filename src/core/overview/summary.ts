import type { DatasetOverview } from '../../shared/protocol/datasetOverview';
import type { LintResult } from '../dataset/types';
import { severityCounts } from '../dataset/checks/severityCounts';

const MAX_LISTED = 200;

/** Counts a lint result for the overview: totals per severity, then per code, then the first problems. */
export function summarize(fileName: string, result: LintResult): DatasetOverview {
  const counts = severityCounts(result);
  const byCode = new Map<string, DatasetOverview['byCode'][number]>();
  for (const d of result.diagnostics) {
    const entry = byCode.get(d.code);
    if (entry) entry.count++;
    else byCode.set(d.code, { code: d.code, severity: d.severity, count: 1, example: d.message });
  }
  const rank = { error: 0, warning: 1, information: 2, hint: 3 };
  return {
    fileName,
    format: result.format,
    samples: result.samples,
    counts,
    omitted: result.omitted + Math.max(0, result.diagnostics.length - MAX_LISTED),
    byCode: [...byCode.values()].sort((a, b) => rank[a.severity] - rank[b.severity] || b.count - a.count),
    problems: result.diagnostics.slice(0, MAX_LISTED).map((d) => ({ line: d.span.line, severity: d.severity, code: d.code, message: d.message })),
  };
}
