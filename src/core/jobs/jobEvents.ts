// How trainer events change a job's record, and how a byte stream of events is cut into whole lines.
// Pure: the JobRunner feeds it what the backend's events file grew by.
import type { JobRecord } from '../../shared/job';
import { parseEventLine, type TrainerEvent } from '../../shared/trainerEvents';

/** Splits new bytes into complete lines; the incomplete tail stays in the file for the next read. */
export function completeLines(chunk: Buffer): { lines: string[]; consumed: number } {
  const end = chunk.lastIndexOf(0x0a);
  if (end < 0) return { lines: [], consumed: 0 };
  const text = chunk.subarray(0, end + 1).toString('utf8');
  return { lines: text.split('\n').slice(0, -1), consumed: end + 1 };
}

export interface ParsedLines {
  events: TrainerEvent[];
  /** Lines that look like events but do not match the protocol, with the reason. */
  problems: { line: string; problem: string }[];
}

export function parseLines(lines: readonly string[]): ParsedLines {
  const out: ParsedLines = { events: [], problems: [] };
  for (const line of lines) {
    const parsed = parseEventLine(line);
    if (!parsed) continue;
    if ('event' in parsed) out.events.push(parsed.event);
    else out.problems.push({ line: line.slice(0, 200), problem: parsed.problem });
  }
  return out;
}

const SECONDS_PER_STEP_SMOOTHING = 0.3;

/** The record after one event. Terminal events set the status; the process's exit is handled by the caller. */
export function applyEvent(record: JobRecord, event: TrainerEvent, lastStepTime?: { step: number; time: number }): JobRecord {
  switch (event.type) {
    case 'start':
      return {
        ...record,
        status: record.status === 'queued' ? 'running' : record.status,
        progress: event.total_steps > 0 ? { step: record.progress?.step ?? 0, totalSteps: event.total_steps } : record.progress,
      };
    case 'step': {
      let secondsPerStep = record.progress?.secondsPerStep;
      if (lastStepTime && event.step > lastStepTime.step && event.time >= lastStepTime.time) {
        const sample = (event.time - lastStepTime.time) / (event.step - lastStepTime.step);
        secondsPerStep = secondsPerStep === undefined ? sample : secondsPerStep + SECONDS_PER_STEP_SMOOTHING * (sample - secondsPerStep);
      }
      const totalSteps = event.total_steps > 0 ? event.total_steps : record.progress?.totalSteps;
      return {
        ...record,
        progress: totalSteps ? { step: event.step, totalSteps, ...(secondsPerStep !== undefined ? { secondsPerStep } : {}) } : record.progress,
        latestLoss: event.loss,
      };
    }
    case 'checkpoint':
      return withCheckpoint(record, { step: event.step, path: event.path });
    case 'done':
      return {
        ...(event.checkpoint ? withCheckpoint(record, { step: stepOf(record, event.checkpoint), path: event.checkpoint }) : record),
        status: event.status,
        artifacts: { ...record.artifacts, ...event.artifacts },
        ...(event.stop_reason ? { stopReason: event.stop_reason } : {}),
        ...(event.status === 'succeeded' && record.progress ? { progress: { ...record.progress, step: record.progress.totalSteps } } : {}),
      };
    case 'error':
      return { ...record, status: 'failed', error: event.message, errorKind: event.kind, ...(event.fix ? { errorFix: event.fix } : {}) };
    default:
      return record;
  }
}

function withCheckpoint(record: JobRecord, checkpoint: { step: number; path: string }): JobRecord {
  return { ...record, checkpoints: [...(record.checkpoints ?? []).filter((c) => c.path !== checkpoint.path), checkpoint] };
}

/** The step of a checkpoint the done event names: from its checkpoint event, else its folder name, else the progress. */
function stepOf(record: JobRecord, checkpoint: string): number {
  const known = record.checkpoints?.find((c) => c.path === checkpoint);
  if (known) return known.step;
  const named = /checkpoint-(\d+)\/?$/.exec(checkpoint);
  return named ? Number(named[1]) : (record.progress?.step ?? 0);
}

/** Seconds left, from the recent pace; undefined before two steps were seen. */
export function etaSeconds(record: JobRecord): number | undefined {
  const p = record.progress;
  if (!p || p.secondsPerStep === undefined || record.status !== 'running') return undefined;
  return Math.max(0, (p.totalSteps - p.step) * p.secondsPerStep);
}

/** "1 h 05 min", "3 min", "40 s"; in Chinese "1 小时 05 分钟", "3 分钟", "40 秒". */
export function formatDuration(seconds: number, locale: 'en' | 'zh-cn' = 'en'): string {
  const [sec, min, hour] = locale === 'zh-cn' ? ['秒', '分钟', '小时'] : ['s', 'min', 'h'];
  const s = Math.round(seconds);
  if (s < 60) return `${s} ${sec}`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} ${min}`;
  return `${Math.floor(m / 60)} ${hour} ${String(m % 60).padStart(2, '0')} ${min}`;
}
