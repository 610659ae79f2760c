// The model-comparison webview: BLEU-4 / ROUGE-1/2/L of every model of the chosen eval runs as grouped bars and a
// radar chart (Chart.js), and a table with each model's deltas against its run's base model.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineElement, PointElement, RadarController,
  RadialLinearScale, Tooltip,
} from 'chart.js';
import { connectToHost } from '../common/host';
import { h, render } from '../common/dom';
import { onThemeChange, themeColor } from '../common/theme';
import { EvalCompareHostMessage, type CompareRun, type EvalCompareWebviewMessage } from '../../src/shared/protocol/evalCompare';
import { SCORE_NAMES } from '../../src/shared/protocol/evalDetail';
import { adoptStyles } from '../common/adoptStyles';
import { makeTexts } from '../common/texts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, RadarController, RadialLinearScale, LineElement, PointElement, Filler, Tooltip, Legend);

adoptStyles(`
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.charts .chart { flex: 1 1 420px; height: 320px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.delta { font-size: 0.9em; margin-left: 4px; }
.delta.up { color: var(--vscode-charts-green, var(--vscode-foreground)); }
.delta.down { color: var(--vscode-errorForeground); }
.tag { color: var(--vscode-descriptionForeground); margin-left: 6px; }
a.open { color: var(--vscode-textLink-foreground); cursor: pointer; }
`);

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t } = strings;
let charts: Chart[] = [];
let last: { runs: CompareRun[]; problems: string[] } | undefined;

const host = connectToHost<EvalCompareHostMessage, EvalCompareWebviewMessage>(EvalCompareHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      return;
    case 'runs':
      last = { runs: message.runs, problems: message.problems };
      return show(last.runs, last.problems);
  }
});

/** One series per model; its label names the run too when several runs are shown. */
function series(runs: readonly CompareRun[]): { label: string; values: number[] }[] {
  return runs.flatMap((run) => run.models.map((m) => ({
    label: runs.length > 1 ? `${m.name} (${run.runId})` : m.name,
    values: SCORE_NAMES.map((n) => m.mean[n]),
  })));
}

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const colour = (i: number) => themeColor(PALETTE[i % PALETTE.length]!, FALLBACK[i % FALLBACK.length]!);
/** A #rrggbb colour at 20% opacity (other forms are kept as they are). */
const translucent = (c: string) => (/^#[0-9a-f]{6}$/i.test(c) ? c + '33' : c);

function deltaCell(value: number, delta: number | undefined): HTMLElement {
  return h('td', { class: 'num' }, value.toFixed(2),
    delta === undefined ? null : h('span', { class: `delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}` }, `${delta > 0 ? '+' : ''}${delta.toFixed(2)}`));
}

function table(runs: readonly CompareRun[]): HTMLElement {
  return h('table', { id: 'compare-table' },
    h('thead', {}, h('tr', {},
      h('th', {}, t('run')), h('th', {}, t('model')), h('th', {}, t('kind')), h('th', { class: 'num' }, t('samples')),
      ...SCORE_NAMES.map((n) => h('th', { class: 'num', title: t('delta') }, n.toUpperCase())))),
    h('tbody', {}, ...runs.flatMap((run) => run.models.map((m) => h('tr', { 'data-model': m.modelId },
      h('td', {}, h('a', { class: 'open', title: t('openRun'), onclick: () => host.notify({ type: 'openRun', dir: run.dir }) }, run.runId)),
      h('td', {}, m.name, m.isBase ? h('span', { class: 'tag' }, t('base')) : null),
      h('td', {}, t(`kind.${m.kind}`)),
      h('td', { class: 'num' }, m.samples),
      ...SCORE_NAMES.map((n) => deltaCell(m.mean[n], m.delta?.[n])))))));
}

function show(runs: readonly CompareRun[], problems: readonly string[]): void {
  for (const c of charts) c.destroy();
  charts = [];
  const bars = h('canvas', { id: 'bars-chart', role: 'img', 'aria-label': t('bars') });
  const radar = h('canvas', { id: 'radar-chart', role: 'img', 'aria-label': t('radar') });
  const any = runs.some((r) => r.models.length > 0);
  render(root,
    h('div', { class: 'toolbar' }, h('h1', {}, t('title')),
      h('vscode-button', { id: 'pick-runs', secondary: true, onclick: () => host.notify({ type: 'pickRuns' }) }, t('pickRuns'))),
    ...problems.map((p) => h('p', { class: 'sev-warning' }, p)),
    any ? h('div', { class: 'charts' }, h('div', { class: 'chart' }, bars), h('div', { class: 'chart' }, radar)) : h('p', { class: 'muted' }, t('noScores')),
    any ? h('h2', {}, t('table')) : null,
    any ? table(runs) : null);
  if (!any) return;
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.3)');
  const data = series(runs);
  const labels = SCORE_NAMES.map((n) => n.toUpperCase());
  charts.push(new Chart(bars, {
    type: 'bar',
    data: { labels, datasets: data.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: colour(i) })) },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: fg } } },
      scales: { x: { ticks: { color: fg }, grid: { color: grid } }, y: { beginAtZero: true, ticks: { color: fg }, grid: { color: grid } } },
    },
  }));
  charts.push(new Chart(radar, {
    type: 'radar',
    data: { labels, datasets: data.map((s, i) => ({ label: s.label, data: s.values, borderColor: colour(i), backgroundColor: translucent(colour(i)), fill: true })) },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: fg } } },
      scales: { r: { beginAtZero: true, angleLines: { color: grid }, grid: { color: grid }, pointLabels: { color: fg }, ticks: { color: fg, backdropColor: 'transparent' } } },
    },
  }));
}

onThemeChange(() => { if (last) show(last.runs, last.problems); });
host.notify({ type: 'ready' });
