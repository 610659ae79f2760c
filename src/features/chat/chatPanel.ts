import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ChatCtx } from './context';
import { ChatSession } from './session';
import { readyModel, ModelUnavailable, type ModelSource } from './engines';
import { appendSample, CHATS_DIR, writeConversation } from './store';
import { chatStrings } from './strings';
import { ChatProbe, ChatWebviewMessage, MAX_CHAT_MODELS, type ChatHostMessage, type ChatModelInfo } from '../../shared/protocol/chat';
import { WebviewPanelHost } from '../../platform/webview/panelBase';
import { requireTrust, unsafePathText } from '../../platform/workspaceTrust';
import { UnsafePath } from '../../core/safeFiles';

/**
 * The trial chat: one panel per workspace, reused by every Try Model. It holds one ChatSession (the conversation
 * and its engines) and connects it to the page and to the workspace's `.finetune/chats/`.
 */
export class ChatPanel extends WebviewPanelHost<ChatWebviewMessage, ChatHostMessage> {
  static readonly viewType = 'finetune.chat';
  private static open: ChatPanel | undefined;
  readonly session: ChatSession;
  /** The conversation file last written (absolute), for tests and the "kept in" line. */
  lastWritten: string | undefined;
  private nextModel = 1;

  static show(ctx: ChatCtx): ChatPanel {
    const existing = ChatPanel.open;
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const created = new ChatPanel(WebviewPanelHost.createPanel(ctx.extensionUri, ChatPanel.viewType, vscode.l10n.t('Try Model')), ctx);
    ChatPanel.open = created;
    created.register({ dispose: () => { if (ChatPanel.open === created) ChatPanel.open = undefined; } });
    return created;
  }

  /** The open chat panel, if any. */
  static current(): ChatPanel | undefined {
    return ChatPanel.open;
  }

  private constructor(panel: vscode.WebviewPanel, private readonly ctx: ChatCtx) {
    super(panel, ctx.extensionUri, { viewType: ChatPanel.viewType, bundle: 'chat', title: panel.title, incoming: ChatWebviewMessage }, (s) => ctx.log.warn(s));
    this.session = new ChatSession({
      state: (state) => this.peer.notify({ type: 'state', state }),
      piece: (turn, model, text) => this.peer.notify({ type: 'piece', turn, model, text }),
      persist: (id, content) => this.persist(id, content),
      describe: (err) => (err instanceof Error ? err.message : String(err)),
    });
    this.register({ dispose: () => void this.session.dispose() });
  }

  /** Adds a model to the chat; undefined (the user was told why) when it cannot answer or the most already do. */
  async add(source: ModelSource): Promise<ChatModelInfo | undefined> {
    if (this.session.models.length >= MAX_CHAT_MODELS) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Up to {0} models answer side by side: remove one first.', MAX_CHAT_MODELS));
      return undefined;
    }
    try {
      const { info, engine } = await readyModel(this.ctx, source, `m${this.nextModel++}`);
      return this.session.addModel(info, engine) ? info : undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof ModelUnavailable)) this.ctx.log.error(`chat: adding a model failed: ${message}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  /** What each answer cell of the page holds (the integration tests ask). */
  probe(): Promise<ChatProbe> {
    return this.peer.request({ type: 'probe' }, ChatProbe);
  }

  protected async handle(message: ChatWebviewMessage): Promise<unknown> {
    const s = this.session;
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: chatStrings() });
        this.peer.notify({ type: 'state', state: s.state });
        this.pageReady();
        return null;
      case 'send':
        await s.send(message.text);
        return null;
      case 'stop':
        s.stop();
        return null;
      case 'regenerate':
        await s.regenerate();
        return null;
      case 'editTurn':
        await s.editTurn(message.turn, message.text);
        return null;
      case 'clear':
        s.clear();
        return null;
      case 'setSystem':
        s.setSystem(message.text);
        return null;
      case 'setParams':
        s.setParams(message.params);
        return null;
      case 'showPrompt':
        await this.showPrompt(message.model);
        return null;
      case 'saveSample':
        await this.saveSample(message.model);
        return null;
      case 'addModel':
        await vscode.commands.executeCommand('finetune.tryModel');
        return null;
      case 'removeModel':
        await s.removeModel(message.model);
        return null;
    }
  }

  /** "What the model sees": the prompt the model's last answer was generated from, exactly as rendered. */
  async showPrompt(model: string): Promise<void> {
    const info = this.session.models.find((m) => m.id === model);
    const engine = this.session.engineOf(model);
    if (!info || !engine) return;
    if (!engine.render) {
      this.peer.notify({ type: 'prompt', model, label: info.label, error: chatStrings().noPromptView! });
      return;
    }
    try {
      const rendered = await engine.render(this.session.lastPromptOf(model));
      this.peer.notify({ type: 'prompt', model, label: info.label, text: rendered.text, tokens: rendered.tokens });
    } catch (err) {
      this.peer.notify({ type: 'prompt', model, label: info.label, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Appends the conversation as `model` answered it to a dataset file (`file`, or one the user picks). */
  async saveSample(model: string, file?: string): Promise<string | undefined> {
    const messages = this.session.sampleOf(model);
    if (!messages) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This model has not answered yet: there is nothing to save.'));
      return undefined;
    }
    if (!requireTrust(vscode.l10n.t('save training samples'))) return undefined;
    const target = file ?? (await pickDataset());
    if (!target) return undefined;
    try {
      await appendSample(target, messages);
    } catch (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot add the sample to {0}: {1}', vscode.workspace.asRelativePath(target), errorText(err)));
      return undefined;
    }
    const label = this.session.models.find((m) => m.id === model)?.label ?? model;
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved the conversation with {0} to {1} as a training sample.', label, vscode.workspace.asRelativePath(target)));
    return target;
  }

  private async persist(id: string, content: string): Promise<void> {
    const workspace = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    // Nothing is written in Restricted Mode, nor without a folder to keep it in.
    if (!workspace || !vscode.workspace.isTrusted) return;
    try {
      this.lastWritten = await writeConversation(workspace, id, content);
      this.session.setFileLabel(path.join(CHATS_DIR, path.basename(this.lastWritten)));
      this.peer.notify({ type: 'state', state: this.session.state });
    } catch (err) {
      const message = vscode.l10n.t('Cannot keep the conversation in {0}: {1}', CHATS_DIR, errorText(err));
      this.ctx.log.warn(message);
      this.peer.notify({ type: 'error', message });
    }
  }
}

function errorText(err: unknown): string {
  if (err instanceof UnsafePath) return unsafePathText(err);
  return err instanceof Error ? err.message : String(err);
}

/** A dataset file of the workspace (JSON Lines), or another one through the file dialog. */
async function pickDataset(): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles('**/*.jsonl', '{**/node_modules/**,**/.finetune/**}', 500);
  const browse = { label: vscode.l10n.t('Browse…'), path: undefined as string | undefined };
  const items = [...files.map((f) => ({ label: vscode.workspace.asRelativePath(f), path: f.fsPath as string | undefined })).sort((a, b) => a.label.localeCompare(b.label)), browse];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Save as Training Sample'), placeHolder: vscode.l10n.t('The dataset file to add the conversation to') });
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showSaveDialog({ filters: { 'JSON Lines': ['jsonl'] }, saveLabel: vscode.l10n.t('Add to This File') });
  return chosen?.fsPath;
}
