// The export parity gate's pure parts: which test samples it answers, what kind of export a folder holds, and the
// verdict from the two models' scores. The editor side (src/features/eval/parityGate.ts) runs the models.
import type { Metric } from './schema';

/** Defaults of `finetune.eval.paritySamples` and `finetune.eval.parityThreshold` (ROUGE-L points, scores ×100). */
export const PARITY_DEFAULTS = { samples: 16, threshold: 2 } as const;
/** Their ranges (package.json's minimum and maximum say the same): the settings and a caller's figures are held to them. */
export const PARITY_RANGES = { samples: { min: 1, max: 1000 }, threshold: { min: 0, max: 100 } } as const;
/** The score the eval view leads with: the gate compares it. */
export const PARITY_METRIC: Metric = 'rouge-l';

/**
 * The first `n` samples of a JSONL test set as a test set of their own: those lines of `text`, unchanged, so that
 * the trainer reads them exactly as it reads the whole file. `sampleLines` are the 0-based lines of its samples
 * (readEvalSamples); the chosen ones are returned with the new file's text.
 */
export function paritySubset(text: string, sampleLines: readonly number[], n: number): { text: string; lines: number[] } {
  const count = Math.max(0, Math.min(Math.floor(n), sampleLines.length));
  const all = text.split(/\r?\n/);
  const lines = sampleLines.slice(0, count);
  return { text: lines.map((l) => all[l]!.replace(/^\ufeff/, '') + '\n').join(''), lines };
}

export type ExportKind = 'onnx' | 'merged' | 'ollama';

/**
 * What an export folder holds, from its file names (`onnxFiles`: those of its `onnx/` folder): an ONNX export
 * (onnx/model*.onnx, as the trainer writes it), an Ollama Modelfile, or merged weights (config.json with
 * safetensors or a PyTorch checkpoint). Undefined when it is none of these.
 */
export function exportKindOf(files: readonly string[], onnxFiles: readonly string[] = []): ExportKind | undefined {
  if (onnxFiles.some((f) => /^model.*\.onnx$/.test(f)) || files.some((f) => /^model.*\.onnx$/.test(f))) return 'onnx';
  if (files.includes('Modelfile')) return 'ollama';
  if (files.includes('config.json') && files.some((f) => /\.safetensors$|^pytorch_model.*\.bin$/.test(f))) return 'merged';
  return undefined;
}

/** A leading reasoning block (Qwen3 writes an empty one) is not part of the answer: the trainer's predict drops it too. */
export function withoutThought(answer: string): string {
  return answer.replace(/^\s*<think>[\s\S]*?<\/think>\s*/, '').trim();
}

export interface ParityVerdict {
  metric: Metric;
  exportScore: number;
  adapterScore: number;
  /** adapterScore − exportScore, rounded to 4 decimals as the scores are (positive: the export does worse). */
  drop: number;
  samples: number;
  flagged: boolean;
  threshold: number;
}

/** The verdict: flagged when the export scores lower than the adapter model by more than `threshold` points. */
export function parityVerdict(exportScore: number, adapterScore: number, samples: number, threshold: number, metric: Metric = PARITY_METRIC): ParityVerdict {
  const drop = Math.round((adapterScore - exportScore) * 1e4) / 1e4 + 0;
  return { metric, exportScore, adapterScore, drop, samples, flagged: drop > threshold, threshold };
}

/** A setting's number, or the default when it is not a finite number within [min, max] (a typo must not stop the gate). */
export function settingNumber(value: unknown, fallback: number, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return fallback;
  return integer ? Math.floor(value) : value;
}
