// Which closed dataset files keep their findings. VS Code disposes the documents that "Check All Datasets" opened
// (never shown in an editor) a while later, and closing a document used to drop its problems; a file checked as
// it is on disk keeps them until the file changes on disk or is deleted (the caller watches the file system).
// Kept apart from vscode so the rules can be tested on their own.

export class KeptFindings {
  /** Documents whose latest check was of their text as saved: key → that document version. */
  private readonly fromDisk = new Map<string, number>();
  /** Closed files whose findings stay published. */
  private readonly kept = new Set<string>();

  /** A check of `version` was published; `onDisk`: the document was a saved file then (no unsaved edits). */
  linted(key: string, version: number, onDisk: boolean): void {
    if (onDisk) this.fromDisk.set(key, version);
    else this.fromDisk.delete(key);
    this.kept.delete(key);
  }

  /**
   * The document closed at `version`. True when its findings may stay: its latest check was of the saved file,
   * nothing changed since, and the file is one a watcher sees change (`watched`, e.g. inside the workspace).
   */
  closed(key: string, version: number, watched: boolean): boolean {
    const linted = this.fromDisk.get(key);
    this.fromDisk.delete(key);
    if (linted !== version || !watched) return false;
    this.kept.add(key);
    return true;
  }

  /** The file changed on disk, was created again or deleted: true when it had findings kept, which are now stale. */
  fileChanged(key: string): boolean {
    return this.kept.delete(key);
  }

  /** How many closed files have findings kept (none: nothing to watch). */
  get size(): number {
    return this.kept.size;
  }

  forget(key: string): void {
    this.fromDisk.delete(key);
    this.kept.delete(key);
  }
}
