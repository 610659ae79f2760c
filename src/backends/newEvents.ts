import type { Backend } from './backend';
import type { RunHandle } from '../shared/job';
import { completeLines, parseLines, type ParsedLines } from '../core/jobs/jobEvents';

/**
 * What a run's events file grew by since `offset`, in whole lines: the bytes (to copy as they are; their length is
 * how far the offset moves) and the events in them. Nothing when no whole line was added.
 */
export async function readNewEvents(backend: Backend, handle: RunHandle, offset: number): Promise<ParsedLines & { bytes: Buffer }> {
  const chunk = await backend.readEvents(handle, offset);
  const { lines, consumed } = completeLines(chunk);
  return { bytes: chunk.subarray(0, consumed), ...parseLines(lines) };
}
