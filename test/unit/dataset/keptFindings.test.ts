// Which closed dataset files keep their findings (src/features/dataset/keptFindings.ts): a file checked as saved
// keeps them when VS Code disposes its document ("Check All Datasets" opens files it never shows), until the file
// changes on disk or is deleted; unsaved text, a later edit, or a file no watcher sees lose them on close.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeptFindings } from '../../../src/features/dataset/keptFindings';

const A = 'file:///w/a.jsonl';
const B = 'file:///w/b.jsonl';

describe('KeptFindings', () => {
  it('keeps the findings of a file checked as saved when its document closes, until the file changes on disk', () => {
    const kept = new KeptFindings();
    kept.linted(A, 1, true);
    kept.linted(B, 1, true);
    assert.equal(kept.closed(A, 1, true), true);
    assert.equal(kept.fileChanged(B), false, 'an open document is re-checked by its own events');
    assert.equal(kept.fileChanged(A), true, 'changed on disk: the kept findings are stale');
    assert.equal(kept.fileChanged(A), false, 'and dropped once');
  });

  it('drops them on close when the check was of unsaved text, an edit came after it, or no watcher sees the file', () => {
    const kept = new KeptFindings();
    kept.linted(A, 3, false);
    assert.equal(kept.closed(A, 3, true), false, 'unsaved text (closed with "Don\'t Save")');
    kept.linted(A, 1, true);
    assert.equal(kept.closed(A, 2, true), false, 'edited after the check');
    kept.linted(B, 1, true);
    assert.equal(kept.closed(B, 1, false), false, 'outside the workspace');
    assert.equal(kept.fileChanged(A) || kept.fileChanged(B), false);
  });

  it('a file opened and checked again is no longer kept; forgetting it drops everything', () => {
    const kept = new KeptFindings();
    kept.linted(A, 1, true);
    assert.equal(kept.closed(A, 1, true), true);
    kept.linted(A, 1, true);
    assert.equal(kept.fileChanged(A), false, 'reopened: its document\'s events take over');
    kept.forget(A);
    assert.equal(kept.closed(A, 1, true), false, 'forgotten: nothing to keep');
  });
});
