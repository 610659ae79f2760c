// A document as the editor sends it (VS Code's lines: a final line break leaves an empty last line) mapped
// onto the linter's lines (the file's lines: a final line break just ends the last one).

export interface LineEdit {
  start: number;
  deleteCount: number;
  lines: string[];
}

/** How many of the document's lines are the linter's, and whether the text ends with a line break. */
export function linterView(docLines: readonly string[]): { count: number; finalNewline: boolean } {
  const finalNewline = docLines.length > 1 && docLines[docLines.length - 1] === '';
  if (finalNewline) return { count: docLines.length - 1, finalNewline };
  return { count: docLines.length === 1 && docLines[0] === '' ? 0 : docLines.length, finalNewline };
}

/**
 * Applies an edit in document lines; returns the new document lines and the same edit in linter lines.
 * An edit always replaces whole lines (at least the one it touches), so the lines before `start` and after
 * `start + deleteCount` are unchanged.
 */
export function applyLineEdit(docLines: readonly string[], edit: LineEdit): { docLines: string[]; linterEdit: LineEdit; finalNewline: boolean } {
  const before = linterView(docLines).count;
  const next = docLines.slice(0, edit.start).concat(edit.lines, docLines.slice(edit.start + edit.deleteCount));
  const after = linterView(next);
  // The old linter lines after the edited ones are unchanged: they are the last `keptTail` of the new ones.
  const start = Math.min(edit.start, before);
  const keptTail = before - Math.min(edit.start + edit.deleteCount, before);
  const lines = next.slice(start, Math.max(start, after.count - keptTail));
  return { docLines: next, linterEdit: { start, deleteCount: before - start - keptTail, lines }, finalNewline: after.finalNewline };
}
