// The loss-curve webview: one or more runs overlaid on one Chart.js chart (train loss raw and EMA-smoothed, eval
// loss, learning rate on a second axis, checkpoints; x by step or by epoch), a legend with each run's colour,
// convergence verdict and evidence, zoom and pan on x, and export to CSV (by the host) and PNG.
// The host sends every run again when the page (re)loads; the page keeps its settings and zoom in its state.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { connectToHost, vscodeApi } from '../common/host';
import { h, render } from '../common/dom';
import { onThemeChange } from '../common/theme';
import { LossCurveHostMessage, appendTail, type LossCurveWebviewMessage, type LossRun, type RunDetail } from '../../src/shared/protocol/lossCurve';
import { chartPng, createLossChart, runColour, setRuns, type LossChart, type Shown } from './chart';
import { hasEpochs, series, withDetail, xExtent, type Series } from './series';
import { enableZoom, setZoom, type XRange } from './zoom';
import { labelled } from '../common/label';
import { makeTexts } from '../common/texts';

interface State { smoothing: number; byEpoch: boolean; shown: Shown; zoom?: XRange }
/**
 * A run as the page knows it: its curves, or why there are none yet. `detail`: the zoomed range of a decimated
 * run at full resolution (the host sends it after a `zoom`, and again as the run grows).
 */
interface Entry { id: string; label: string; colour: number; run?: LossRun; detail?: RunDetail; error?: string; waiting?: boolean }

const saved = (vscodeApi.getState() ?? {}) as Partial<State>;
const state: State = {
  smoothing: typeof saved.smoothing === 'number' ? Math.min(0.99, Math.max(0, saved.smoothing)) : 0.9,
  byEpoch: saved.byEpoch === true,
  shown: { raw: true, eval: true, lr: true, checkpoints: true, ...saved.shown },
  ...(saved.zoom && typeof saved.zoom.min === 'number' && typeof saved.zoom.max === 'number' ? { zoom: saved.zoom } : {}),
};
const saveState = () => vscodeApi.setState(state);

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t, fill } = strings;
const entries = new Map<string, Entry>();
/** Runs whose evidence list the user opened: re-rendering keeps it open. */
const openEvidence = new Set<string>();
let chart: LossChart | undefined;
let layout: { legend: HTMLElement; canvas: HTMLCanvasElement; xAxis: HTMLElement & { value: string; disabled: boolean }; smoothingValue: HTMLElement; resetZoom: HTMLElement } | undefined;
let seriesCache: Series[] = [];

const host = connectToHost<LossCurveHostMessage, LossCurveWebviewMessage>(LossCurveHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      chart?.destroy();
      chart = undefined;
      layout = buildLayout();
      return refresh();
    case 'run':
    case 'error': {
      const { id, label, colour } = message;
      // A run read again keeps its zoomed detail until the host sends the new one (no flicker to the overview).
      const detail = message.type === 'run' ? entries.get(id)?.detail : undefined;
      entries.set(id, message.type === 'run' ? { id, label, colour, run: message.run, ...(detail ? { detail } : {}) } : { id, label, colour, error: message.message, waiting: message.waiting });
      return refresh();
    }
    case 'detail': {
      const entry = entries.get(message.id);
      if (entry?.run && state.zoom) entry.detail = message.detail;
      return updateChart();
    }
    case 'append': {
      const run = entries.get(message.id)?.run;
      if (run) appendTail(run, message.tail);
      return refresh();
    }
    case 'removed':
      entries.delete(message.id);
      return refresh();
    case 'renderPng':
      if (!chart) throw new Error('no chart to export yet');
      return chartPng(chart);
  }
});

function checkbox(id: string, key: keyof Shown, label: string): HTMLElement {
  const box = h('vscode-checkbox', { id, label, checked: state.shown[key] }) as HTMLElement & { checked: boolean };
  box.addEventListener('change', () => { state.shown[key] = box.checked; saveState(); updateChart(); });
  return box;
}

function buildLayout(): NonNullable<typeof layout> {
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
  const xAxis = h('vscode-single-select', { id: 'x-axis', 'aria-label': t('xAxis') },
    h('vscode-option', { value: 'step', selected: !state.byEpoch }, t('xByStep')),
    h('vscode-option', { value: 'epoch', selected: state.byEpoch }, t('xByEpoch'))) as HTMLElement & { value: string; disabled: boolean };
  xAxis.addEventListener('change', () => { state.byEpoch = xAxis.value === 'epoch'; resetZoom(); updateChart(); });
  const resetButton = h('vscode-button', { id: 'reset-zoom', secondary: true, disabled: !state.zoom, onclick: () => resetZoom() }, t('resetZoom'));
  const legend = h('div', { id: 'runs', class: 'run-legend' });
  render(root,
    h('div', { class: 'toolbar loss-toolbar' },
      h('h1', {}, t('title')),
      h('vscode-button', { id: 'add-run', onclick: () => host.notify({ type: 'addRun' }) }, t('addRun')),
      resetButton,
      h('vscode-button', { id: 'export-csv', secondary: true, onclick: () => host.notify({ type: 'exportCsv' }) }, t('exportCsv')),
      h('vscode-button', { id: 'export-png', secondary: true, onclick: () => host.notify({ type: 'exportPng' }) }, t('exportPng'))),
    h('div', { class: 'toolbar controls' },
      h('label', { for: 'smoothing' }, t('smoothing')), slider, smoothingValue,
      h('label', { for: 'x-axis' }, t('xAxis')), xAxis,
      checkbox('show-raw', 'raw', t('trainRaw')),
      checkbox('show-eval', 'eval', t('evalLoss')),
      checkbox('show-lr', 'lr', t('learningRate')),
      checkbox('show-checkpoints', 'checkpoints', t('checkpoints'))),
    h('div', { class: 'chart loss-chart' }, canvas),
    seriesKey(),
    h('p', { class: 'muted hint' }, t('zoomHint')),
    legend);
  return { legend, canvas, xAxis, smoothingValue, resetZoom: resetButton };
}

/**
 * What each line style means (each run has its own colour, named in the runs' legend below): the raw train loss is a
 * thin faint line, the smoothed one thick, the eval loss dashed with points, the learning rate dotted on the right
 * axis, checkpoints triangles. Drawn with CSS borders in the foreground colour.
 */
function seriesKey(): HTMLElement {
  const item = (kind: string, label: string) => h('span', { class: 'key-item', 'data-series': kind },
    h('span', { class: `key-line key-${kind}`, 'aria-hidden': 'true' }, kind === 'checkpoints' ? '▲' : kind === 'attempt' ? '◇' : ''), label);
  return h('div', { id: 'series-key', class: 'series-key', 'aria-label': t('legend') },
    item('raw', t('trainRaw')), item('smoothed', t('trainSmoothed')), item('eval', t('evalLoss')),
    item('lr', `${t('learningRate')} (${t('rightAxis')})`), item('checkpoints', t('checkpoints')),
    // Only while a resumed run is shown (refresh): its earlier attempts, faint and dashed, and where each later one starts.
    item('superseded', t('superseded')), item('attempt', t('attemptStart')));
}

function resetZoom(): void {
  delete state.zoom;
  zoomChanged();
  saveState();
  if (chart) setZoom(chart, undefined);
  layout?.resetZoom.toggleAttribute('disabled', true);
}

/** One legend entry: the run's colour, name, verdict with its reason, advice and evidence; a button removes it. */
function legendEntry(entry: Entry): HTMLElement {
  const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  swatch.style.backgroundColor = runColour(entry.colour); // CSSOM, allowed by the CSP (a style attribute is not)
  const run = entry.run;
  const head = h('div', { class: 'run-head' },
    swatch,
    h('span', { class: 'run-label', title: entry.label }, entry.label),
    run && h('span', { class: 'muted' }, t(`source.${run.source}`)),
    run && h('span', { class: 'verdict-name' }, t(run.verdict)),
    run?.bestStep !== undefined && h('span', { class: 'muted' }, labelled(t('bestStep')), h('span', { class: 'best-step' }, run.bestStep)),
    run && h('span', { class: 'muted' }, h('span', { class: 'point-count' }, run.fullPoints?.train ?? run.train.length), ` ${t('points')}`),
    h('vscode-button', { class: 'remove-run', secondary: true, title: t('removeRun'), 'aria-label': t('removeRun'), onclick: () => host.notify({ type: 'removeRun', id: entry.id }) }, '×'));
  if (!run) {
    return h('section', { class: 'legend-entry', 'data-run': entry.id }, head,
      h('p', { class: entry.waiting ? 'muted run-error' : 'sev-error run-error' }, entry.error ?? ''));
  }
  const evidence = h('details', { class: 'evidence', open: openEvidence.has(entry.id) },
    h('summary', {}, t('evidence')),
    h('ul', {}, ...run.evidence.map((line) => h('li', {}, line))));
  evidence.addEventListener('toggle', () => { if ((evidence as HTMLDetailsElement).open) openEvidence.add(entry.id); else openEvidence.delete(entry.id); });
  return h('section', { class: `legend-entry verdict verdict-${run.verdict}`, 'data-run': entry.id },
    head,
    h('p', { class: 'reason' }, h('strong', {}, labelled(t('reason'))), run.reason),
    h('p', { class: 'advice' }, h('strong', {}, labelled(t('advice'))), run.advice),
    run.attempts && run.attempts.length > 1 && h('p', { class: 'attempts muted' }, run.attempts.slice(1).map((a, i) => attemptFrom(i + 2, a.start)).join(' · ')),
    evidence,
    run.skippedLines > 0 && h('p', { class: 'sev-warning' }, `${run.skippedLines} ${t('skipped')}`));
}

/** "attempt 2 from step 300" in the page's language. */
function attemptFrom(attempt: number, step: number): string {
  return fill('attemptFrom', attempt, step);
}

let zoomTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Tells the host the range shown (after a pause: a wheel zooms in many small steps), so that decimated runs get it
 * at full resolution; a reset drops the details at once.
 */
function zoomChanged(): void {
  clearTimeout(zoomTimer);
  if (!state.zoom) for (const e of entries.values()) delete e.detail;
  zoomTimer = setTimeout(() => host.notify({ type: 'zoom', range: state.zoom ? { ...state.zoom, byEpoch: state.byEpoch } : null }), 150);
}

function refresh(): void {
  if (!layout) return;
  render(layout.legend, ...[...entries.values()].map(legendEntry));
  const resumed = [...entries.values()].some((e) => (e.run?.attempts?.length ?? 0) > 1);
  for (const kind of ['superseded', 'attempt']) document.querySelector(`#series-key [data-series="${kind}"]`)?.toggleAttribute('hidden', !resumed);
  const anyEpochs = [...entries.values()].some((e) => e.run && hasEpochs(e.run));
  layout.xAxis.disabled = !anyEpochs;
  if (!anyEpochs && state.byEpoch) { state.byEpoch = false; layout.xAxis.value = 'step'; }
  updateChart();
}

function updateChart(): void {
  if (!layout) return;
  const shownRun = (e: Entry & { run: LossRun }) => (state.zoom ? withDetail(e.run, e.detail) : e.run);
  const runs = [...entries.values()].flatMap((e) => (e.run ? [{ id: e.id, label: e.label, colour: e.colour, series: series(shownRun(e as Entry & { run: LossRun }), state.smoothing, state.byEpoch) }] : []));
  seriesCache = runs.map((r) => r.series);
  if (!chart) {
    chart = createLossChart(layout.canvas);
    enableZoom(chart, () => xExtent(seriesCache), (range) => {
      if (range) state.zoom = range;
      else delete state.zoom;
      zoomChanged();
      saveState();
      layout?.resetZoom.toggleAttribute('disabled', !range);
    });
    if (state.zoom) setZoom(chart, state.zoom);
  }
  setRuns(chart, runs, state.shown, {
    raw: t('trainRaw'), smoothed: t('trainSmoothed'), eval: t('evalLoss'), lr: t('learningRate'), checkpoints: t('checkpoints'),
    x: state.byEpoch ? t('epoch') : t('step'), loss: t('loss'), superseded: t('superseded'), attemptFrom,
  }, state.byEpoch);
  saveState();
}

// A new theme: new colours everywhere, on a new canvas (the zoom's mouse handlers belong to the old one).
onThemeChange(() => { chart?.destroy(); chart = undefined; layout = buildLayout(); refresh(); });
host.notify({ type: 'ready' });
if (state.zoom) zoomChanged(); // a zoom kept from before: its details
