// The loss-curve webview: the convergence verdict with its evidence, and a Chart.js line chart of the train loss
// (raw and EMA-smoothed), eval loss, learning rate (second axis) and checkpoints, by step or by epoch.
// Long runs stay fast: numeric {x, y} data, parsing off, and the decimation plugin (LTTB) on the line datasets.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
  type ChartDataset,
} from 'chart.js';
import { connectToHost, vscodeApi } from '../common/host';
import { h, render } from '../common/dom';
import { onThemeChange, themeColor } from '../common/theme';
import { LossCurveHostMessage, type LossCurveWebviewMessage, type LossRun } from '../../src/shared/protocol/lossCurve';

Chart.register(LineController, LineElement, PointElement, ScatterController, LinearScale, Tooltip, Legend, Decimation);

interface State { run?: LossRun; smoothing: number; byEpoch: boolean }
const saved = (vscodeApi.getState() ?? {}) as Partial<State>;
const state: State = {
  smoothing: typeof saved.smoothing === 'number' ? Math.min(0.99, Math.max(0, saved.smoothing)) : 0.9,
  byEpoch: saved.byEpoch === true,
  ...(saved.run ? { run: saved.run } : {}),
};
const saveState = () => vscodeApi.setState(state);

const root = document.getElementById('root')!;
let strings: Record<string, string> = {};
const t = (key: string) => strings[key] ?? key;
let chart: Chart<'line', Pt[]> | undefined;

type Pt = { x: number; y: number | null };

const host = connectToHost<LossCurveHostMessage, LossCurveWebviewMessage>(LossCurveHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings = message.strings;
      layout = undefined; // rebuilt with the labels on the next run
      return;
    case 'error':
      state.run = undefined;
      saveState();
      chart?.destroy();
      chart = undefined;
      return render(root, h('p', { id: 'error', class: 'sev-error' }, message.message));
    case 'run':
      state.run = message.run;
      saveState();
      return show(message.run);
  }
});

/** TensorBoard-style EMA: s = w·s + (1 − w)·v, debiased; gaps (null) stay gaps and do not reset it. */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  let s = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    s = weight * s + (1 - weight) * v;
    n++;
    return weight > 0 ? s / (1 - weight ** n) : v;
  });
}

/** step → epoch, interpolated between the logged points; undefined when the log has no epochs. */
function epochMapper(run: LossRun): ((step: number) => number | undefined) | undefined {
  const known = [...run.train, ...run.eval].filter((p) => p.epoch !== undefined).map((p) => [p.step, p.epoch!] as const).sort((a, b) => a[0] - b[0]);
  if (known.length === 0) return undefined;
  return (step) => {
    let lo = 0;
    let hi = known.length - 1;
    if (step <= known[0]![0]) return known[0]![0] === step ? known[0]![1] : (known[0]![1] * step) / (known[0]![0] || 1);
    if (step >= known[hi]![0]) return known[hi]![1];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (known[mid]![0] <= step) lo = mid;
      else hi = mid;
    }
    const [s0, e0] = known[lo]!;
    const [s1, e1] = known[hi]!;
    return s1 === s0 ? e0 : e0 + ((e1 - e0) * (step - s0)) / (s1 - s0);
  };
}

function xOf(run: LossRun): (p: { step: number; epoch?: number }) => number | undefined {
  const toEpoch = state.byEpoch ? epochMapper(run) : undefined;
  if (!toEpoch) return (p) => p.step;
  return (p) => p.epoch ?? toEpoch(p.step);
}

function series(run: LossRun): { raw: Pt[]; smoothed: Pt[]; evals: Pt[]; lr: Pt[]; checkpoints: Pt[] } {
  const x = xOf(run);
  const train = run.train.map((p) => ({ x: x(p), y: p.loss })).filter((p): p is Pt => p.x !== undefined);
  const sm = smooth(train.map((p) => p.y), state.smoothing);
  const smoothed = train.map((p, i) => ({ x: p.x, y: sm[i]! }));
  const evals = run.eval.map((p) => ({ x: x(p), y: p.loss })).filter((p): p is Pt => p.x !== undefined);
  const lr = run.learningRate.map((p) => ({ x: x(p), y: p.value as number | null })).filter((p): p is Pt => p.x !== undefined);
  // A checkpoint sits on the smoothed train curve at its step (the nearest logged point).
  const byStep = run.train.map((p, i) => [p.step, smoothed[i]?.y ?? p.loss] as const);
  const checkpoints = run.checkpoints.map((c) => {
    let best: readonly [number, number | null] | undefined;
    for (const b of byStep) if (!best || Math.abs(b[0] - c.step) < Math.abs(best[0] - c.step)) best = b;
    return { x: x({ step: c.step }), y: best?.[1] ?? null };
  }).filter((p): p is Pt => p.x !== undefined);
  return { raw: train, smoothed, evals, lr, checkpoints };
}

function verdictBlock(run: LossRun): HTMLElement {
  return h('section', { id: 'verdict', class: `verdict verdict-${run.verdict}` },
    h('div', { class: 'stats' },
      h('div', { class: 'stat' }, h('div', { class: 'value', id: 'verdict-name' }, t(run.verdict)), h('div', { class: 'label' }, t('verdict'))),
      run.bestStep !== undefined && h('div', { class: 'stat' }, h('div', { class: 'value', id: 'best-step' }, run.bestStep), h('div', { class: 'label' }, t('bestStep'))),
      h('div', { class: 'stat' }, h('div', { class: 'value' }, run.train.length), h('div', { class: 'label' }, `${t('trainRaw')} · ${t('points')}`)),
      run.eval.length > 0 && h('div', { class: 'stat' }, h('div', { class: 'value' }, run.eval.length), h('div', { class: 'label' }, `${t('evalLoss')} · ${t('points')}`))),
    h('p', { id: 'reason' }, h('strong', {}, `${t('reason')}: `), run.reason),
    h('p', { id: 'advice' }, h('strong', {}, `${t('advice')}: `), run.advice),
    h('details', { id: 'evidence' },
      h('summary', {}, t('evidence')),
      h('ul', {}, ...run.evidence.map((line) => h('li', {}, line)))),
    run.skippedLines > 0 && h('p', { class: 'sev-warning' }, `${run.skippedLines} ${t('skipped')}`));
}

let layout: { header: HTMLElement; verdict: HTMLElement; canvas: HTMLCanvasElement; epochToggle: HTMLInputElement; smoothingValue: HTMLElement } | undefined;

function buildLayout(): NonNullable<typeof layout> {
  const header = h('div', { class: 'toolbar' });
  const verdict = h('div', {});
  const canvas = h('canvas', { id: 'loss-chart', role: 'img', 'aria-label': t('loss') });
  const smoothingValue = h('span', { id: 'smoothing-value' }, state.smoothing.toFixed(2));
  const slider = h('input', {
    id: 'smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, value: String(state.smoothing), 'aria-label': t('smoothing'),
    oninput: (e) => {
      state.smoothing = Number((e.target as HTMLInputElement).value);
      smoothingValue.textContent = state.smoothing.toFixed(2);
      saveState();
      updateChart();
    },
  });
  const epochToggle = h('input', {
    id: 'by-epoch', type: 'checkbox',
    onchange: (e) => { state.byEpoch = (e.target as HTMLInputElement).checked; saveState(); updateChart(); },
  });
  epochToggle.checked = state.byEpoch;
  render(root,
    header,
    verdict,
    h('div', { class: 'toolbar controls' },
      h('label', { for: 'smoothing' }, t('smoothing')), slider, smoothingValue,
      h('label', { class: 'toggle' }, epochToggle, t('xByEpoch')),
      h('vscode-button', { id: 'export-csv', secondary: true, onclick: () => host.notify({ type: 'exportCsv' }) }, t('exportCsv'))),
    h('div', { class: 'chart loss-chart' }, canvas));
  return { header, verdict, canvas, epochToggle, smoothingValue };
}

function show(run: LossRun): void {
  if (!layout || !root.contains(layout.canvas)) {
    chart?.destroy();
    chart = undefined;
    layout = buildLayout();
  }
  render(layout.header, h('h1', {}, `${t('title')}: ${run.fileName}`), h('span', { class: 'muted' }, run.source));
  render(layout.verdict, verdictBlock(run));
  const hasEpochs = run.train.some((p) => p.epoch !== undefined);
  layout.epochToggle.disabled = !hasEpochs;
  if (!hasEpochs && state.byEpoch) { state.byEpoch = false; layout.epochToggle.checked = false; }
  updateChart();
}

function updateChart(): void {
  const run = state.run;
  if (!run || !layout) return;
  const s = series(run);
  if (!chart) chart = createChart(layout.canvas);
  const [raw, smoothed, evals, lr, checkpoints] = chart.data.datasets as ChartDataset<'line', Pt[]>[];
  raw!.data = s.raw;
  smoothed!.data = s.smoothed;
  evals!.data = s.evals;
  lr!.data = s.lr;
  checkpoints!.data = s.checkpoints;
  const xScale = chart.options.scales!['x']!;
  if (xScale.type === 'linear') xScale.title = { display: true, text: state.byEpoch ? t('epoch') : t('step'), color: themeColor('--vscode-foreground', '#ccc') };
  chart.update('none');
}

function createChart(canvas: HTMLCanvasElement): Chart<'line', Pt[]> {
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.3)');
  const blue = themeColor('--vscode-charts-blue', '#3794ff');
  const orange = themeColor('--vscode-charts-orange', '#d18616');
  const green = themeColor('--vscode-charts-green', '#89d185');
  const purple = themeColor('--vscode-charts-purple', '#b180d7');
  const line = { parsing: false as const, normalized: true, pointRadius: 0, spanGaps: false };
  return new Chart<'line', Pt[]>(canvas, {
    type: 'line',
    data: {
      datasets: [
        { ...line, label: t('trainRaw'), data: [], borderColor: blue, borderWidth: 1, yAxisID: 'y', order: 4 } as ChartDataset<'line', Pt[]>,
        { ...line, label: t('trainSmoothed'), data: [], borderColor: blue, borderWidth: 2.5, yAxisID: 'y', order: 2 } as ChartDataset<'line', Pt[]>,
        { ...line, label: t('evalLoss'), data: [], borderColor: orange, backgroundColor: orange, borderWidth: 2, pointRadius: 3, yAxisID: 'y', order: 1 } as ChartDataset<'line', Pt[]>,
        { ...line, label: t('learningRate'), data: [], borderColor: green, borderWidth: 1, borderDash: [4, 3], yAxisID: 'y1', order: 5 } as ChartDataset<'line', Pt[]>,
        { type: 'scatter', parsing: false, label: t('checkpoints'), data: [], borderColor: purple, backgroundColor: purple, pointStyle: 'triangle', pointRadius: 6, yAxisID: 'y', order: 0 } as unknown as ChartDataset<'line', Pt[]>,
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        decimation: { enabled: true, algorithm: 'lttb', samples: 1000, threshold: 2000 },
        legend: { labels: { color: fg } },
        tooltip: { enabled: true },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: t('step'), color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y: { type: 'linear', position: 'left', title: { display: true, text: t('loss'), color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y1: {
          type: 'linear', position: 'right', title: { display: true, text: t('learningRate'), color: fg },
          ticks: { color: fg, callback: (v) => Number(v).toExponential(1) }, grid: { drawOnChartArea: false },
        },
      },
    },
  });
}

onThemeChange(() => { chart?.destroy(); chart = undefined; updateChart(); });
if (state.run) show(state.run);
host.notify({ type: 'ready' });
