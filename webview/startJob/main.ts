// The Start Job form (host side: src/features/jobs/startJob/panel.ts). It holds the job spec being written, sends it to
// the host on every change (the host validates it with the zod JobSpec, checks the datasets and recommends
// hyperparameters) and shows what comes back: issues next to their fields, the dataset's findings (errors block
// Start; click one to open its line), and the reason under each recommended value. Recommended values fill only
// the fields the user (or the spec the form was opened with) has not set.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { connectToHost } from '../common/host';
import { h, render } from '../common/dom';
import {
  ActionReply, PickReply, StartJobHostMessage,
  AddBackendReply,
  type BackendChoice, type DatasetCheck, type DatasetRole, type FormSpec, type Issue, type ModelChoice, type Recommendations, type StartJobWebviewMessage,
} from '../../src/shared/protocol/startJob';
import { TrainingMethod } from '../../src/shared/job';
import { HYPERPARAMETER_DEFAULTS } from '../../src/shared/hyperDefaults';
import { makeTexts } from '../common/texts';

type Control = HTMLElement & { value: string; invalid?: boolean; disabled?: boolean };
type Recommended = 'epochs' | 'learningRate' | 'batchSize' | 'gradientAccumulation' | 'maxLength';
type HyperField = Recommended | 'loraRank' | 'loraAlpha' | 'loraDropout' | 'virtualTokens';
const RECOMMENDED: readonly Recommended[] = ['epochs', 'learningRate', 'batchSize', 'gradientAccumulation', 'maxLength'];
const LORA_ONLY: readonly HyperField[] = ['loraRank', 'loraAlpha', 'loraDropout'];
const HYPER: readonly HyperField[] = [...RECOMMENDED, ...LORA_ONLY, 'virtualTokens'];
/** What an empty field trains with (the spec schema's defaults), shown as its placeholder. */
const DEFAULTS: Partial<Record<HyperField, number>> = HYPERPARAMETER_DEFAULTS;

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t, fill } = strings;

let form: FormSpec = {};
let models: ModelChoice[] = [];
let datasets: string[] = [];
let backends: BackendChoice[] = [];
/** Hyperparameters the user or the opening spec set: recommendations leave them alone. */
const touched = new Set<string>();
const checks: Partial<Record<DatasetRole, DatasetCheck | null>> = {};
let recommendations: Recommendations | undefined;
let issues: Issue[] = [];
let busy = false;
let ui: ReturnType<typeof build> | undefined;

const host = connectToHost<StartJobHostMessage, StartJobWebviewMessage>(StartJobHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      return;
    case 'init':
      form = structuredClone(message.spec);
      models = message.models;
      datasets = message.datasets;
      backends = message.backends;
      touched.clear();
      for (const key of Object.keys(hyper())) touched.add(key);
      recommendations = undefined;
      ui = build();
      return;
    case 'backends': {
      backends = message.backends;
      const chosen = message.select === undefined ? undefined : backends.find((b) => b.name === message.select);
      if (chosen) setBackend(`${chosen.kind}:${chosen.name}`);
      showBackendChoices();
      changed();
      return;
    }
    case 'dataset':
      checks[message.role] = message.check;
      return showCheck(message.role);
    case 'recommendations':
      recommendations = message.recommendations;
      return applyRecommendations();
    case 'issues':
      issues = message.issues;
      return showIssues();
  }
});

// --- the spec being written -------------------------------------------------------------------------------------

const hyper = () => (form['hyperparameters'] ??= {}) as Record<string, unknown>;
/** The spec's backend object, changed in place (the devices field holds on to it). */
const backendSpec = () => (form['backend'] ??= { kind: 'local', devices: 'auto' }) as Record<string, unknown>;
const dataset = () => (form['dataset'] ??= {}) as Record<string, unknown>;

/** A number the user typed; text that is not one stays text so the host's validation names the field. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === '') delete target[key];
  else target[key] = value;
}

let changeTimer: ReturnType<typeof setTimeout> | undefined;
function changed(): void {
  clearTimeout(changeTimer);
  changeTimer = setTimeout(() => host.notify({ type: 'changed', spec: form }), 150);
}

// --- building the form ----------------------------------------------------------------------------------------

function textfield(id: string, value: unknown, oninput: (v: string) => void, extra: Record<string, string | boolean> = {}): Control {
  const el = h('vscode-textfield', { id, ...extra }) as Control;
  el.value = value === undefined || value === null ? '' : String(value);
  el.addEventListener('input', () => { oninput(el.value); changed(); });
  return el;
}

function select(id: string, options: readonly [value: string, label: string][], value: string, onchange: (v: string) => void): Control {
  const el = h('vscode-single-select', { id }, ...options.map(([v, label]) => h('vscode-option', { value: v, selected: v === value }, label))) as Control;
  el.value = value;
  el.addEventListener('change', () => { onchange(el.value); changed(); });
  return el;
}

/** A labelled field with a place for its reason line and its error. */
function field(path: string, label: string, control: HTMLElement, ...after: HTMLElement[]): HTMLElement {
  const id = fieldId(path);
  control.setAttribute('aria-describedby', `reason-${id} error-${id}`);
  return h('div', { class: 'field', id: `field-${id}` },
    h('vscode-label', { for: control.id }, label),
    h('div', { class: 'field-row' }, control, ...after),
    h('vscode-form-helper', { class: 'reason', id: `reason-${id}` }),
    h('div', { class: 'field-error sev-error', id: `error-${id}`, role: 'alert' }));
}

const fieldId = (path: string) => path.replace(/[^\w]+/g, '-');

function build() {
  const method = select('method', TrainingMethod.options.map((m) => [m, t(m)] as [string, string]), String(form['method'] ?? 'lora'), (v) => {
    form['method'] = v;
    showMethodFields();
  });
  const baseModel = textfield('baseModel', form['baseModel'], (v) => { form['baseModel'] = v.trim(); }, { placeholder: t('baseModelHint') });
  const configured = select('configuredModels', [['', t('configuredModels')], ...models.map((m) => [m.ref, `${m.ref} — ${m.detail}`] as [string, string])], '', (v) => {
    if (!v) return;
    form['baseModel'] = v;
    baseModel.value = v;
  });
  const browseModel = h('vscode-button', { id: 'browse-model', secondary: true, onclick: async () => {
    const reply = await host.request({ type: 'pickModelFolder' }, PickReply, 10 * 60_000);
    if (reply.path === null) return;
    form['baseModel'] = reply.path;
    baseModel.value = reply.path;
    changed();
  } }, t('browseFolder'));

  const train = datasetSelect('train');
  const evalSet = datasetSelect('eval');
  const evalShare = textfield('evalShare', dataset()['evalShare'], (v) => setOrDelete(dataset(), 'evalShare', numberOrText(v)), { placeholder: '0.1' });

  const hyperFields = HYPER.map((name) => field(`hyperparameters.${name}`, t(name),
    textfield(name, hyper()[name], (v) => {
      touched.add(name);
      setOrDelete(hyper(), name, numberOrText(v));
    }, { placeholder: String(DEFAULTS[name] ?? '') })));
  const overLength = select('overLength', [['drop', t('drop')], ['truncate', t('truncate')]], String(hyper()['overLength'] ?? 'drop'), (v) => { hyper()['overLength'] = v; });

  const backend = backendSpec();
  const target = select('backendTarget', backendOptions(), backendValue(), (v) => {
    if (v === ADD_BACKEND) {
      target.value = backendValue();
      void addBackend();
      return;
    }
    setBackend(v);
  });
  const devices = backend['devices'];
  const gpuIndices = textfield('gpuIndices', Array.isArray(devices) ? devices.join(',') : '', (v) => { backend['devices'] = gpuList(v); }, { placeholder: t('gpuIndices') });
  const deviceKind = select('devices', [['auto', t('devicesAuto')], ['cpu', t('devicesCpu')], ['gpus', t('devicesGpus')]],
    Array.isArray(devices) ? 'gpus' : String(devices ?? 'auto'), (v) => {
      backend['devices'] = v === 'gpus' ? gpuList(gpuIndices.value) : v;
      gpuIndices.hidden = v !== 'gpus';
    });
  gpuIndices.hidden = !Array.isArray(devices);

  const start = h('vscode-button', { id: 'start', onclick: () => void act('start') }, t('start')) as Control;
  const save = h('vscode-button', { id: 'save', secondary: true, onclick: () => void act('save') }, t('save')) as Control;
  const general = h('div', { id: 'general-errors', class: 'sev-error', role: 'alert' });

  render(root,
    h('h1', {}, t('title')),
    h('p', { class: 'muted' }, t('intro')),
    h('section', { class: 'form' },
      field('name', t('name'), textfield('name', form['name'], (v) => { form['name'] = v; })),
      field('description', t('description'), textarea()),
      field('method', t('method'), method),
      field('baseModel', t('baseModel'), baseModel, browseModel, configured),
      field('dataset.train', t('trainDataset'), train.control, ...train.buttons),
      h('div', { class: 'check', id: 'check-train' }),
      field('dataset.eval', t('evalDataset'), evalSet.control, ...evalSet.buttons),
      h('div', { class: 'check', id: 'check-eval' }),
      field('dataset.evalShare', t('evalShare'), evalShare)),
    h('h2', {}, t('hyperparameters')),
    h('section', { class: 'form grid' }, ...hyperFields, field('hyperparameters.overLength', t('overLength'), overLength)),
    h('h2', {}, t('backend')),
    h('section', { class: 'form' },
      field('backend.name', t('backendWhere'), target),
      h('div', { class: 'check', id: 'backend-details' }),
      field('backend.devices', t('devices'), deviceKind, gpuIndices)),
    general,
    h('div', { class: 'toolbar actions' }, start, save, h('span', { id: 'blocked', class: 'sev-error' })));

  const built = { start, save, train: train.control, evalSet: evalSet.control, evalShare, general };
  ui = built;
  showMethodFields();
  showEvalShare();
  showBackendDetails();
  for (const role of ['train', 'eval'] as const) showCheck(role);
  applyRecommendations();
  showIssues();
  return built;
}

function textarea(): Control {
  const el = h('vscode-textarea', { id: 'description', rows: 2 }) as Control;
  el.value = typeof form['description'] === 'string' ? form['description'] : '';
  el.addEventListener('input', () => { setOrDelete(form, 'description', el.value); changed(); });
  return el;
}

function gpuList(text: string): unknown {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.map((p) => numberOrText(p));
}

function datasetSelect(role: DatasetRole): { control: Control; buttons: HTMLElement[] } {
  const current = typeof dataset()[role] === 'string' ? String(dataset()[role]) : '';
  const values = [...new Set([...(role === 'eval' || !current ? [''] : []), ...(current ? [current] : []), ...datasets])];
  const label = (v: string) => (v === '' ? t(role === 'eval' ? 'evalNone' : 'noDataset') : v);
  const control = select(role === 'train' ? 'train' : 'eval', values.map((v) => [v, label(v)]), current, (v) => {
    setOrDelete(dataset(), role, v);
    showEvalShare();
  });
  const use = (path: string | null) => {
    if (path === null) return;
    if (![...control.querySelectorAll('vscode-option')].some((o) => o.getAttribute('value') === path)) control.append(h('vscode-option', { value: path }, path));
    control.value = path;
    dataset()[role] = path;
    showEvalShare();
    changed();
  };
  return {
    control,
    buttons: [
      h('vscode-button', { id: `pick-${role}`, secondary: true, onclick: async () => use((await host.request({ type: 'pickDataset', role }, PickReply, 10 * 60_000)).path) }, t('pick')),
      h('vscode-button', { id: `copy-${role}`, secondary: true, onclick: async () => use((await host.request({ type: 'copyDataset', role }, PickReply, 10 * 60_000)).path) }, t('copyIn')),
    ],
  };
}

function showMethodFields(): void {
  const method = String(form['method'] ?? 'lora');
  for (const name of LORA_ONLY) document.getElementById(`field-hyperparameters-${name}`)?.toggleAttribute('hidden', method !== 'lora');
  document.getElementById('field-hyperparameters-virtualTokens')?.toggleAttribute('hidden', method !== 'p_tuning' && method !== 'prefix_tuning');
}

function showEvalShare(): void {
  document.getElementById('field-dataset-evalShare')?.toggleAttribute('hidden', typeof dataset()['eval'] === 'string' && dataset()['eval'] !== '');
}

// --- where it runs ---------------------------------------------------------------------------------------------

const ADD_BACKEND = '+add';

/** The chooser's value for the spec's backend: "local", or "<kind>:<name>". */
function backendValue(): string {
  const b = backendSpec();
  return b['kind'] === 'ssh' || b['kind'] === 'slurm' ? `${String(b['kind'])}:${String(b['name'] ?? '')}` : 'local';
}

function backendOptions(): [value: string, label: string][] {
  const options: [string, string][] = [
    ['local', t('backendLocal')],
    ...backends.map((b): [string, string] => [`${b.kind}:${b.name}`, fill(b.kind === 'ssh' ? 'backendSsh' : 'backendSlurm', b.name, b.where)]),
  ];
  // A spec naming a backend the settings lack keeps it chosen: its issue, at the field, says what is wrong.
  const current = backendValue();
  if (!options.some(([v]) => v === current)) options.push([current, current]);
  return [...options, [ADD_BACKEND, t('backendAdd')]];
}

/** Chooses a backend by the chooser's value, keeping the devices. */
function setBackend(value: string): void {
  const b = backendSpec();
  const colon = value.indexOf(':');
  if (colon < 0) {
    b['kind'] = 'local';
    delete b['name'];
  } else {
    b['kind'] = value.slice(0, colon);
    b['name'] = value.slice(colon + 1);
  }
  showBackendDetails();
}

/** Re-fills the chooser after the host's list changed. */
function showBackendChoices(): void {
  const control = document.getElementById('backendTarget') as Control | null;
  if (!control) return;
  const value = backendValue();
  control.replaceChildren(...backendOptions().map(([v, label]) => h('vscode-option', { value: v, selected: v === value }, label)));
  control.value = value;
  showBackendDetails();
}

/** "Add SSH backend…": the host asks for it and, once one is added, sends the new list with it chosen. */
async function addBackend(): Promise<void> {
  await host.request({ type: 'addBackend' }, AddBackendReply, 30 * 60_000);
}

/** A Slurm backend's resources and its last probe; an SSH backend's host. */
function showBackendDetails(): void {
  const box = document.getElementById('backend-details');
  if (!box) return;
  const b = backendSpec();
  const chosen = backends.find((c) => c.kind === b['kind'] && c.name === b['name']);
  if (!chosen) return render(box);
  if (chosen.kind === 'ssh') return render(box, h('p', { class: 'muted', id: 'backend-probe' }, chosen.probe ?? chosen.where));
  render(box,
    h('p', {}, t('slurmResources')),
    h('table', { id: 'slurm-resources' }, ...chosen.resources.map((r) => h('tr', {}, h('td', {}, r.label), h('td', {}, r.value)))),
    h('p', { class: 'muted' }, t('slurmResourcesNote')),
    h('p', { class: 'muted', id: 'backend-probe' }, chosen.probe ?? t('probeNone')));
}

// --- what the host says -----------------------------------------------------------------------------------------

function applyRecommendations(): void {
  if (!recommendations || !ui) return;
  for (const name of RECOMMENDED) {
    const reason = document.getElementById(`reason-hyperparameters-${name}`);
    if (reason) reason.textContent = recommendations.reasons[name] ?? '';
    const value = recommendations.values[name];
    if (touched.has(name) || value === undefined) continue;
    hyper()[name] = value;
    const control = document.getElementById(name) as Control | null;
    if (control) control.value = String(value);
  }
  changed();
}

function showCheck(role: DatasetRole): void {
  const box = document.getElementById(`check-${role}`);
  if (!box) return;
  const check = checks[role];
  if (!check) {
    render(box);
    updateStart();
    return;
  }
  if (check.state === 'checking') {
    render(box, h('div', { class: 'toolbar' }, h('vscode-progress-ring', {}), h('span', { class: 'muted' }, t('checking'))));
  } else if (check.state !== 'done') {
    render(box, h('p', { class: 'sev-error', id: `check-${role}-note` }, fill('stateNote', t(check.state), check.note ?? check.file)));
  } else {
    const summary = fill('summary', check.samples ?? 0, check.errorCount, check.warningCount);
    render(box,
      h('p', { id: `check-${role}-summary`, class: check.errorCount ? 'sev-error' : check.warningCount ? 'sev-warning' : 'muted' }, summary),
      check.tokens && h('p', { class: 'muted', id: `check-${role}-tokens` },
        fill('tokensLine', check.tokens.p95, check.tokens.p99, check.tokens.max, check.tokens.model)),
      check.note && h('p', { class: 'muted', id: `check-${role}-note` }, check.note),
      findingList(role, 'error', check.file, check.errors, check.errorCount),
      findingList(role, 'warning', check.file, check.warnings, check.warningCount));
  }
  updateStart();
}

function findingList(role: DatasetRole, severity: 'error' | 'warning', file: string, findings: DatasetCheck['errors'], total: number): HTMLElement | false {
  if (findings.length === 0) return false;
  const rows = findings.map((f) => h('tr', {
    class: `clickable finding sev-${severity}`, tabindex: 0, 'data-line': f.line,
    onclick: () => host.notify({ type: 'openLine', file, line: f.line }),
    onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Enter') host.notify({ type: 'openLine', file, line: f.line }); },
  }, h('td', {}, String(f.line)), h('td', {}, f.code), h('td', {}, f.message)));
  const more = total - findings.length;
  const table = h('table', { id: `${severity}s-${role}` }, ...rows);
  const body = h('div', {}, table, more > 0 && h('p', { class: 'muted' }, `+${more} ${t('more')}`));
  // Errors stay open (they block Start); warnings fold away.
  return severity === 'error' ? body : h('details', {}, h('summary', {}, `${total} ${t('warnings')}`), body);
}

/** Start needs a checked training set without errors, and nothing else under way. */
function updateStart(): void {
  if (!ui) return;
  const train = checks.train;
  const evalCheck = checks.eval;
  const blocked = [train, evalCheck].some((c) => c && (c.state === 'missing' || c.state === 'failed' || (c.state === 'done' && c.errorCount > 0)));
  const waiting = !train || train.state === 'checking' || evalCheck?.state === 'checking';
  ui.start.disabled = busy || blocked || waiting;
  document.getElementById('blocked')!.textContent = blocked ? t('blocked') : !train ? t('noDataset') : '';
}

function showIssues(): void {
  for (const el of document.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of document.querySelectorAll('[invalid]')) (el as Control).invalid = false;
  const general: string[] = [];
  for (const issue of issues) {
    // An issue inside a field (backend.devices[1]) shows at that field.
    const base = issue.path.replace(/\[\d+\]$/, '');
    const box = document.getElementById(`error-${fieldId(base)}`);
    if (!box) {
      general.push(`${issue.path}: ${issue.message}`);
      continue;
    }
    box.textContent = box.textContent ? `${box.textContent} ${issue.message}` : issue.message;
    const control = box.parentElement?.querySelector('vscode-textfield, vscode-single-select, vscode-textarea') as Control | null;
    if (control) control.invalid = true;
  }
  const box = ui?.general;
  if (box) render(box, ...general.map((line) => h('div', {}, line)));
}

async function act(kind: 'start' | 'save'): Promise<void> {
  clearTimeout(changeTimer);
  busy = true;
  updateStart();
  try {
    const reply = await host.request({ type: kind, spec: form }, ActionReply, 10 * 60_000);
    if (!reply.ok && reply.issues.length) {
      issues = reply.issues;
      showIssues();
    }
  } finally {
    busy = false;
    updateStart();
  }
}

host.notify({ type: 'ready' });
