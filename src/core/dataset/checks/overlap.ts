// Train/eval overlap as a plain API: which samples of an eval text are also in the training data
// (whole sample, or only its prompt), given the training file's sample keys.
import { indexOverlap } from './crossLine';
import { lintLine } from './lineLinter';
import { lineContext, splitLines } from './linter';
import type { LintOptions, SampleKeys } from '../types';

export interface OverlapHit {
  /** 0-based lines in the eval text and in the training file. */
  evalLine: number;
  trainLine: number;
  /** `sample`: the whole sample is in both; `prompt`: the same prompt with a different answer. */
  kind: 'sample' | 'prompt';
}

export function findOverlap(trainKeys: SampleKeys, evalText: string, options: LintOptions = {}): OverlapHit[] {
  const train = indexOverlap({ keys: trainKeys, file: '' });
  const ctx = lineContext(options);
  const hits: OverlapHit[] = [];
  splitLines(evalText).forEach((text, evalLine) => {
    const r = lintLine(text, ctx);
    if (r.full === 0) return;
    const whole = train.full.lineOf(r.full);
    const prompt = whole >= 0 || r.prompt === 0 ? -1 : train.prompt.lineOf(r.prompt);
    if (whole >= 0) hits.push({ evalLine, trainLine: whole, kind: 'sample' });
    else if (prompt >= 0) hits.push({ evalLine, trainLine: prompt, kind: 'prompt' });
  });
  return hits;
}
