// The trial chat: 1–4 models answer the same messages side by side, each column streaming its answer with time to
// first token and tokens/s; the system prompt and parameters; stop, regenerate, edit a message and continue from
// it, clear; "What the model sees" for engines that render their prompt. The host owns the conversation (see
// src/shared/protocol/chat.ts); model and user text reach the DOM only as text (textContent, text nodes).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { connectToHost } from '../common/host';
import { h, render } from '../common/dom';
import { adoptStyles } from '../common/adoptStyles';
import { labelled } from '../common/label';
import { ChatHostMessage, ChatParams, type ChatProbe, type ChatAnswer, type ChatModelInfo, type ChatState, type ChatWebviewMessage } from '../../src/shared/protocol/chat';
import { CHAT_CSS } from './styles';
import { makeTexts } from '../common/texts';

adoptStyles(CHAT_CSS);

type Control = HTMLElement & { value: string; invalid?: boolean; disabled?: boolean };

const root = document.getElementById('root')!;
const strings = makeTexts();
const { t, fill } = strings;
let state: ChatState | undefined;
/** The turn being edited, if any. */
let editing: number | undefined;
/** The answer cells' text elements, by `turn:model`, for streamed pieces. */
const answerText = new Map<string, HTMLElement>();

const host = connectToHost<ChatHostMessage, ChatWebviewMessage>(ChatHostMessage, (message) => {
  switch (message.type) {
    case 'strings':
      strings.set(message.strings);
      buildFrame();
      return;
    case 'state':
      state = message.state;
      return showState();
    case 'piece': {
      const el = answerText.get(`${message.turn}:${message.model}`);
      // A text node: whatever the model wrote stays text.
      el?.append(document.createTextNode(message.text));
      if (el) keepScrolled();
      return;
    }
    case 'prompt':
      return showPrompt(message);
    case 'error':
      return showError(message.message);
    case 'probe':
      return probe();
  }
});

// The parts that stay while the conversation changes (the composer keeps what is typed).
const header = h('div', { class: 'chat-header' });
const settings = h('details', { class: 'chat-settings' });
const columns = h('div', { class: 'chat-columns', id: 'chat-columns' });
const transcript = h('div', { class: 'chat-transcript', id: 'chat-transcript' });
const promptView = h('div', { class: 'prompt-view', id: 'prompt-view', hidden: true });
const errorBar = h('div', { class: 'chat-error sev-error', id: 'chat-error', role: 'alert', hidden: true });
const composer = h('vscode-textarea', { id: 'chat-input', rows: 3, resize: 'vertical' }) as Control;
const sendButton = h('vscode-button', { id: 'chat-send', onclick: () => send() }) as Control;
const stopButton = h('vscode-button', { id: 'chat-stop', secondary: true, onclick: () => host.notify({ type: 'stop' }) }) as Control;
const regenerateButton = h('vscode-button', { id: 'chat-regenerate', secondary: true, onclick: () => host.notify({ type: 'regenerate' }) }) as Control;
const systemField = h('vscode-textarea', { id: 'chat-system', rows: 2, resize: 'vertical' }) as Control;
const paramFields = {
  temperature: h('vscode-textfield', { id: 'param-temperature' }) as Control,
  topP: h('vscode-textfield', { id: 'param-top-p' }) as Control,
  maxTokens: h('vscode-textfield', { id: 'param-max-tokens' }) as Control,
  stop: h('vscode-textfield', { id: 'param-stop' }) as Control,
};

composer.addEventListener('keydown', (e) => {
  const key = e as KeyboardEvent;
  if (key.key === 'Enter' && (key.ctrlKey || key.metaKey)) {
    key.preventDefault();
    send();
  }
});
systemField.addEventListener('change', () => host.notify({ type: 'setSystem', text: systemField.value }));
for (const field of Object.values(paramFields)) field.addEventListener('change', () => sendParams());

function buildFrame(): void {
  composer.setAttribute('placeholder', t('messagePlaceholder'));
  systemField.setAttribute('placeholder', t('systemPlaceholder'));
  paramFields.stop.setAttribute('placeholder', t('stopPlaceholder'));
  sendButton.textContent = t('send');
  stopButton.textContent = t('stopAnswer');
  regenerateButton.textContent = t('regenerate');
  const field = (label: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', { class: 'muted' }, label), control);
  render(settings,
    h('summary', {}, t('parameters')),
    field(t('system'), systemField),
    h('div', { class: 'param-row' },
      field(t('temperature'), paramFields.temperature), field(t('topP'), paramFields.topP),
      field(t('maxTokens'), paramFields.maxTokens), field(t('stop'), paramFields.stop)));
  render(root, header, settings, errorBar, columns, transcript, promptView,
    h('div', { class: 'composer' }, composer, h('div', { class: 'toolbar' }, sendButton, stopButton, regenerateButton)));
  if (state) showState();
}

function send(): void {
  const text = composer.value;
  if (!text.trim() || !state || state.busy || state.models.length === 0) return;
  composer.value = '';
  host.notify({ type: 'send', text });
}

function sendParams(): void {
  const candidate = {
    temperature: Number(paramFields.temperature.value),
    topP: Number(paramFields.topP.value),
    maxTokens: Number(paramFields.maxTokens.value),
    stop: paramFields.stop.value.split('|').filter((s) => s.length > 0),
  };
  const parsed = ChatParams.safeParse(candidate);
  for (const [key, control] of Object.entries(paramFields)) {
    control.invalid = !parsed.success && parsed.error.issues.some((i) => i.path[0] === key);
  }
  if (parsed.success) host.notify({ type: 'setParams', params: parsed.data });
}

function showState(): void {
  if (!state) return;
  const s = state;
  errorBar.hidden = true;
  render(header,
    h('h1', {}, t('title')),
    h('div', { class: 'toolbar' },
      h('vscode-button', { id: 'chat-add-model', secondary: true, disabled: s.models.length >= 4 || s.busy, onclick: () => host.notify({ type: 'addModel' }) }, t('addModel')),
      h('vscode-button', { id: 'chat-clear', secondary: true, disabled: s.busy, onclick: () => host.notify({ type: 'clear' }) }, t('clear')),
      s.file ? h('span', { class: 'muted', id: 'chat-file' }, fill('keptIn', s.file)) : null));
  if (document.activeElement !== systemField) systemField.value = s.system;
  const active = document.activeElement;
  if (!Object.values(paramFields).includes(active as Control)) {
    paramFields.temperature.value = String(s.params.temperature);
    paramFields.topP.value = String(s.params.topP);
    paramFields.maxTokens.value = String(s.params.maxTokens);
    paramFields.stop.value = s.params.stop.join('|');
  }
  columns.style.setProperty('--columns', String(Math.max(1, s.models.length)));
  render(columns, ...(s.models.length === 0 ? [h('p', { class: 'muted' }, t('noModels'))] : s.models.map((m) => modelHeader(m, s.busy))));
  answerText.clear();
  render(transcript, ...s.turns.map((turn, i) => h('section', { class: 'turn', 'data-turn': i },
    editing === i ? editor(i, turn.user) : userMessage(i, turn.user, s.busy),
    h('div', { class: 'answers' }, ...s.models.map((m) => answerCell(i, m, turn.answers[m.id]))))));
  // Through the CSSOM: the CSP refuses style attributes.
  transcript.style.setProperty('--columns', String(Math.max(1, s.models.length)));
  sendButton.disabled = s.busy || s.models.length === 0;
  stopButton.disabled = !s.busy;
  regenerateButton.disabled = s.busy || s.turns.length === 0;
  keepScrolled();
}

function modelHeader(m: ChatModelInfo, busy: boolean): HTMLElement {
  return h('div', { class: 'model-head', 'data-model': m.id },
    h('span', { class: 'model-label', title: m.label }, m.label),
    h('span', { class: 'muted kind' }, t(`kind.${m.kind}`)),
    h('div', { class: 'toolbar' },
      m.canRender ? h('vscode-button', { class: 'show-prompt', secondary: true, onclick: () => host.notify({ type: 'showPrompt', model: m.id }) }, t('whatModelSees')) : null,
      h('vscode-button', { class: 'save-sample', secondary: true, disabled: busy, onclick: () => host.notify({ type: 'saveSample', model: m.id }) }, t('saveSample')),
      h('vscode-button', { class: 'remove-model', secondary: true, disabled: busy, title: t('removeModel'), onclick: () => host.notify({ type: 'removeModel', model: m.id }) }, '×')),
    m.templateWarning ? h('div', { class: 'template-warning sev-warning', role: 'note' }, fill('templateWarning', m.templateWarning)) : null);
}

function userMessage(turn: number, text: string, busy: boolean): HTMLElement {
  return h('div', { class: 'user-message' },
    h('span', { class: 'who muted' }, t('you')),
    h('div', { class: 'text' }, text),
    h('vscode-button', { class: 'edit-turn', secondary: true, disabled: busy, onclick: () => { editing = turn; showState(); } }, t('edit')));
}

function editor(turn: number, text: string): HTMLElement {
  const area = h('vscode-textarea', { class: 'edit-text', rows: 3, resize: 'vertical' }) as Control;
  area.value = text;
  const done = () => { editing = undefined; };
  return h('div', { class: 'user-message editing' }, area, h('div', { class: 'toolbar' },
    h('vscode-button', { class: 'edit-save', onclick: () => {
      if (!area.value.trim()) return;
      done();
      host.notify({ type: 'editTurn', turn, text: area.value });
    } }, t('save')),
    h('vscode-button', { class: 'edit-cancel', secondary: true, onclick: () => { done(); showState(); } }, t('cancel'))));
}

function answerCell(turn: number, model: ChatModelInfo, answer: ChatAnswer | undefined): HTMLElement {
  const text = h('div', { class: 'text' }, answer?.text ?? '');
  answerText.set(`${turn}:${model.id}`, text);
  const facts: string[] = [];
  if (answer?.timeToFirstTokenMs !== undefined) facts.push(fill('ttft', Math.round(answer.timeToFirstTokenMs)));
  if (answer?.tokensPerSecond !== undefined) facts.push(fill('tps', answer.tokensPerSecond.toFixed(1)));
  if (answer?.status === 'cancelled') facts.push(t('statusCancelled'));
  if (answer?.status === 'length') facts.push(t('statusLength'));
  return h('div', { class: `answer status-${answer?.status ?? 'none'}`, 'data-model': model.id },
    text,
    answer?.status === 'streaming' ? h('span', { class: 'cursor muted' }, '▍') : null,
    answer?.error ? h('div', { class: 'sev-error answer-error' }, fill('statusFailed', answer.error)) : null,
    facts.length ? h('div', { class: 'muted facts' }, facts.join(' · ')) : null);
}

function showPrompt(p: Extract<ChatHostMessage, { type: 'prompt' }>): void {
  promptView.hidden = false;
  render(promptView,
    h('div', { class: 'toolbar' },
      h('h2', {}, labelled(t('whatModelSees')) + p.label),
      p.tokens !== undefined ? h('span', { class: 'muted', id: 'prompt-tokens' }, fill('tokens', p.tokens)) : null,
      h('vscode-button', { secondary: true, onclick: () => { promptView.hidden = true; } }, t('close'))),
    p.error ? h('p', { class: 'sev-error' }, p.error) : h('pre', { class: 'prompt-text', id: 'prompt-text' }, p.text ?? ''));
}

function showError(message: string): void {
  errorBar.hidden = false;
  errorBar.textContent = message;
}

function probe(): ChatProbe {
  return {
    answers: [...answerText].map(([key, el]) => {
      const [turn, ...model] = key.split(':');
      return { turn: Number(turn), model: model.join(':'), text: el.textContent ?? '', elements: el.querySelectorAll('*').length };
    }),
  };
}

/** Follows the streaming answers when the view is already at the bottom. */
function keepScrolled(): void {
  const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
  if (nearBottom) window.scrollTo(0, document.body.scrollHeight);
}

host.notify({ type: 'ready' });
