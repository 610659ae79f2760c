// The trainer's event protocol: one JSON object a line, written by the Python trainer to
// `<run folder>/events.jsonl` and to stdout, appended by the extension to `.finetune/jobs/<id>/events.jsonl`.
// Python twin: trainer/finetune_trainer/events.py (it names this file). Both sides are checked against the same
// examples in test/fixtures/trainer/events.jsonl (test/unit/trainerProtocol.test.ts and trainer/tests/test_events.py).
// Readers accept unknown fields (newer trainers may add some) but never unknown event types.
import * as z from 'zod';

const num = z.number().finite();
const base = { time: num.describe('seconds since the epoch, as Python time.time()') };

export const StartEvent = z.looseObject({
  type: z.literal('start'),
  ...base,
  config: z.record(z.string(), z.unknown()),
  world_size: z.number().int().positive(),
  devices: z.array(z.string()),
  total_steps: z.number().int().nonnegative(),
  dataset: z.looseObject({
    train_samples: z.number().int().nonnegative(),
    eval_samples: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
    truncated: z.number().int().nonnegative(),
    train_tokens: z.number().int().nonnegative(),
  }),
  resumed_from: z.string().optional(),
});

export const StepEvent = z.looseObject({
  type: z.literal('step'),
  ...base,
  step: z.number().int().nonnegative(),
  total_steps: z.number().int().nonnegative(),
  epoch: num,
  loss: num,
  learning_rate: num,
  grad_norm: num.optional(),
  tokens_per_second: num.optional(),
  memory_gb: num.optional(),
});

export const EvalEvent = z.looseObject({
  type: z.literal('eval'),
  ...base,
  step: z.number().int().nonnegative(),
  epoch: num.optional(),
  eval_loss: num,
});

export const CheckpointEvent = z.looseObject({
  type: z.literal('checkpoint'),
  ...base,
  step: z.number().int().nonnegative(),
  path: z.string().min(1),
});

export const PredictEvent = z.looseObject({
  type: z.literal('predict'),
  ...base,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

export const MetricsEvent = z.looseObject({
  type: z.literal('metrics'),
  ...base,
  split: z.enum(['train', 'eval', 'predict']),
  values: z.record(z.string(), num),
});

/**
 * Why a run stopped early: time_limit (SIGUSR1, a scheduler's warning before the time limit or a preemption; the
 * trainer saved a checkpoint), terminated (SIGTERM: cancel, or a requeue), interrupted (Ctrl+C).
 */
export const StopReason = z.enum(['time_limit', 'terminated', 'interrupted']);
export type StopReason = z.infer<typeof StopReason>;

export const DoneEvent = z.looseObject({
  type: z.literal('done'),
  ...base,
  status: z.enum(['succeeded', 'cancelled']),
  metrics: z.record(z.string(), num).optional(),
  artifacts: z.record(z.string(), z.string()).describe('what was written: output_dir, adapter, model, predictions, …'),
  stop_reason: StopReason.optional().describe('why a cancelled run stopped: the signal it got'),
  checkpoint: z.string().min(1).optional().describe('the checkpoint saved on the way out, to resume from'),
});

export const ErrorKind = z.enum(['oom', 'missing_package', 'no_gpu', 'model_not_found', 'dataset', 'config', 'other']);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const ErrorEvent = z.looseObject({
  type: z.literal('error'),
  ...base,
  kind: ErrorKind,
  message: z.string().min(1),
  fix: z.string().optional().describe('what the user can do about it'),
  traceback: z.string().optional().describe('the last lines of the Python traceback'),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});

export const TrainerEvent = z.discriminatedUnion('type', [
  StartEvent,
  StepEvent,
  EvalEvent,
  CheckpointEvent,
  PredictEvent,
  MetricsEvent,
  DoneEvent,
  ErrorEvent,
]);
export type TrainerEvent = z.infer<typeof TrainerEvent>;
export type TrainerEventType = TrainerEvent['type'];

/** Parses one line of events output. Lines that are not events (plain log output on stdout) give `undefined`. */
export function parseEventLine(line: string): { event: TrainerEvent } | { problem: string } | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || !('type' in json)) return undefined;
  const parsed = TrainerEvent.safeParse(json);
  if (parsed.success) return { event: parsed.data };
  const first = parsed.error.issues[0];
  return { problem: `${first?.path.join('.') || '(root)'}: ${first?.message}` };
}
