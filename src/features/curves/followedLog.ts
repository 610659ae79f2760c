import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../../platform/dispose';

const RELOAD_DELAY_MS = 150;
/** File watchers can miss changes (files outside the workspace, network drives, another process appending): also poll. */
const POLL_MS = 1_000;

/**
 * A log file followed on disk: calls `read` once now and again whenever the file is created, grows or changes
 * (a watcher, and a poll of its size and mtime). The file may not exist yet (a job that has not started).
 * Reads never overlap: a change during a read schedules one more read after it.
 */
export class FollowedLog extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** mtime:size when last read ('missing' when it did not exist). */
  private seen: string | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private lastReadMs = 0;

  constructor(readonly file: vscode.Uri, private readonly read: (exists: boolean) => Promise<void>) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
    const pattern = new vscode.RelativePattern(vscode.Uri.joinPath(file, '..'), path.basename(file.path));
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(pattern));
    const changed = () => this.schedule();
    this.register(watcher.onDidChange(changed));
    this.register(watcher.onDidCreate(changed));
    this.register(watcher.onDidDelete(changed));
    const poll = setInterval(() => void this.poll(), POLL_MS);
    this.register({ dispose: () => clearInterval(poll) });
  }

  /** Reads the file now, or once more after the read in progress (then resolves when that one is done). */
  reload(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      const started = Date.now();
      this.seen = await this.stamp();
      await this.read(this.seen !== 'missing');
      this.lastReadMs = Date.now() - started;
    })().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    });
    return this.reading;
  }

  /**
   * Reads again after a pause at least as long as the last read: a big log that keeps growing (its appends are read
   * from the last offset, but each read diagnoses the whole run again) keeps the worker busy at most half the time.
   */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), Math.max(RELOAD_DELAY_MS, this.lastReadMs));
  }

  private async poll(): Promise<void> {
    if (this.seen === undefined || this.reading) return;
    if ((await this.stamp()) !== this.seen) this.schedule();
  }

  private stamp(): Thenable<string> {
    return vscode.workspace.fs.stat(this.file).then((s) => `${s.mtime}:${s.size}`, () => 'missing');
  }
}
