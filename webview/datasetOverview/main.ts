// The dataset overview webview: draws what the host sends; asks the host to reveal a line or re-check.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { connectToHost, vscodeApi } from '../common/host';
import { h, render } from '../common/dom';
import {
  OverviewHostMessage, type DatasetOverview, type OverviewWebviewMessage,
} from '../../src/shared/protocol/datasetOverview';
import { labelled } from '../common/label';
import { makeTexts } from '../common/texts';

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t } = strings;

const host = connectToHost<OverviewHostMessage, OverviewWebviewMessage>(OverviewHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      return;
    case 'overview':
      vscodeApi.setState({ overview: message.overview });
      return draw(message.overview);
    case 'empty':
      return render(root, h('p', { class: 'muted' }, message.reason));
  }
});

function stat(label: string, value: string | number, cls = ''): HTMLElement {
  return h('div', { class: `stat ${cls}` }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

function draw(o: DatasetOverview): void {
  const problemRows = o.problems.map((p) =>
    h('tr', { class: 'clickable', tabindex: 0, onclick: () => host.notify({ type: 'revealLine', line: p.line }),
      onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Enter') host.notify({ type: 'revealLine', line: p.line }); } },
      h('td', {}, p.line + 1), h('td', { class: `sev-${p.severity}` }, p.code), h('td', {}, p.message)),
  );
  render(root,
    h('div', { class: 'toolbar' },
      h('h1', {}, labelled(t('title')) + o.fileName),
      h('vscode-button', { secondary: true, onclick: () => host.notify({ type: 'recheck' }) }, t('recheck'))),
    h('div', { class: 'stats' },
      stat(t('format'), t(`format.${o.format}`)),
      stat(t('samples'), o.samples),
      stat(t('errors'), o.counts.error, o.counts.error ? 'sev-error' : ''),
      stat(t('warnings'), o.counts.warning, o.counts.warning ? 'sev-warning' : ''),
      stat(t('infos'), o.counts.information + o.counts.hint)),
    o.byCode.length === 0 ? h('p', { id: 'no-problems' }, t('noProblems')) : null,
    o.byCode.length > 0 && h('h2', {}, t('byCode')),
    o.byCode.length > 0 && h('table', { id: 'by-code' },
      h('thead', {}, h('tr', {}, h('th', {}, t('code')), h('th', {}, t('count')), h('th', {}, t('message')))),
      h('tbody', {}, ...o.byCode.map((c) => h('tr', {},
        h('td', { class: `sev-${c.severity}` }, c.code), h('td', {}, h('vscode-badge', {}, c.count)), h('td', {}, c.example))))),
    o.problems.length > 0 && h('h2', {}, t('problems')),
    o.problems.length > 0 && h('table', { id: 'problems' },
      h('thead', {}, h('tr', {}, h('th', {}, t('line')), h('th', {}, t('code')), h('th', {}, t('message')))),
      h('tbody', {}, ...problemRows)),
    o.omitted > 0 && h('p', { class: 'muted' }, `+${o.omitted} ${t('omitted')}`),
  );
}

// Show the last overview at once when the panel is restored, before the host answers.
const saved = vscodeApi.getState() as { overview?: DatasetOverview } | undefined;
if (saved?.overview) draw(saved.overview);
host.notify({ type: 'ready' });
