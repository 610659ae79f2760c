// One watcher on the workspace folders' `.finetune/` (job folders, the model registry, eval runs) for every view
// that shows what is recorded there; the views refresh on its debounced event.
import * as vscode from 'vscode';
import { Disposable } from './dispose';

/**
 * Changes under `.finetune/`, debounced (events come in bursts): each event lists the files created, changed or
 * deleted since the last one. A job folder created and written at once can arrive as the folder's creation alone.
 */
export class FinetuneChanges extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<readonly vscode.Uri[]>());
  readonly onDidChange = this.changed.event;
  private pending: vscode.Uri[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly delayMs = 150) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/.finetune/**'));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) {
      this.register(event((uri) => this.schedule(uri)));
    }
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  private schedule(uri: vscode.Uri): void {
    this.pending.push(uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const uris = this.pending;
      this.pending = [];
      this.changed.fire(uris);
    }, this.delayMs);
  }
}
