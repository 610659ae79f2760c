import type { LintResult, Severity } from '../types';

/**
 * Findings per severity in a lint result, those left out past `maxDiagnostics` included: the list itself is capped,
 * so counting it would report too few.
 */
export function severityCounts(result: LintResult): Record<Severity, number> {
  if (result.counts) return { ...result.counts };
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of result.diagnostics) counts[d.severity]++;
  return counts;
}
