// The JSONL training logs (LLaMA-Factory trainer_log.jsonl, our events.jsonl) read a piece at a time: text is fed as
// it is appended to the file and only the new lines are parsed; `curves()` gives the run so far. A line without its
// newline yet is held until the rest comes (`end()` reads it as the last line of a finished file). Line numbers
// are 1-based over everything fed. Bad lines are skipped and counted (see importers.ts); never throws on bad input.
import { newAttempt, mergeAttempts, type AttemptPoints } from './attempts';
import type { CurveSource, LearningRatePoint, LossPoint, RunCurves } from './types';

export interface SkippedLine {
  line: number;
  reason: string;
}

type JsonlSource = Extract<CurveSource, 'llamafactory-log' | 'events'>;

/** A number, NaN and ±Infinity included; undefined for anything else (null, strings, missing). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A step: a finite, non-negative number. */
export function stepOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * A reinforcement-learning run's mean reward: a numeric `reward` (TRL's GRPO/PPO, LLaMA-Factory's PPO; LLaMA-Factory
 * writes `reward: null` otherwise), else the sum of TRL's per-function `rewards/<name>/mean`. DPO's `rewards/chosen`
 * and the like are not rewards of this kind (a DPO loss is a supervised-style loss).
 */
export function rewardOf(entry: Record<string, unknown>): number | undefined {
  let value = typeof entry.reward === 'number' ? entry.reward : undefined;
  if (value === undefined) {
    for (const key in entry) {
      const v = entry[key];
      if (typeof v === 'number' && key.startsWith('rewards/') && /^rewards\/[^/]+\/mean$/.test(key)) value = (value ?? 0) + v;
    }
  }
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Where a logged record's points go: a run's curves or one attempt's. */
interface LoggedPoints {
  train: LossPoint[];
  eval: LossPoint[];
  learningRate: LearningRatePoint[];
  reward?: LearningRatePoint[];
}

/**
 * The points of one logged record at `step` (an HF Trainer `log_history` entry, a LLaMA-Factory log line): loss,
 * eval loss, the learning rate `lr` (each format names it its own way) and an RL run's reward.
 */
export function pushLoggedPoints(into: LoggedPoints, step: number, record: Record<string, unknown>, lr: unknown): void {
  const epoch = num(record.epoch);
  const withEpoch = epoch !== undefined && Number.isFinite(epoch) ? { epoch } : {};
  const loss = num(record.loss);
  if (loss !== undefined) into.train.push({ step, ...withEpoch, loss });
  const evalLoss = num(record.eval_loss);
  if (evalLoss !== undefined) into.eval.push({ step, ...withEpoch, loss: evalLoss });
  const rate = num(lr);
  if (rate !== undefined && Number.isFinite(rate)) into.learningRate.push({ step, value: rate });
  const reward = rewardOf(record);
  if (reward !== undefined) (into.reward ??= []).push({ step, value: reward });
}

export class JsonlCurveReader {
  readonly skipped: SkippedLine[] = [];
  /** Lines of the expected kind (with current_steps; a step, eval or checkpoint event). */
  recognised = 0;
  private readonly attempts: AttemptPoints[] = [];
  private totalSteps: number | undefined;
  private line = 0;
  private pending = '';
  private started = false;

  constructor(readonly source: JsonlSource, private readonly parse: (line: string) => unknown) {}

  /** Reads the complete lines of `text` (appended to what came before); a last line without newline waits. */
  feed(text: string): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      text = text.replace(/^\uFEFF/, '');
    }
    let from = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && this.pending) {
      this.visit(this.pending + text.slice(0, nl));
      this.pending = '';
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    for (; nl >= 0; from = nl + 1, nl = text.indexOf('\n', from)) this.visit(text.slice(from, nl));
    this.pending += text.slice(from);
  }

  /** Reads a last line that has no newline (the end of a finished file). */
  end(): void {
    if (this.pending) this.visit(this.pending);
    this.pending = '';
  }

  /** The run so far: the latest attempt over the steps it covers (see attempts.ts). */
  curves(): RunCurves {
    const base = { source: this.source, ...(this.totalSteps !== undefined ? { totalSteps: this.totalSteps } : {}) };
    if (this.attempts.length === 0) return { ...base, train: [], eval: [], learningRate: [], checkpoints: [] };
    return mergeAttempts(base, this.attempts);
  }

  private visit(raw: string): void {
    const line = ++this.line;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = this.parse(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    } catch {
      this.skipped.push({ line, reason: 'not valid JSON' });
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.skipped.push({ line, reason: 'not a JSON object' });
      return;
    }
    if (this.source === 'llamafactory-log') this.llamaFactory(v as Record<string, unknown>, line);
    else this.event(v as Record<string, unknown>, line);
  }

  /** The attempt a step belongs to: the current one, or a new one when the step goes back. */
  private attemptAt(step: number): AttemptPoints {
    let a = this.attempts[this.attempts.length - 1];
    if (!a || step < a.end) this.attempts.push((a = newAttempt(step)));
    a.end = step;
    return a;
  }

  private llamaFactory(o: Record<string, unknown>, line: number): void {
    const step = stepOf(o.current_steps);
    if (step === undefined) {
      this.skipped.push({ line, reason: 'no current_steps' });
      return;
    }
    this.recognised++;
    const a = this.attemptAt(step);
    const total = stepOf(o.total_steps);
    if (total !== undefined && total > 0) this.totalSteps = total;
    pushLoggedPoints(a, step, o, o.learning_rate ?? o.lr);
  }

  private event(o: Record<string, unknown>, line: number): void {
    if (typeof o.type !== 'string') {
      this.skipped.push({ line, reason: 'no type' });
      return;
    }
    if (o.type !== 'step' && o.type !== 'eval' && o.type !== 'checkpoint') return;
    const step = stepOf(o.step);
    if (step === undefined) {
      this.skipped.push({ line, reason: `${o.type} event without a step` });
      return;
    }
    const a = this.attemptAt(step);
    const epoch = num(o.epoch);
    const withEpoch = epoch !== undefined && Number.isFinite(epoch) ? { epoch } : {};
    if (o.type === 'step') {
      const loss = num(o.loss);
      if (loss === undefined) {
        this.skipped.push({ line, reason: 'step event without a numeric loss' });
        return;
      }
      a.train.push({ step, ...withEpoch, loss });
      const lr = num(o.learning_rate);
      if (lr !== undefined && Number.isFinite(lr)) a.learningRate.push({ step, value: lr });
    } else if (o.type === 'eval') {
      const loss = num(o.eval_loss);
      if (loss === undefined) {
        this.skipped.push({ line, reason: 'eval event without a numeric eval_loss' });
        return;
      }
      a.eval.push({ step, ...withEpoch, loss });
    } else {
      a.checkpoints.push(typeof o.path === 'string' ? { step, path: o.path } : { step });
    }
    this.recognised++;
  }
}
