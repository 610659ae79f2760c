import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyLineEdit, linterView } from '../../src/core/documentLines';
import { splitLines } from '../../src/core/dataset/checks/linter';

const docLinesOf = (text: string) => text.split(/\r\n|\r|\n/);

/** An editor edit: replace text[from..to) by `insert`, expressed as whole-line replacement like the host sends. */
function lineEdit(text: string, from: number, to: number, insert: string) {
  const before = docLinesOf(text);
  const next = text.slice(0, from) + insert + text.slice(to);
  const startLine = docLinesOf(text.slice(0, from)).length - 1;
  const endLine = docLinesOf(text.slice(0, to)).length - 1;
  const after = docLinesOf(next);
  const tail = before.length - 1 - endLine;
  return { next, edit: { start: startLine, deleteCount: before.length - startLine - tail, lines: after.slice(startLine, after.length - tail) } };
}

describe('document lines → linter lines', () => {
  it('sees a final line break as the end of the last line, and an empty text as no lines', () => {
    assert.deepEqual(linterView(['a', 'b', '']), { count: 2, finalNewline: true });
    assert.deepEqual(linterView(['a', 'b']), { count: 2, finalNewline: false });
    assert.deepEqual(linterView(['']), { count: 0, finalNewline: false });
    assert.deepEqual(linterView(['', '']), { count: 1, finalNewline: true });
  });

  it('maps random edits so that the linter lines always equal a fresh split of the new text', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['{"a":1}', '\n', '\r\n', '', 'x', '\n\n', '{"b":2}\n'];
    for (let round = 0; round < 2000; round++) {
      let text = Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      let linterLines = splitLines(text);
      let docLines = docLinesOf(text);
      for (let step = 0; step < 4; step++) {
        // VS Code never edits between the CR and LF of a line break, so a document holds no lone CR (the
        // linter, like the trainer, breaks lines at LF only; a lone CR is FT074).
        const snap = (i: number) => (text[i - 1] === '\r' && text[i] === '\n' ? i + 1 : i);
        const from = snap(Math.floor(random() * (text.length + 1)));
        const to = snap(from + Math.floor(random() * (text.length - from + 1)));
        const { next, edit } = lineEdit(text, from, to, pieces[Math.floor(random() * pieces.length)]!);
        const applied = applyLineEdit(docLines, edit);
        const e = applied.linterEdit;
        linterLines = linterLines.slice(0, e.start).concat(e.lines, linterLines.slice(e.start + e.deleteCount));
        assert.deepEqual(linterLines, splitLines(next), `${JSON.stringify(text)} → ${JSON.stringify(next)}`);
        assert.equal(applied.finalNewline, /(\r\n|\r|\n)$/.test(next));
        assert.deepEqual(applied.docLines, docLinesOf(next));
        text = next;
        docLines = applied.docLines;
      }
    }
  });
});
