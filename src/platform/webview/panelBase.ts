import * as vscode from 'vscode';
import type { z } from 'zod';
import { Disposable } from '../dispose';
import { RpcPeer } from '../../shared/rpc';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * Holds the open panels of a kind by key (one key: a single panel that follows the active dataset; a file's
 * URI: one panel per file). `show` brings an open one back through `reuse`, or creates it.
 */
export class PanelSlot<P extends { register<T extends vscode.Disposable>(d: T): T }> {
  private readonly open = new Map<string, P>();

  show(key: string, reuse: (panel: P) => void, create: () => P): P {
    const existing = this.open.get(key);
    if (existing) {
      reuse(existing);
      return existing;
    }
    const created = create();
    this.open.set(key, created);
    created.register({ dispose: () => { if (this.open.get(key) === created) this.open.delete(key); } });
    return created;
  }
}

export interface PanelSpec<TIn> {
  viewType: string;
  /** The bundle in dist/webview/ (webview/<bundle>/main.ts). */
  bundle: string;
  title: string;
  incoming: z.ZodType<TIn>;
}

/**
 * A webview panel of ours: the page under its CSP, the validated message channel, and `ready`.
 * Subclasses handle their page's messages.
 */
export abstract class WebviewPanelHost<TIn, TOut> extends Disposable {
  protected readonly peer: RpcPeer<TIn, TOut>;
  private markReady: () => void = () => undefined;
  /** Resolves when the page's script has run and said 'ready' (it runs only if the CSP let it). */
  readonly ready = new Promise<void>((resolve) => { this.markReady = resolve; });
  private closed = false;

  protected constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, spec: PanelSpec<TIn>, log: (line: string) => void) {
    super();
    this.register(panel);
    this.register({ dispose: () => { this.closed = true; } });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, spec.bundle, spec.title);
    this.peer = new RpcPeer<TIn, TOut>(
      // Nothing is posted to a disposed webview (a reload may finish after the panel was closed).
      { post: (m) => { if (!this.closed) void panel.webview.postMessage(m); }, listen: (cb) => panel.webview.onDidReceiveMessage(cb) },
      spec.incoming,
      (message) => this.handle(message),
      (problem) => log(`${spec.viewType}: the webview sent an invalid message: ${problem}`),
    );
    this.register({ dispose: () => this.peer.dispose() });
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** Creates a panel beside the active editor, without taking focus from it. */
  protected static createPanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
  }

  protected abstract handle(message: TIn): unknown;

  /** Called by the subclass when the page said 'ready' and got its first content. */
  protected pageReady(): void {
    this.markReady();
  }
}

/** A panel about one dataset document, shown beside it; it can be moved to another document and reveal a line. */
export abstract class DocumentPanel<TIn, TOut> extends WebviewPanelHost<TIn, TOut> {
  protected constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, spec: PanelSpec<TIn>, protected doc: vscode.TextDocument, log: (line: string) => void) {
    super(panel, extensionUri, spec, log);
  }

  /** Shows the panel for another document. */
  showFor(doc: vscode.TextDocument): void {
    this.doc = doc;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.refresh();
  }

  /** Sends the page what it shows for the current document. */
  protected abstract refresh(force?: boolean): Promise<void>;

  /** Selects and reveals a 0-based line of the document in the first editor column. */
  protected async revealLine(line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(this.doc, { viewColumn: vscode.ViewColumn.One });
    const position = new vscode.Position(Math.min(line, this.doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
}
