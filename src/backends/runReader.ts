// The one loop that follows a run's events, for training jobs (the jobs feature's follower) and one-off tasks
// (predict, export) alike: what the events file grew by, in whole lines, and once the process has ended everything
// written before the end; a run folder deleted under a running job is said as such.
import { RunFolderGone, type Backend, type RunState } from './backend';
import type { RunHandle } from '../shared/job';
import { completeLines, parseLines, type ParsedLines } from '../core/jobs/jobEvents';

export type RunPoll =
  /** New whole lines: the bytes (to copy as they are) and the events in them. */
  | ({ kind: 'events'; bytes: Buffer } & ParsedLines)
  /** Still running, nothing new. */
  | { kind: 'idle' }
  /** The process ended; what it wrote before the end is in these bytes and events (possibly none). */
  | ({ kind: 'ended'; state: Exclude<RunState, { state: 'running' }>; bytes: Buffer } & ParsedLines)
  /** The run folder is gone while the run was not known to have ended. */
  | { kind: 'gone' };

export class RunReader {
  /** `offset`: how much of the events file was already taken (a follower resumes from its copy's size). */
  constructor(private readonly backend: Backend, private readonly handle: RunHandle, public offset = 0) {}

  async poll(): Promise<RunPoll> {
    let first;
    try {
      first = await this.read();
    } catch (err) {
      if (err instanceof RunFolderGone) return { kind: 'gone' };
      throw err;
    }
    if (first.bytes.length > 0) return { kind: 'events', ...first };
    const state = await this.backend.status(this.handle);
    if (state.state === 'running') return { kind: 'idle' };
    // Drain what was written just before the exit.
    const chunks: Buffer[] = [];
    const drained: ParsedLines = { events: [], problems: [] };
    for (;;) {
      const next = await this.read().catch(() => undefined);
      if (!next || next.bytes.length === 0) break;
      chunks.push(next.bytes);
      drained.events.push(...next.events);
      drained.problems.push(...next.problems);
    }
    return { kind: 'ended', state, bytes: Buffer.concat(chunks), ...drained };
  }

  private async read(): Promise<ParsedLines & { bytes: Buffer }> {
    const chunk = await this.backend.readEvents(this.handle, this.offset);
    const { lines, consumed } = completeLines(chunk);
    this.offset += consumed;
    return { bytes: chunk.subarray(0, consumed), ...parseLines(lines) };
  }
}
