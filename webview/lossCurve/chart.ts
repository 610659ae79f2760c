// The Chart.js chart of the loss-curve panel: per run, five datasets in the run's colour (train loss raw and
// smoothed, eval loss, learning rate on the right axis, checkpoints). Long runs stay fast: numeric {x, y} data,
// parsing off, and the decimation plugin (LTTB, over the visible x range) on the line datasets.
import {
  Chart, Decimation, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
  type ChartDataset, type Plugin,
} from 'chart.js';
import { themeColor } from '../common/theme';
import { lonePoint, pointValues, singleValueRange, type Pt, type Series } from './series';

Chart.register(LineController, LineElement, PointElement, ScatterController, LinearScale, Tooltip, Decimation);

export type LossChart = Chart<'line', Pt[]>;
export interface Shown { raw: boolean; eval: boolean; lr: boolean; checkpoints: boolean }
export interface ChartRun { id: string; label: string; colour: number; series: Series }
export interface ChartLabels {
  raw: string; smoothed: string; eval: string; lr: string; checkpoints: string; x: string; loss: string;
  /** A resumed run: its earlier attempts where replaced; where each later attempt starts (number, step). */
  superseded: string; attemptFrom: (attempt: number, step: number) => string;
}
/** The words a point's tooltip says instead of its dataset's label and value (an attempt's start). */
type WithPointText = { pointText?: string[] };

const PALETTE = [
  ['--vscode-charts-blue', '#3794ff'], ['--vscode-charts-orange', '#d18616'], ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'], ['--vscode-charts-red', '#f14c4c'], ['--vscode-charts-yellow', '#cca700'],
] as const;

/** The colour of a run's palette index, from the theme. */
export function runColour(index: number): string {
  const [name, fallback] = PALETTE[index % PALETTE.length]!;
  return themeColor(name, fallback);
}

/** The chart's datasets of each run, kept between updates so Chart.js reuses their controllers. */
const datasetsOf = new WeakMap<LossChart, Map<string, ChartDataset<'line', Pt[]>[]>>();

/** Draws the drag-to-zoom selection, if any (set by zoom.ts). */
export const selectionPlugin: Plugin<'line'> = {
  id: 'lossSelection',
  afterDraw(chart) {
    const sel = (chart as unknown as { $selection?: { from: number; to: number } }).$selection;
    if (!sel) return;
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = themeColor('--vscode-editor-selectionBackground', 'rgba(38,79,120,0.4)');
    ctx.globalAlpha = 0.5;
    ctx.fillRect(Math.min(sel.from, sel.to), top, Math.abs(sel.to - sel.from), bottom - top);
    ctx.restore();
  },
};

/** Mirrors the x range shown on the canvas (data-x-min, data-x-max): tests and tools read it from the DOM. */
const rangeAttributesPlugin: Plugin<'line'> = {
  id: 'lossRangeAttributes',
  afterUpdate(chart) {
    const x = chart.scales['x'];
    if (!x) return;
    chart.canvas.dataset['xMin'] = String(x.min);
    chart.canvas.dataset['xMax'] = String(x.max);
  },
};

export function createLossChart(canvas: HTMLCanvasElement, options: { decimation?: boolean } = {}): LossChart {
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.3)');
  const chart = new Chart<'line', Pt[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    plugins: [selectionPlugin, rangeAttributesPlugin],
    options: {
      // The decimation plugin only runs when parsing is off for the whole chart (not just per dataset).
      parsing: false,
      normalized: true,
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        decimation: { enabled: options.decimation !== false, algorithm: 'lttb', samples: 1000, threshold: 2000 },
        tooltip: {
          enabled: true,
          // Learning rates are small (2e-4): the default formatting shows them as 0.
          callbacks: {
            label: (item) => (item.dataset as WithPointText).pointText?.[item.dataIndex]
              ?? `${item.dataset.label ?? ''}: ${item.dataset.yAxisID === 'y1' ? Number(item.parsed.y).toExponential(2) : Number(item.parsed.y).toPrecision(4)}`,
          },
        },
      },
      scales: {
        x: { type: 'linear', bounds: 'data', title: { display: true, text: '', color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y: { type: 'linear', position: 'left', title: { display: true, text: '', color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y1: {
          // A learning rate is never negative: a rate of 0 (the first warmup step) must not draw an axis below 0.
          type: 'linear', position: 'right', min: 0, title: { display: true, text: '', color: fg },
          ticks: { color: fg, callback: (v) => Number(v).toExponential(1) }, grid: { drawOnChartArea: false },
        },
      },
    },
  });
  datasetsOf.set(chart, new Map());
  return chart;
}

function runDatasets(run: ChartRun, labels: ChartLabels): ChartDataset<'line', Pt[]>[] {
  const colour = runColour(run.colour);
  const line = { parsing: false as const, normalized: true, pointRadius: 0, spanGaps: false, borderColor: colour, backgroundColor: colour };
  const name = (what: string) => `${run.label} · ${what}`;
  return [
    { ...line, label: name(labels.raw), data: [], borderWidth: 1, yAxisID: 'y', order: 4, borderColor: withAlpha(colour, 0.4) },
    { ...line, label: name(labels.smoothed), data: [], borderWidth: 2.5, yAxisID: 'y', order: 2 },
    { ...line, label: name(labels.eval), data: [], borderWidth: 2, borderDash: [6, 3], pointRadius: 3, yAxisID: 'y', order: 1 },
    { ...line, label: name(labels.lr), data: [], borderWidth: 1, borderDash: [2, 3], yAxisID: 'y1', order: 5 },
    { type: 'scatter', parsing: false, label: name(labels.checkpoints), data: [], borderColor: colour, backgroundColor: colour, pointStyle: 'triangle', pointRadius: 6, yAxisID: 'y', order: 0 } as unknown as ChartDataset<'line', Pt[]>,
    // A scatter drawn as a line: the decimation plugin (line datasets only) needs x in order, and the attempts' parts overlap.
    { ...line, type: 'scatter', showLine: true, label: name(labels.superseded), data: [], borderWidth: 1, borderDash: [3, 3], yAxisID: 'y', order: 6, borderColor: withAlpha(colour, 0.25) } as unknown as ChartDataset<'line', Pt[]>,
    { type: 'scatter', parsing: false, label: name(labels.superseded), data: [], borderColor: colour, backgroundColor: 'transparent', pointStyle: 'rectRot', pointRadius: 7, borderWidth: 2, yAxisID: 'y', order: 0 } as unknown as ChartDataset<'line', Pt[]>,
  ];
}

/** `#rrggbb` (or any colour) at some opacity; colours Chart.js cannot parse stay as they are. */
function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!m) return colour;
  const n = parseInt(m[1]!, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Shows these runs (in order) with these series shown, and redraws. */
export function setRuns(chart: LossChart, runs: readonly ChartRun[], shown: Shown, labels: ChartLabels, byEpoch = false): void {
  const known = datasetsOf.get(chart)!;
  for (const id of [...known.keys()]) if (!runs.some((r) => r.id === id)) known.delete(id);
  const all: ChartDataset<'line', Pt[]>[] = [];
  for (const run of runs) {
    let sets = known.get(run.id);
    if (!sets) known.set(run.id, (sets = runDatasets(run, labels)));
    const [raw, smoothed, evals, lr, checkpoints, superseded, attemptStarts] = sets;
    raw!.data = run.series.raw;
    raw!.hidden = !shown.raw;
    smoothed!.data = run.series.smoothed;
    evals!.data = run.series.evals;
    evals!.hidden = !shown.eval;
    lr!.data = run.series.lr;
    lr!.hidden = !shown.lr;
    checkpoints!.data = run.series.checkpoints;
    checkpoints!.hidden = !shown.checkpoints;
    superseded!.data = run.series.superseded;
    superseded!.hidden = !shown.raw;
    attemptStarts!.data = run.series.attemptStarts;
    (attemptStarts as WithPointText).pointText = run.series.attempts.map((a) => `${run.label} · ${labels.attemptFrom(a.number, a.step)}`);
    // A line of one point draws nothing at pointRadius 0: a log with one step shows its point.
    for (const set of [raw!, smoothed!, lr!]) set.pointRadius = lonePoint(set.data) ? 4 : 0;
    all.push(...sets);
  }
  chart.data.datasets = all;
  const scales = chart.options.scales!;
  for (const [axis, text] of [['x', labels.x], ['y', labels.loss], ['y1', labels.lr]] as const) {
    const scale = scales[axis];
    if (scale?.type === 'linear' && scale.title) scale.title.text = text;
  }
  const y1 = scales['y1'];
  if (y1) y1.display = shown.lr && runs.some((r) => r.series.lr.length > 0);
  // One x (a single step) or one learning rate: sensible bounds instead of Chart.js's ±5% (see singleValueRange).
  setBounds(scales['x'], singleValueRange(pointValues(runs.flatMap((r) => [r.series.raw, r.series.evals, r.series.lr]), 'x'), true, 1));
  const xTicks = scales['x']?.ticks as { precision?: number } | undefined;
  if (xTicks && byEpoch) delete xTicks.precision;
  else if (xTicks) xTicks.precision = 0; // steps are whole numbers: no 0.95, 1.05 ticks
  setBounds(scales['y'], singleValueRange(pointValues(runs.flatMap((r) => [r.series.raw, r.series.evals]), 'y'), false));
  setBounds(scales['y1'], singleValueRange(pointValues(runs.map((r) => r.series.lr), 'y'), true));
  chart.update('none');
}

/** Fixed bounds for a scale, or none (the zoom sets the x bounds itself, and keeps them while a range is shown). */
function setBounds(scale: unknown, range: { min: number; max: number } | undefined): void {
  const linear = scale as { type?: string; suggestedMin?: number; suggestedMax?: number } | undefined;
  if (!linear || linear.type !== 'linear') return;
  linear.suggestedMin = range?.min;
  linear.suggestedMax = range?.max;
}

/** The chart as a PNG (base64, no data: prefix) on the theme's editor background, as the user sees it. */
export function chartPng(chart: LossChart): string {
  const source = chart.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = themeColor('--vscode-editor-background', '#1e1e1e');
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
