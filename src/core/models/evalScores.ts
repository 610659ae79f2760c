// A fine-tuned model's scores as the Models view shows them: from each eval run its job lists (job.json `evals`),
// the mean scores of the job's own model (kind finetuned), with the delta against the run's base when it has one.
import * as path from 'node:path';
import { EVALS_DIR, summariseRun, type EvalRunMeta, type ModelSummary, type ScoresFile } from '../eval';

/** The summary of the job's model in one eval run, or undefined when the run has no scored fine-tuned model. */
export function fineTunedSummary(meta: EvalRunMeta, scores: ScoresFile | undefined): ModelSummary | undefined {
  const summaries = summariseRun(meta, scores);
  return summaries.find((s) => s.kind === 'finetuned') ?? summaries.find((s) => !s.isBase);
}

/** "ROUGE-L 41.20 (+3.10) · BLEU-4 20.00", two decimals like the comparison view (the scores are percentages). */
export function scoreText(summary: ModelSummary): string {
  const part = (label: string, key: 'rouge-l' | 'bleu-4') => {
    const value = summary.mean[key].toFixed(2);
    const delta = summary.delta?.[key];
    return delta === undefined ? `${label} ${value}` : `${label} ${value} (${delta >= 0 ? '+' : ''}${delta.toFixed(2)})`;
  };
  return `${part('ROUGE-L', 'rouge-l')} · ${part('BLEU-4', 'bleu-4')}`;
}

/**
 * The eval run folders a job lists that may be read: job.json is untrusted input, so only folders directly under
 * the workspace's .finetune/evals count (not `..`, not elsewhere on the disk), each once, in the order listed.
 */
export function readableEvalDirs(root: string, dirs: readonly string[]): string[] {
  const evalsRoot = path.resolve(root, EVALS_DIR);
  const out: string[] = [];
  for (const dir of dirs) {
    const resolved = path.resolve(root, dir);
    if (path.dirname(resolved) === evalsRoot && !out.includes(resolved)) out.push(resolved);
  }
  return out;
}
