// A log's text as the panel gets it (the curves worker does the same with the file it reads): for the tests.
import { importCurves } from '../../../src/core/curves/importers';
import { toRun } from '../../../src/core/curves/run';
import type { Locale } from '../../../src/core/dataset/types';
import type { LossRun } from '../../../src/shared/protocol/lossCurve';

export function lossRun(filePath: string, displayName: string, text: string, locale: Locale): LossRun {
  const { curves, skipped } = importCurves(filePath, text);
  return toRun(displayName, curves, skipped.length, locale);
}
