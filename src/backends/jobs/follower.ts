// Follows one running job: copies new lines of the backend's events file into the job's own events.jsonl
// (the copy's size is the offset to resume from after a reload), applies them to job.json, and settles the job
// when the process ends. One follower per job per machine: a heartbeat file keeps a second window (or a
// `finetune-studio job follow`) from copying too. The editor's JobRunner and the CLI both drive this one loop.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Backend } from '../backend';
import { RunReader, type RunPoll } from '../runReader';
import { EXIT_STOPPED } from '../runFiles';
import { applyEvent } from '../../core/jobs/jobEvents';
import { JOB_FILES, writeJob } from '../../core/jobs/jobStore';
import { appendNoFollow, pathExists, readRecordFile, removeNoFollow, writeFileAtomic } from '../../core/safeFiles';
import { FINISHED, type JobRecord, type RunHandle } from '../../shared/job';
import type { TrainerEvent } from '../../shared/trainerEvents';

const FOLLOWER_FILE = JOB_FILES.follower;
const HEARTBEAT_MS = 5_000;
const WRITE_EVERY_MS = 1_000;

export type FollowOutcome = 'settled' | 'job-folder-deleted';

export interface FollowerHooks {
  /** The record changed (written to job.json at most every second, and at once on a status change). */
  changed(record: JobRecord): void;
  /** Lines that look like events but break the protocol. */
  problem(message: string): void;
  /** The events just taken, in order (the CLI prints them). */
  events?(events: readonly TrainerEvent[]): void;
  /** Failure text for a process that ended without an error event: the last lines of its log. */
  logTail(lines: number): Promise<string>;
  /** Localised failure reasons. */
  reasons: { exitCode(code: number | null, tail: string): string; lost(reason: string): string; runFolderGone(dir: string): string };
}

export class JobFollower {
  private reader: RunReader | undefined;
  private lastStep: { step: number; time: number } | undefined;
  private lastWrite = 0;
  private dirty = false;
  private lastHeartbeat = 0;
  cancelRequested = false;
  private stopped = false;

  constructor(
    readonly dir: string,
    public record: JobRecord,
    private readonly handle: RunHandle,
    private readonly backend: Backend,
    private readonly hooks: FollowerHooks,
  ) {}

  /** True when another live window already follows this job. */
  static async followedElsewhere(dir: string): Promise<boolean> {
    try {
      const info = JSON.parse(await readRecordFile(path.join(dir, FOLLOWER_FILE), 4096)) as { pid: number; at: number };
      if (info.pid === process.pid) return false;
      return Date.now() - info.at < 3 * HEARTBEAT_MS && isAlive(info.pid);
    } catch {
      return false;
    }
  }

  /** One round: read what is new; when the process has ended, drain and settle. Returns the outcome once done. */
  async tick(): Promise<FollowOutcome | undefined> {
    if (this.stopped) return 'settled';
    if (!(await pathExists(this.dir))) {
      this.stopped = true;
      return 'job-folder-deleted';
    }
    await this.heartbeat();
    // The copy's size is how much of the run's events this job already has.
    this.reader ??= new RunReader(this.backend, this.handle, await sizeOf(path.join(this.dir, JOB_FILES.events)));
    const poll = await this.reader.poll();
    if (poll.kind === 'gone') {
      await this.backend.cancel(this.handle).catch(() => undefined);
      return this.settle({ status: 'failed', error: this.hooks.reasons.runFolderGone(this.handle.runDir) });
    }
    if (poll.kind === 'events' || poll.kind === 'ended') await this.take(poll);
    if (poll.kind === 'ended') {
      const { state } = poll;
      if (FINISHED.includes(this.record.status)) return this.settle({});
      if (this.cancelRequested) return this.settle({ status: 'cancelled' });
      if (state.state === 'exited' && state.code === 0) return this.settle({ status: 'succeeded' });
      // Stopped on a scheduler's warning with a checkpoint, though its done event never came: stopped, not failed.
      if (state.state === 'exited' && state.code === EXIT_STOPPED) return this.settle({ status: 'cancelled', stopReason: this.record.stopReason ?? 'time_limit' });
      const error =
        state.state === 'exited'
          ? this.hooks.reasons.exitCode(state.code, await this.hooks.logTail(5))
          : this.hooks.reasons.lost(state.reason);
      return this.settle({ status: 'failed', error });
    }
    await this.flush(false);
    return undefined;
  }

  /** Copies new lines into the job's events and applies their events to its record. */
  private async take({ bytes, events, problems }: Extract<RunPoll, { kind: 'events' | 'ended' }>): Promise<void> {
    if (bytes.length === 0) return;
    await appendNoFollow(path.join(this.dir, JOB_FILES.events), bytes);
    for (const p of problems) this.hooks.problem(`${p.problem}: ${p.line}`);
    if (events.length > 0) this.hooks.events?.(events);
    for (const event of events) {
      const before = this.record.status;
      this.record = applyEvent(this.record, event, this.lastStep);
      if (event.type === 'step') this.lastStep = { step: event.step, time: event.time };
      this.dirty = true;
      if (this.record.status !== before) await this.flush(true);
    }
  }

  private async settle(change: Partial<JobRecord>): Promise<FollowOutcome> {
    const { run: _run, ...rest } = this.record;
    this.record = { ...rest, ...change, run: this.handle, endedAt: new Date().toISOString() };
    if (this.record.status === 'cancelled' && !change.error) delete this.record.error;
    this.dirty = true;
    await this.flush(true);
    await removeNoFollow(path.join(this.dir, FOLLOWER_FILE));
    this.stopped = true;
    return 'settled';
  }

  private async flush(force: boolean): Promise<void> {
    if (!this.dirty || (!force && Date.now() - this.lastWrite < WRITE_EVERY_MS)) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    await writeJob(this.dir, this.record);
    this.hooks.changed(this.record);
  }

  /** Stops following without settling (the job goes on): the next follower resumes from the copy's size. */
  async detach(): Promise<void> {
    this.stopped = true;
    await this.flush(true);
    await removeNoFollow(path.join(this.dir, FOLLOWER_FILE));
  }

  private async heartbeat(): Promise<void> {
    if (Date.now() - this.lastHeartbeat < HEARTBEAT_MS) return;
    this.lastHeartbeat = Date.now();
    await writeFileAtomic(path.join(this.dir, FOLLOWER_FILE), JSON.stringify({ pid: process.pid, at: Date.now() }));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.lstat(file)).size;
  } catch {
    return 0;
  }
}
