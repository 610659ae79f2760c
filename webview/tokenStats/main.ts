// The token statistics webview: numbers, a histogram (Chart.js), the seed's advice, the longest samples.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { connectToHost, vscodeApi } from '../common/host';
import { h, render } from '../common/dom';
import { onThemeChange, themeColor } from '../common/theme';
import { TokenStatsHostMessage, type TokenReport, type TokenStatsWebviewMessage } from '../../src/shared/protocol/tokenStats';
import { labelled } from '../common/label';
import { makeTexts } from '../common/texts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t } = strings;
let chart: Chart | undefined;
let shown: TokenReport | undefined;

const host = connectToHost<TokenStatsHostMessage, TokenStatsWebviewMessage>(TokenStatsHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      return;
    case 'progress':
      if (!shown) render(root, h('p', { class: 'toolbar' }, h('vscode-progress-ring', {}), message.message));
      return;
    case 'error':
      shown = undefined;
      return render(root, h('p', { id: 'error', class: 'sev-error' }, message.message));
    case 'report':
      shown = message.report;
      vscodeApi.setState({ report: message.report });
      return draw(message.report);
  }
});

const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
const num = (n: number) => n.toLocaleString();

function stat(id: string, label: string, value: string, cls = ''): HTMLElement {
  return h('div', { class: `stat ${cls}`, id }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

function draw(r: TokenReport): void {
  const canvas = h('canvas', { id: 'histogram', role: 'img', 'aria-label': t('histogram') });
  render(root,
    h('div', { class: 'toolbar' },
      h('h1', {}, labelled(t('title')) + r.fileName),
      h('vscode-button', { secondary: true, onclick: () => host.notify({ type: 'recount' }) }, t('recount'))),
    h('p', { class: 'muted' }, labelled(t('model')) + r.model),
    h('div', { class: 'stats' },
      stat('samples', t('samples'), num(r.samples)),
      stat('mean', t('mean'), num(r.tokens.mean)),
      stat('p50', t('p50'), num(r.tokens.p50)),
      stat('p95', t('p95'), num(r.tokens.p95)),
      stat('p99', t('p99'), num(r.tokens.p99)),
      stat('max', t('max'), num(r.tokens.max)),
      stat('over4k', t('over4k'), pct(r.over4k), r.over4k > 0 ? 'sev-warning' : ''),
      stat('over8k', t('over8k'), pct(r.over8k), r.over8k > 0 ? 'sev-error' : ''),
      stat('epochs', t('epochs'), String(r.epochs)),
      stat('train-tokens', t('trainTokens'), num(r.trainTokensTimesEpochs))),
    r.skipped > 0 && h('p', { class: 'sev-warning' }, `${r.skipped} ${t('skipped')}`),
    h('h2', {}, t('recommendation')),
    h('div', { id: 'advice' }, ...r.messages.map((m) => h('p', {}, m))),
    h('h2', {}, t('histogram')),
    h('div', { class: 'chart' }, canvas),
    h('h2', {}, t('longest')),
    h('table', { id: 'longest' },
      h('thead', {}, h('tr', {}, h('th', {}, t('line')), h('th', {}, t('tokens')), h('th', {}, t('trained')))),
      h('tbody', {}, ...r.longest.map((s) => h('tr', {
        class: 'clickable', tabindex: 0,
        onclick: () => host.notify({ type: 'revealLine', line: s.line }),
        onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Enter') host.notify({ type: 'revealLine', line: s.line }); },
      }, h('td', {}, s.line), h('td', {}, num(s.tokens)), h('td', {}, num(s.trainTokens)))))),
  );
  drawChart(canvas, r);
}

function drawChart(canvas: HTMLCanvasElement, r: TokenReport): void {
  chart?.destroy();
  const { edges, counts } = r.histogram;
  const normal = themeColor('--vscode-charts-blue', '#3794ff');
  const warn = themeColor('--vscode-charts-orange', '#d18616');
  const bad = themeColor('--vscode-charts-red', '#f14c4c');
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.3)');
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: counts.map((_, i) => `${num(edges[i]!)}–${num(edges[i + 1]!)}`),
      datasets: [{
        data: counts,
        backgroundColor: counts.map((_, i) => (edges[i]! >= 8192 ? bad : edges[i + 1]! > 4096 ? warn : normal)),
        barPercentage: 1,
        categoryPercentage: 0.95,
      }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { tooltip: { enabled: true } },
      scales: {
        x: { title: { display: true, text: t('tokensAxis'), color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y: { title: { display: true, text: t('samplesAxis'), color: fg }, ticks: { color: fg, precision: 0 }, grid: { color: grid }, beginAtZero: true },
      },
    },
  });
}

onThemeChange(() => { if (shown) draw(shown); });
const saved = vscodeApi.getState() as { report?: TokenReport } | undefined;
if (saved?.report) { shown = saved.report; draw(saved.report); }
host.notify({ type: 'ready' });
