// The registry record of a finished export (Export Model…), built from what the trainer's `done` event said:
// where the model is, the ONNX check's figures (the trainer ends with an error instead when the check fails,
// so a recorded check has passed), and for Ollama the command that imports it.
import type { ExportFormatName, ExportRecord, ModelLocation } from '../../shared/modelRegistry';

export interface ExportOutcome {
  id: string;
  name: string;
  createdAt: string;
  format: ExportFormatName;
  location: ModelLocation;
  jobId: string;
  checkpointStep?: number;
  datasetSha256?: string;
  /** The trainer's done metrics and artifacts. */
  metrics: Readonly<Record<string, number>>;
  artifacts: Readonly<Record<string, string>>;
}

export function exportRecordOf(o: ExportOutcome): ExportRecord {
  const m = o.metrics;
  const hasCheck = o.format.startsWith('onnx') && m['max_abs_logits_diff'] !== undefined;
  const count = (v: number | undefined) => (v !== undefined && Number.isInteger(v) && v >= 0 ? v : undefined);
  const tokensEqual = count(m['tokens_equal']);
  const prompts = count(m['prompts']);
  return {
    id: o.id, kind: 'export', name: o.name, createdAt: o.createdAt, format: o.format, location: o.location,
    source: {
      jobId: o.jobId,
      ...(o.checkpointStep !== undefined ? { checkpointStep: o.checkpointStep } : {}),
      ...(o.datasetSha256 && /^[0-9a-f]{64}$/.test(o.datasetSha256) ? { datasetSha256: o.datasetSha256 } : {}),
    },
    ...(hasCheck ? {
      check: {
        passed: true,
        maxAbsLogitsDiff: m['max_abs_logits_diff'],
        ...(m['tolerance'] !== undefined ? { tolerance: m['tolerance'] } : {}),
        ...(tokensEqual !== undefined ? { tokensEqual } : {}),
        ...(prompts !== undefined ? { prompts } : {}),
      },
    } : {}),
    ...(o.format === 'ollama' && o.artifacts['command'] ? { command: o.artifacts['command'] } : {}),
  };
}
