// Adding one more model's answers to an existing eval run ("Add a model to this run…" in the eval view): the
// browser's file dialog picks one file at a time, so runs are built up one model after another.
import type { EvalModel, EvalRunMeta, ModelKind } from './schema';
import type { StoredPrediction } from './predictions';
import { modelIdFor } from './store';

/** The run's metadata with the model added at the end (an id of its own); the base stays the base. */
export function withAddedModel(meta: EvalRunMeta, added: { name: string; source: string; kind?: ModelKind }): { meta: EvalRunMeta; model: EvalModel } {
  const model: EvalModel = {
    id: modelIdFor(added.name, meta.models.map((m) => m.id)),
    name: added.name,
    kind: added.kind ?? 'imported',
    source: added.source,
    status: 'done',
    isBase: false,
  };
  return { meta: { ...meta, models: [...meta.models, model] }, model };
}

/** How the added answers line up with the run's samples. */
export interface Alignment {
  /** Answers added. */
  total: number;
  /** Answers for a sample index no model of the run has answered. */
  newSamples: number;
  /** Answers whose reference differs from the run's reference for that sample: not the same test set, or another order. */
  otherReference: number;
}

/**
 * Compares the added answers with the run's: the same test set gives the same reference for each sample index.
 * (A file from another test set would be scored, but its deltas would compare answers to different questions.)
 */
export function alignmentOf(run: ReadonlyMap<string, readonly StoredPrediction[]>, added: readonly StoredPrediction[]): Alignment {
  const references = new Map<number, string>();
  for (const rows of run.values()) for (const r of rows) if (!references.has(r.index)) references.set(r.index, r.label);
  let newSamples = 0;
  let otherReference = 0;
  for (const r of added) {
    const known = references.get(r.index);
    if (known === undefined) newSamples++;
    else if (known.trim() !== r.label.trim()) otherReference++;
  }
  return { total: added.length, newSamples, otherReference };
}
