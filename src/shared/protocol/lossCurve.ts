// Messages between the extension host (src/features/curves/lossCurvePanel.ts) and its webview
// (webview/lossCurve/main.ts). Both sides validate what they receive against these schemas.
import * as z from 'zod';

/** A loss is null where the log says NaN or ±Infinity (JSON and zod have no NaN); the chart leaves a gap. */
const loss = z.number().nullable();
const step = z.number();

export const CurvePoint = z.object({ step, epoch: z.number().optional(), loss });
export type CurvePoint = z.infer<typeof CurvePoint>;
export interface LearningRatePoint { step: number; value: number }

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/**
 * A list of points, checked with a plain loop: zod's per-element checks cost about a microsecond a point, and a
 * long run has 200,000 of them. Same rules as the schemas above (finite numbers; a loss may be null).
 */
function points<T>(what: string, ok: (p: Record<string, unknown>) => boolean) {
  return z.custom<T[]>(
    (v) => Array.isArray(v) && v.every((p: unknown) => typeof p === 'object' && p !== null && ok(p as Record<string, unknown>)),
    { message: `expected a list of ${what}` },
  );
}
const curvePoints = () => points<CurvePoint>('{step, epoch?, loss} points', (p) =>
  finite(p['step']) && (p['epoch'] === undefined || finite(p['epoch'])) && (p['loss'] === null || finite(p['loss'])));

export const LossRun = z.object({
  /** The log's path relative to the workspace (or absolute outside it). */
  fileName: z.string(),
  source: z.enum(['hf-trainer-state', 'llamafactory-log', 'events']),
  train: curvePoints(),
  eval: curvePoints(),
  learningRate: points<LearningRatePoint>('{step, value} points', (p) => finite(p['step']) && finite(p['value'])),
  checkpoints: z.array(z.object({ step, path: z.string().optional() })),
  totalSteps: z.number().optional(),
  verdict: z.enum(['converged', 'converged_early', 'overfitting', 'not_converged', 'still_improving', 'diverged', 'insufficient_data']),
  reason: z.string(),
  advice: z.string(),
  bestStep: z.number().optional(),
  /** The evidence in the user's language, one line each. */
  evidence: z.array(z.string()),
  /** Lines of a JSONL log that could not be read. */
  skippedLines: z.number().int().nonnegative(),
  /**
   * Set when `train` / `learningRate` hold a decimated overview (a long run: the lowest and highest point of each of
   * ~2,000 step ranges): how many points the run has. A zoomed range's points come as a `detail` message.
   */
  fullPoints: z.object({ train: z.number().int().nonnegative(), learningRate: z.number().int().nonnegative() }).optional(),
  /** A resumed run (its log's steps went back): every attempt's first and last step, in order. */
  attempts: z.array(z.object({ start: step, end: step })).optional(),
  /** Per earlier attempt, its train points that a later attempt replaced (drawn faint; not judged). */
  superseded: z.array(curvePoints()).optional(),
});
export type LossRun = z.infer<typeof LossRun>;

/** A zoomed x range of a decimated run at full resolution (decimated again only past what the chart can draw). */
export const RunDetail = z.object({
  /** The steps it covers (the page draws its overview outside them). */
  from: step,
  to: step,
  train: curvePoints(),
  learningRate: points<LearningRatePoint>('{step, value} points', (p) => finite(p['step']) && finite(p['value'])),
  superseded: z.array(curvePoints()).optional(),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** The x range the page shows (by step or by epoch), or null when it shows everything. */
export const ZoomRange = z.object({ min: z.number(), max: z.number(), byEpoch: z.boolean() }).refine((r) => r.max > r.min, 'an empty range').nullable();
export type ZoomRange = z.infer<typeof ZoomRange>;

/** What is new in a run that grew (never a decimated or resumed one): its four lists hold only the new points. */
export const RunTail = LossRun.omit({ fileName: true, source: true });
export type RunTail = z.infer<typeof RunTail>;

/** One run of the panel: a log file, its label in the legend and its colour (an index into the chart palette). */
const RunKey = { id: z.string(), label: z.string(), colour: z.number().int().nonnegative() };

/** Host → webview. */
export const LossCurveHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('strings'), strings: z.record(z.string(), z.string()) }),
  /** A run's curves (new, or re-read after its file changed). */
  z.object({ type: z.literal('run'), ...RunKey, run: LossRun }),
  /** A run whose file cannot be read as a training log, or does not exist yet (`waiting`: a job not started). */
  z.object({ type: z.literal('error'), ...RunKey, message: z.string(), waiting: z.boolean() }),
  /** A run's log grew: the points after those already sent, and the new diagnosis (live jobs send this often). */
  z.object({ type: z.literal('append'), id: z.string(), tail: RunTail }),
  z.object({ type: z.literal('removed'), id: z.string() }),
  /** The zoomed range of a decimated run at full resolution (an answer to `zoom`, and again when the run grows). */
  z.object({ type: z.literal('detail'), id: z.string(), detail: RunDetail }),
  /** A request: the page answers with the chart as a PNG (PngReply). */
  z.object({ type: z.literal('renderPng') }),
]);
export type LossCurveHostMessage = z.infer<typeof LossCurveHostMessage>;

/** The chart as a PNG, base64 (at most about 30 MB of image). */
export const PngReply = z.string().min(8).max(40_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64');

/** Webview → host. */
export const LossCurveWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('exportCsv') }),
  z.object({ type: z.literal('exportPng') }),
  z.object({ type: z.literal('addRun') }),
  z.object({ type: z.literal('removeRun'), id: z.string() }),
  /** The user zoomed (or reset: null): decimated runs get the range's points as `detail` messages. */
  z.object({ type: z.literal('zoom'), range: ZoomRange }),
]);
export type LossCurveWebviewMessage = z.infer<typeof LossCurveWebviewMessage>;

export const lossCurveStringKeys = [
  'title', 'verdict', 'reason', 'advice', 'bestStep', 'evidence', 'skipped', 'exportCsv', 'exportPng', 'smoothing',
  'xAxis', 'xByStep', 'xByEpoch', 'step', 'epoch', 'loss', 'learningRate', 'trainRaw', 'trainSmoothed', 'evalLoss',
  'checkpoints', 'points', 'attemptFrom', 'attemptStart', 'superseded', 'addRun', 'removeRun', 'resetZoom', 'zoomHint', 'legend', 'rightAxis',
  'converged', 'converged_early', 'overfitting', 'not_converged', 'still_improving', 'diverged', 'insufficient_data',
  'source.hf-trainer-state', 'source.llamafactory-log', 'source.events',
] as const;

type Lists = Pick<LossRun, 'train' | 'eval' | 'learningRate' | 'checkpoints'>;
const LISTS = ['train', 'eval', 'learningRate', 'checkpoints'] as const;
const samePoint = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What `next` adds to `sent` when the log only grew (every list of `sent` is a prefix of `next`'s, checked at its
 * first and last points), or undefined when it changed otherwise (rewritten, truncated, another file): then send it whole.
 */
export function runTail(sent: LossRun, next: LossRun): RunTail | undefined {
  if (sent.fileName !== next.fileName || sent.source !== next.source) return undefined;
  // A decimated overview or a resumed run's attempts are not a prefix of what comes next: sent whole.
  if (sent.fullPoints || next.fullPoints || sent.attempts || next.attempts) return undefined;
  for (const key of LISTS) {
    const before: readonly unknown[] = sent[key];
    const after: readonly unknown[] = next[key];
    if (after.length < before.length) return undefined;
    if (before.length > 0 && !(samePoint(before[0], after[0]) && samePoint(before[before.length - 1], after[before.length - 1]))) return undefined;
  }
  const { fileName: _f, source: _s, ...rest } = next;
  const lists = Object.fromEntries(LISTS.map((key) => [key, next[key].slice(sent[key].length)])) as Lists;
  return { ...rest, ...lists };
}

/** Applies a tail to the run it was computed against (in place; long tails without spreading into arguments). */
export function appendTail(run: LossRun, tail: RunTail): void {
  for (const key of LISTS) {
    const list = run[key] as unknown[];
    for (const p of tail[key]) list.push(p);
  }
  const { train: _t, eval: _e, learningRate: _l, checkpoints: _c, ...diagnosis } = tail;
  for (const key of ['bestStep', 'totalSteps', 'fullPoints', 'attempts', 'superseded'] as const) delete run[key];
  Object.assign(run, diagnosis);
}
