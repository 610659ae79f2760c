import * as vscode from 'vscode';
import type { z } from 'zod';
import { Disposable } from '../host/dispose';
import { RpcPeer } from '../shared/rpc';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Holds the one open panel of a kind: shows it for another document, or creates it when there is none. */
export class PanelSlot<P extends { showFor(doc: vscode.TextDocument): void; register<T extends vscode.Disposable>(d: T): T }> {
  private current: P | undefined;

  show(doc: vscode.TextDocument, create: () => P): P {
    if (this.current) {
      this.current.showFor(doc);
      return this.current;
    }
    const created = create();
    this.current = created;
    created.register({ dispose: () => { if (this.current === created) this.current = undefined; } });
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
 * A webview panel about one dataset document, shown beside it: the page, the validated message channel,
 * and revealing a line. Subclasses handle their page's messages and say what to show.
 */
export abstract class DocumentPanel<TIn, TOut> extends Disposable {
  protected readonly peer: RpcPeer<TIn, TOut>;
  private markReady: () => void = () => undefined;
  /** Resolves when the page's script has run and said 'ready' (it runs only if the CSP let it). */
  readonly ready = new Promise<void>((resolve) => { this.markReady = resolve; });

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    spec: PanelSpec<TIn>,
    protected doc: vscode.TextDocument,
    log: (line: string) => void,
  ) {
    super();
    this.register(panel);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, spec.bundle, spec.title);
    this.peer = new RpcPeer<TIn, TOut>(
      { post: (m) => void panel.webview.postMessage(m), listen: (cb) => panel.webview.onDidReceiveMessage(cb) },
      spec.incoming,
      (message) => this.handle(message),
      (problem) => log(`${spec.viewType}: the webview sent an invalid message: ${problem}`),
    );
    this.register({ dispose: () => this.peer.dispose() });
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** Creates the panel beside the active editor, without taking focus from it. */
  protected static createPanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
  }

  /** Shows the panel for another document. */
  showFor(doc: vscode.TextDocument): void {
    this.doc = doc;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.refresh();
  }

  protected abstract handle(message: TIn): unknown;

  /** Sends the page what it shows for the current document. */
  protected abstract refresh(force?: boolean): Promise<void>;

  /** Called by the subclass when the page said 'ready' and got its first content. */
  protected pageReady(): void {
    this.markReady();
  }

  /** Selects and reveals a 0-based line of the document in the first editor column. */
  protected async revealLine(line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(this.doc, { viewColumn: vscode.ViewColumn.One });
    const position = new vscode.Position(Math.min(line, this.doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
}
