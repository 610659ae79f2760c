import type * as vscode from 'vscode';

/**
 * What the dataset worker holds of a document (a version and its line count) and which lines changed since:
 * the changed span is kept as distances from the start and the end, which edits elsewhere leave valid.
 */
export class DocumentSync {
  private unchangedStart = Infinity;
  private unchangedEnd = Infinity;

  constructor(readonly version: number, readonly lineCount: number) {}

  /** Records one change event (its changes are all relative to the document before the event). */
  record(event: vscode.TextDocumentChangeEvent): void {
    let delta = 0;
    for (const c of event.contentChanges) delta += lineBreaks(c.text) - (c.range.end.line - c.range.start.line);
    const before = event.document.lineCount - delta;
    for (const c of event.contentChanges) {
      this.unchangedStart = Math.min(this.unchangedStart, c.range.start.line);
      this.unchangedEnd = Math.min(this.unchangedEnd, before - 1 - c.range.end.line);
    }
  }

  /** The edit that turns the worker's lines into `doc`'s: lines [start, start + deleteCount) become `lines`. */
  edit(doc: vscode.TextDocument): { start: number; deleteCount: number; lines: string[] } {
    const start = Math.min(this.unchangedStart, this.lineCount, doc.lineCount);
    const end = Math.max(0, Math.min(this.unchangedEnd, this.lineCount - start, doc.lineCount - start));
    const lines: string[] = [];
    for (let i = start; i < doc.lineCount - end; i++) lines.push(doc.lineAt(i).text);
    return { start, deleteCount: this.lineCount - start - end, lines };
  }
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}
