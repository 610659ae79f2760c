// Following a job from a terminal: the same JobFollower loop as the editor's (src/backends/jobs/follower.ts), ticked
// until the job settles, its events printed as they come. Ctrl+C detaches: the job goes on, and `job follow <id>`
// re-attaches from the offset the job's events.jsonl has reached (nothing lost, nothing repeated).
import type { Backend } from '../../backends/backend';
import { JobFollower } from '../../backends/jobs/follower';
import { EXIT_STOPPED } from '../../backends/runFiles';
import { stoppedWithCheckpoint } from '../../core/jobs/stopped';
import type { Locale } from '../../core/dataset/types';
import { UnsafePath } from '../../core/safeFiles';
import type { JobRecord, RunHandle } from '../../shared/job';
import type { TrainerEvent } from '../../shared/trainerEvents';
import type { CliIo } from '../io';
import { jobCliMessage } from './messages';

/** Exit statuses of `job start --follow` and `job follow`. */
export const EXIT = { succeeded: 0, failed: 1, stoppedWithCheckpoint: EXIT_STOPPED, detached: 130 } as const;

const TICK_MS = 500;

export interface FollowContext {
  io: CliIo;
  locale: Locale;
  /** Calls `handler` on Ctrl+C (SIGINT) until the returned function is called. */
  onInterrupt: (handler: () => void) => () => void;
  tickMs?: number;
}

/** Follows the job until it settles (its exit status) or Ctrl+C detaches (EXIT.detached). */
export async function followJob(
  ctx: FollowContext,
  dir: string,
  record: JobRecord,
  handle: RunHandle,
  backend: Backend,
  options: { cancelRequested?: boolean } = {},
): Promise<number> {
  const { io, locale } = ctx;
  const say = (key: Parameters<typeof jobCliMessage>[1], params: Record<string, string | number> = {}) => jobCliMessage(locale, key, params);
  const follower = new JobFollower(dir, record, handle, backend, {
    changed: () => undefined,
    problem: (message) => io.stderr(`${say('follow.problem', { message })}\n`),
    events: (events) => {
      for (const event of events) {
        const line = eventLine(event, locale);
        if (line) io.stdout(`${line}\n`);
      }
    },
    logTail: (lines) => backend.logTail(handle, lines),
    reasons: {
      exitCode: (code, tail) => say('end.exitCode', { code: String(code ?? '?') }) + (tail ? `\n${tail}` : ''),
      lost: (reason) => say('end.lost', { reason }),
      runFolderGone: (runDir) => say('end.runFolderGone', { runDir }),
    },
  });
  follower.cancelRequested = options.cancelRequested ?? false;

  let interrupted = false;
  let wake: (() => void) | undefined;
  const stopListening = ctx.onInterrupt(() => {
    interrupted = true;
    wake?.();
  });
  try {
    let lastError = '';
    for (;;) {
      let outcome;
      try {
        outcome = await follower.tick();
      } catch (err) {
        // A link planted while following: stop writing there at once. Anything else (a connection that keeps
        // failing): said once, and tried again, as the editor does; Ctrl+C detaches.
        if (err instanceof UnsafePath) {
          io.stderr(`${say('job.unsafe', { id: record.id, problem: err.message })}\n`);
          return EXIT.failed;
        }
        const message = (err as Error).message;
        if (message !== lastError) io.stderr(`${say('follow.error', { message })}\n`);
        lastError = message;
      }
      if (outcome === 'job-folder-deleted') {
        await backend.cancel(handle).catch(() => undefined);
        io.stderr(`${say('end.folderDeleted', { id: record.id })}\n`);
        return EXIT.failed;
      }
      if (outcome === 'settled') return ended(io, locale, follower.record);
      if (interrupted) {
        await follower.detach();
        io.stderr(`${say('follow.detached', { id: record.id })}\n`);
        return EXIT.detached;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ctx.tickMs ?? TICK_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    stopListening();
  }
}

/** The exit status a settled job gives: a run stopped on a signal with a checkpoint saved is not a failure. */
export function exitStatus(record: JobRecord): number {
  if (record.status === 'succeeded') return EXIT.succeeded;
  if (stoppedWithCheckpoint(record)) return EXIT.stoppedWithCheckpoint;
  return EXIT.failed;
}

/** Says how the job ended; returns its exit status. */
function ended(io: CliIo, locale: Locale, record: JobRecord): number {
  const code = exitStatus(record);
  const say = (key: Parameters<typeof jobCliMessage>[1], params: Record<string, string | number> = {}) => jobCliMessage(locale, key, params);
  if (code === EXIT.succeeded) io.stdout(`${say('end.succeeded', { id: record.id, output: record.artifacts?.['output_dir'] ?? '' })}\n`);
  else if (code === EXIT.stoppedWithCheckpoint) {
    const checkpoint = record.checkpoints![record.checkpoints!.length - 1]!.path;
    io.stdout(`${say('end.stopped', { id: record.id, reason: record.stopReason!, checkpoint })}\n`);
  } else if (record.status === 'cancelled') io.stdout(`${say('end.cancelled', { id: record.id })}\n`);
  else {
    // One line at a time: each is passed through the catalogue, which escapes control characters (a trainer's text
    // never drives the terminal), and a multi-line reason (the log's tail) stays readable.
    const [first = '', ...rest] = (record.error ?? '').split('\n');
    const lines = [say('end.failed', { id: record.id, error: first }), ...[...rest, ...(record.errorFix ? [record.errorFix] : [])].map((line) => say('end.detail', { line }))];
    io.stderr(lines.join('\n') + '\n');
  }
  return code;
}

/** One line for an event worth printing (start, steps, evaluations, checkpoints, errors). */
export function eventLine(event: TrainerEvent, locale: Locale): string | undefined {
  const say = (key: Parameters<typeof jobCliMessage>[1], params: Record<string, string | number>) => jobCliMessage(locale, key, params);
  switch (event.type) {
    case 'start':
      return say('event.start', { samples: event.dataset.train_samples, steps: event.total_steps, devices: event.devices.join(', ') || 'cpu' });
    case 'step':
      return say('event.step', { step: event.step, total: event.total_steps, loss: event.loss.toFixed(4), lr: event.learning_rate.toExponential(2) });
    case 'eval':
      return say('event.eval', { step: event.step, loss: event.eval_loss.toFixed(4) });
    case 'checkpoint':
      return say('event.checkpoint', { step: event.step, path: event.path });
    case 'error':
      return say('event.error', { kind: event.kind, message: event.message });
    default:
      return undefined;
  }
}
