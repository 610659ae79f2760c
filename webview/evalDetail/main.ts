// The eval-detail webview: every sample of an eval run in a virtualised list — prompt, reference, each model's
// answer with a word/character diff against the reference, per-sample BLEU-4 / ROUGE-1/2/L — with search, sorting
// (largest drop against the base model, or any score) and a jump to the sample's line in the test set.
// All text is set with textContent: an answer that contains markup shows as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { connectToHost, vscodeApi } from '../common/host';
import { h, render } from '../common/dom';
import { diffText, type DiffGranularity } from '../../src/shared/diff';
import { EvalDetailHostMessage, SCORE_NAMES, type DetailRow, type EvalDetail, type EvalDetailWebviewMessage } from '../../src/shared/protocol/evalDetail';
import { searchTexts, visibleRows, type SortKind, type ViewOptions } from './rows';
import { VirtualList } from './virtualList';
import { adoptStyles } from '../common/adoptStyles';
import { DETAIL_CSS } from './styles';
import { labelled } from '../common/label';
import { makeTexts } from '../common/texts';

adoptStyles(DETAIL_CSS);

interface State extends ViewOptions { granularity: DiffGranularity; scrollTop: number }
const saved = (vscodeApi.getState() ?? {}) as Partial<State>;
const state: State = {
  search: typeof saved.search === 'string' ? saved.search : '',
  sort: saved.sort === 'drop' || saved.sort === 'score' ? saved.sort : 'index',
  model: typeof saved.model === 'number' ? saved.model : -1,
  metric: typeof saved.metric === 'number' && saved.metric >= 0 && saved.metric < 4 ? saved.metric : 3,
  descending: saved.descending === true,
  granularity: saved.granularity === 'character' ? 'character' : 'word',
  scrollTop: typeof saved.scrollTop === 'number' ? saved.scrollTop : 0,
};
let saveTimer: ReturnType<typeof setTimeout> | undefined;
const saveState = () => {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => vscodeApi.setState(state), 200);
};

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t, fill } = strings;
const ROW_HEIGHT = 184;
const INDEX_COLUMN = '56px';
/** The narrowest a prompt, reference or answer column gets. */
const MIN_COLUMN = '14em';
/** The grid's gap (styles.ts, .sample). */
const COLUMN_GAP = '8px';

let detail: EvalDetail | undefined;
let texts: string[] = [];
let order: number[] = [];
let list: VirtualList | undefined;
let countLabel: HTMLElement | undefined;

const host = connectToHost<EvalDetailHostMessage, EvalDetailWebviewMessage>(EvalDetailHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      return;
    case 'error':
      detail = undefined;
      list = undefined;
      return render(root, h('p', { id: 'error', class: 'sev-error' }, message.message));
    case 'detail': {
      const started = performance.now();
      show(message.detail);
      // Read by the UI test and the benchmark: the time from the message to the first rows on screen.
      document.body.dataset['renderMs'] = (performance.now() - started).toFixed(1);
      return;
    }
  }
});

const fmt = (x: number) => x.toFixed(2);

/** The model compared against the base by default: the first one that is not the base. */
function defaultModel(d: EvalDetail): number {
  const i = d.models.findIndex((m) => !m.isBase);
  return i >= 0 ? i : 0;
}

function show(d: EvalDetail): void {
  const first = detail === undefined;
  detail = d;
  texts = searchTexts(d.rows);
  if (state.model < 0 || state.model >= d.models.length) state.model = defaultModel(d);
  const viewport = h('div', { id: 'rows', role: 'list' });
  countLabel = h('span', { id: 'count', class: 'muted' });
  render(root, h('div', { class: 'eval-header' }, ...header(d)), viewport);
  list = new VirtualList(viewport, ROW_HEIGHT, (position) => rowView(d, d.rows[order[position]!]!));
  refresh();
  if (first && state.scrollTop > 0) list.scrollTo(state.scrollTop);
  viewport.addEventListener('scroll', () => { state.scrollTop = viewport.scrollTop; saveState(); }, { passive: true });
}

function select(id: string, label: string, options: [string, string][], value: string, onChange: (value: string) => void): HTMLElement {
  const el = h('vscode-single-select', { id, 'aria-label': label, title: label });
  for (const [v, label] of options) {
    const option = h('vscode-option', { value: v }, label);
    if (v === value) option.setAttribute('selected', '');
    el.append(option);
  }
  el.addEventListener('change', () => onChange((el as unknown as { value: string }).value));
  return el;
}

function header(d: EvalDetail): (HTMLElement | null)[] {
  const baseMean = d.models.find((m) => m.isBase)?.mean;
  const meanLine = (m: EvalDetail['models'][number]) => {
    const el = h('span', { class: 'nums' });
    SCORE_NAMES.forEach((n, i) => {
      const value = m.mean?.[i];
      if (value === undefined) return;
      el.append(`${i > 0 ? ' · ' : ' '}${n.toUpperCase()} ${fmt(value)}`);
      const delta = baseMean && !m.isBase ? value - baseMean[i]! : undefined;
      if (delta !== undefined) el.append(h('span', { class: delta < 0 ? 'worse' : delta > 0 ? 'better' : '' }, ` (${delta > 0 ? '+' : ''}${fmt(delta)})`));
    });
    return el;
  };
  const means = h('div', { class: 'model-means', id: 'means' }, ...d.models.map((m) => h('div', { class: 'model-mean', 'data-model': m.id },
    h('span', { class: 'name' }, m.name, m.isBase ? h('span', { class: 'tag' }, t('base')) : null), meanLine(m))));
  const search = h('vscode-textfield', { id: 'search', placeholder: t('search'), value: state.search, 'aria-label': t('search') });
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.search = (search as unknown as { value: string }).value;
      saveState();
      refresh();
    }, 120);
  });
  const hasBase = d.models.some((m) => m.isBase);
  const sorts: [string, string][] = [['index', t('sortIndex')], ['score', t('sortScore')]];
  if (hasBase) sorts.splice(1, 0, ['drop', t('sortDrop')]);
  const sortSelect = select('sort', t('sortBy'), sorts, state.sort, (v) => { state.sort = v as SortKind; state.descending = v === 'drop'; syncOrder(); saveState(); refresh(); });
  const models = select('model', t('model'), d.models.map((m, i) => [String(i), m.name]), String(state.model), (v) => { state.model = Number(v); saveState(); refresh(); });
  const metric = select('metric', t('sortScore'), SCORE_NAMES.map((n, i) => [String(i), n.toUpperCase()]), String(state.metric), (v) => { state.metric = Number(v); saveState(); refresh(); });
  const direction = select('direction', t('sortBy'), [['asc', t('ascending')], ['desc', t('descending')]], state.descending ? 'desc' : 'asc', (v) => { state.descending = v === 'desc'; saveState(); refresh(); });
  const syncOrder = () => { (direction as unknown as { value: string }).value = state.descending ? 'desc' : 'asc'; };
  const granularity = select('granularity', t('diffWords'), [['word', t('diffWords')], ['character', t('diffCharacters')]], state.granularity, (v) => {
    state.granularity = v === 'character' ? 'character' : 'word';
    saveState();
    list?.setCount(order.length);
  });
  const segmentation = select('segmentation', t('segmentation'), [['jieba', t('segJieba')], ['whitespace', t('segWhitespace')], ['character', t('segCharacter')]], d.segmentation, (v) => {
    if (v === 'jieba' || v === 'whitespace' || v === 'character') host.notify({ type: 'rescore', segmentation: v });
  });
  return [
    h('h1', {}, labelled(t('title')) + d.title),
    d.testSet ? h('div', { class: 'muted' }, `${labelled(t('testSet'))}${d.testSet} · ${d.rows.length}`) : null,
    means,
    // A system prompt every sample shares: once, collapsed, instead of above the question in every card.
    d.sharedPrompt ? h('details', { class: 'shared-prompt', id: 'shared-prompt' },
      h('summary', {}, t('sharedPrompt')), h('div', { class: 'shared-text' }, d.sharedPrompt)) : null,
    h('div', { class: 'toolbar' }, search, h('label', {}, t('sortBy')), sortSelect, models, metric, direction, granularity,
      h('label', {}, t('segmentation')), segmentation,
      h('vscode-button', { id: 'compare', secondary: true, onclick: () => host.notify({ type: 'compare' }) }, t('compare')),
      h('vscode-button', { id: 'add-model', secondary: true, onclick: () => host.notify({ type: 'addModel' }) }, t('addModel')),
      countLabel!),
  ];
}

/** Re-filters and re-sorts, and shows the list from the top. */
function refresh(): void {
  if (!detail || !list) return;
  order = visibleRows(detail, texts, state);
  if (countLabel) countLabel.textContent = fill('shown', order.length, detail.rows.length);
  list.setCount(order.length);
}

function diffView(reference: string, answer: string): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const seg of diffText(reference, answer, state.granularity)) {
    if (seg.op === 'equal') out.append(document.createTextNode(seg.text));
    else out.append(h('span', { class: seg.op === 'insert' ? 'ins' : 'del' }, seg.text));
  }
  return out;
}

function scoreLine(d: EvalDetail, row: DetailRow, m: number): HTMLElement {
  const own = row.answers[m]?.scores;
  const base = d.models.findIndex((x) => x.isBase);
  const baseScores = base >= 0 && base !== m ? row.answers[base]?.scores : undefined;
  const el = h('span', { class: 'scores' });
  if (!own) return el;
  SCORE_NAMES.forEach((name, i) => {
    if (i > 0) el.append(' · ');
    const value = own[i]!;
    const cls = baseScores ? (value < baseScores[i]! ? 'worse' : value > baseScores[i]! ? 'better' : '') : '';
    el.append(h('span', { class: cls, title: baseScores ? `${name}: ${fmt(value - baseScores[i]!)} vs base` : name }, `${name.toUpperCase()} ${fmt(value)}`));
  });
  return el;
}

function rowView(d: EvalDetail, row: DetailRow): HTMLElement {
  const el = h('div', { class: 'sample', role: 'listitem', 'data-index': row.index });
  // Each column keeps a readable width: a narrow panel scrolls sideways instead of squeezing them to a character.
  const columns = 2 + d.models.length;
  el.style.gridTemplateColumns = `${INDEX_COLUMN} repeat(${columns}, minmax(${MIN_COLUMN}, 1fr))`;
  el.style.minWidth = `calc(${INDEX_COLUMN} + ${columns} * (${MIN_COLUMN} + ${COLUMN_GAP}) + 8px)`;
  const jump = row.line !== undefined && d.testSet
    ? h('a', {
      title: t('openSample'), tabindex: 0, role: 'button', class: 'reveal',
      onclick: () => host.notify({ type: 'reveal', index: row.index }),
      onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Enter') host.notify({ type: 'reveal', index: row.index }); },
    }, `L${row.line + 1}`)
    : null;
  el.append(
    h('div', { class: 'cell index-cell' }, `#${row.index + 1}`, jump),
    h('div', { class: 'cell prompt' }, h('span', { class: 'label' }, t('prompt')), row.prompt),
    h('div', { class: 'cell reference' }, h('span', { class: 'label' }, t('reference')), row.label),
  );
  d.models.forEach((model, m) => {
    const answer = row.answers[m];
    el.append(h('div', { class: 'cell answer', 'data-model': model.id },
      h('span', { class: 'label' }, model.name, scoreLine(d, row, m)),
      answer ? diffView(row.label, answer.text) : h('span', { class: 'none' }, t('noAnswer'))));
  });
  return el;
}

host.notify({ type: 'ready' });
