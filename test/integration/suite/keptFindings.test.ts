import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { api, closeAllEditors, diagnosticsFor, waitFor, workspaceRoot } from './util';

// VS Code keeps the documents an extension opens (as "Check All Datasets" opens files it never shows) only for a
// while and only so many of them; opening many files makes it dispose the first ones at once. Their findings stay
// until the file changes on disk or is deleted.
describe('findings of closed dataset files', () => {
  afterEach(closeAllEditors);

  it('stay when VS Code disposes the document of a checked file, and go when the file changes or is deleted', async function () {
    this.timeout(120_000);
    const ctx = await api();
    const folder = path.join(workspaceRoot(), 'kept-findings');
    await fs.mkdir(folder, { recursive: true });
    const files = Array.from({ length: 120 }, (_, i) => vscode.Uri.file(path.join(folder, `part-${String(i).padStart(3, '0')}.jsonl`)));
    await Promise.all(files.map((uri, i) => fs.writeFile(uri.fsPath, `{"messages": [{"role":"user","content":"第${i}问"},\n`)));
    try {
      const closed: vscode.Uri[] = [];
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (files.some((f) => f.toString() === d.uri.toString())) closed.push(d.uri);
      });
      try {
        for (const uri of files) {
          if (closed.length >= 2) break;
          const doc = await vscode.workspace.openTextDocument(uri);
          if (!doc.isClosed) await ctx.dataset.diagnostics.lint(doc);
          await diagnosticsFor(uri, (ds) => ds.length > 0);
        }
        if (closed.length < 2) await waitFor(vscode.workspace.onDidCloseTextDocument, () => closed.length >= 2, 60_000, 'VS Code to dispose two of the documents');
      } finally {
        sub.dispose();
      }
      const [changed, deleted] = closed as [vscode.Uri, vscode.Uri];
      for (const uri of [changed, deleted]) {
        assert.ok(vscode.workspace.textDocuments.every((d) => d.uri.toString() !== uri.toString()), 'the document is gone');
        assert.ok(vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Fine-tune Studio' && d.code === 'FT001'), `${uri.fsPath} keeps its finding`);
      }
      await fs.writeFile(changed.fsPath, '{"messages":[{"role":"user","content":"你好"},{"role":"assistant","content":"少侠好"}]}\n');
      await diagnosticsFor(changed, (ds) => ds.length === 0);
      await fs.rm(deleted.fsPath);
      await diagnosticsFor(deleted, (ds) => ds.length === 0);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
