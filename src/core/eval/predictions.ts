// A model's answers as stored in an eval run: LLaMA-Factory's generated_predictions.jsonl lines
// ({"prompt","predict","label"}), plus `index`, the sample's position in the test set, so answers that
// arrive out of order (concurrent requests) and runs that resume still line up with their samples.
export interface StoredPrediction {
  index: number;
  prompt: string;
  predict: string;
  label: string;
}

export function predictionLine(row: StoredPrediction): string {
  return JSON.stringify({ prompt: row.prompt, predict: row.predict, label: row.label, index: row.index });
}

export function predictionsText(rows: readonly StoredPrediction[]): string {
  return rows.map((r) => predictionLine(r) + '\n').join('');
}

/**
 * The rows of a stored predictions file, in file order. A line without an index gets its position among the
 * rows. A line that is not a prediction (a last line cut short when the process stopped mid-write) is skipped:
 * when a run resumes, that sample is asked again.
 */
export function readStoredPredictions(text: string): StoredPrediction[] {
  const rows: StoredPrediction[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof row !== 'object' || row === null) continue;
    const { index, prompt, predict, label } = row as Record<string, unknown>;
    if (typeof predict !== 'string' || typeof prompt !== 'string' || typeof label !== 'string') continue;
    const i = typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : rows.length;
    rows.push({ index: i, prompt, predict, label });
  }
  return rows;
}

/** The answers already in a predictions file being appended to, by sample index (the last one wins). */
export function answeredByIndex(text: string): Map<number, StoredPrediction> {
  return new Map(readStoredPredictions(text).map((r) => [r.index, r]));
}
