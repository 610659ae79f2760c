import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import { lintText } from '../../../src/core/dataset/checks/linter';
import * as path from 'node:path';
import { api, closeAllEditors, diagnosticsFor, eventually, EXTENSION_ID, waitFor, workspaceFile, workspaceRoot } from './util';

const errors = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);

describe('dataset diagnostics', () => {
  afterEach(closeAllEditors);

  it('flags the example file with mistakes on open, at the right lines, and leaves the clean file clean', async () => {
    const flawed = workspaceFile('train-with-mistakes.jsonl');
    await vscode.window.showTextDocument(flawed);
    const found = await diagnosticsFor(flawed, (ds) => errors(ds).length > 0);
    const doc = await vscode.workspace.openTextDocument(flawed);
    // Every error sits on a line whose text really is broken in some way: not valid JSON or not a clean sample.
    for (const d of errors(found)) assert.ok(d.range.start.line < doc.lineCount, `line ${d.range.start.line} exists`);
    const syntax = found.find((d) => /JSON/.test(d.message));
    assert.ok(syntax, 'a JSON syntax error is reported');
    assert.throws(() => JSON.parse(doc.lineAt(syntax.range.start.line).text), 'it points at the line that does not parse');

    const clean = workspaceFile('train.jsonl');
    await vscode.window.showTextDocument(clean);
    const ctx = await api();
    const linted = await ctx.dataset.diagnostics.lint(await vscode.workspace.openTextDocument(clean));
    assert.ok(linted && linted.result.samples >= 50);
    assert.deepEqual(errors(vscode.languages.getDiagnostics(clean)).map((d) => d.message), []);
  });

  it('re-checks as you type, and clears diagnostics when the document closes', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonl', content: '{"messages":[{"role":"user","content":"你好"},{"role":"assistant","content":"少侠好"}]}\n' });
    await vscode.window.showTextDocument(doc);
    await diagnosticsFor(doc.uri, (ds) => errors(ds).length === 0);
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '{"messages": [,\n'));
    const broken = await diagnosticsFor(doc.uri, (ds) => errors(ds).some((d) => d.range.start.line === 1));
    assert.ok(errors(broken).every((d) => d.range.start.line === 1), 'only the new line is in error');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await diagnosticsFor(doc.uri, (ds) => ds.length === 0);
  });

  it('checks a LLaMA-Factory .json array dataset record by record, each problem at its own line', async () => {
    const file = path.join(workspaceRoot(), 'array-data.json');
    const records = [
      { instruction: '头痛怎么办？', input: '', output: '少侠莫慌，先歇息片刻。' },
      { instruction: '咳嗽不止', input: '', outptu: '润肺为先。' },
    ];
    await fs.writeFile(file, JSON.stringify(records, null, 2) + '\n');
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const found = await diagnosticsFor(doc.uri, (ds) => errors(ds).length > 0);
      // The misspelt key is on line 10 of the file (0-based 9), inside the second record.
      assert.deepEqual(errors(found).map((d) => [d.range.start.line, /outptu/.test(d.message)]), [[9, true]]);
    } finally {
      await fs.rm(file, { force: true });
    }
  });

  it('after many kinds of edits, the changed-lines protocol gives what a fresh check of the whole text gives', async () => {
    const ctx = await api();
    const sample = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
    const content = [sample('头痛', '少侠莫慌'), sample('咳嗽', '润肺为先'), '{"messages": [,', sample('头痛', '少侠莫慌'), ''].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonl', content });
    const editor = await vscode.window.showTextDocument(doc);
    await ctx.dataset.diagnostics.lint(doc);
    const steps: ((e: vscode.TextEditorEdit) => void)[] = [
      (e) => e.insert(new vscode.Position(1, 0), sample('失眠', '酸枣仁') + '\n'),
      (e) => e.delete(new vscode.Range(2, 0, 3, 0)),
      (e) => e.replace(new vscode.Range(0, 5, 1, 3), '"x'),
      (e) => e.insert(new vscode.Position(doc.lineCount - 1, 0), '\n\n' + sample('腹痛', '绿豆汤')),
      (e) => { e.insert(new vscode.Position(0, 0), '\r\n'); e.insert(new vscode.Position(doc.lineCount - 1, 0), 'x'); },
      (e) => e.delete(new vscode.Range(0, 0, doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length)),
      (e) => e.insert(new vscode.Position(0, 0), content),
    ];
    for (const step of steps) {
      assert.ok(await editor.edit(step));
      const linted = await ctx.dataset.diagnostics.lint(doc);
      const fresh = lintText(doc.getText(), { locale: 'en', maxDiagnostics: ctx.platform.config.maxDiagnosticsPerFile, fileName: 'x', replacementCharIsDecodeError: true });
      const key = (d: { code: string; span: { line: number; column: number } }) => `${d.span.line}:${d.span.column}:${d.code}`;
      assert.deepEqual(linted!.result.diagnostics.map(key), fresh.diagnostics.map(key), `after edit ${steps.indexOf(step) + 1}: ${JSON.stringify(doc.getText())}`);
      assert.equal(linted!.result.samples, fresh.samples);
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers a quick fix for a misspelt role and applies it', async () => {
    const uri = workspaceFile('typo.jsonl');
    await fs.writeFile(uri.fsPath, '{"messages":[{"role":"user","content":"头痛怎么办"},{"role":"assitant","content":"少侠莫慌，老夫先为你把脉。"}]}\n');
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const found = await diagnosticsFor(uri, (ds) => ds.some((d) => doc.getText(d.range).includes('assitant')));
      const target = found.find((d) => doc.getText(d.range).includes('assitant'))!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, target.range);
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(', ')}`);
      const changed = waitFor(vscode.workspace.onDidChangeTextDocument, (e) => e.document === doc);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      await changed;
      assert.match(doc.lineAt(0).text, /"role":"assistant"/);
      await diagnosticsFor(uri, (ds) => !ds.some((d) => doc.getText(d.range).includes('assitant')));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await fs.rm(uri.fsPath, { force: true });
    }
  });
});

describe('convert to OpenAI messages', () => {
  afterEach(closeAllEditors);

  for (const name of ['sharegpt.jsonl', 'alpaca.jsonl']) {
    it(`offers the conversion on ${name} and writes a clean OpenAI file beside it`, async () => {
      const ctx = await api();
      const uri = workspaceFile(name);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      await ctx.dataset.diagnostics.lint(doc);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0));
      const convert = actions.find((a) => a.command?.command === 'finetune.convertToOpenAI');
      assert.ok(convert, `offered among: ${actions.map((a) => a.title).join(', ')}`);
      const target = await vscode.commands.executeCommand<vscode.Uri>(convert.command!.command, ...(convert.command!.arguments ?? []));
      try {
        assert.ok(target && target.path.endsWith(name.replace('.jsonl', '.openai.jsonl')));
        const converted = await vscode.workspace.openTextDocument(target);
        const linted = await ctx.dataset.diagnostics.lint(converted);
        assert.equal(linted!.result.format, 'openai');
        assert.equal(linted!.result.samples, doc.getText().trim().split('\n').length);
        assert.deepEqual(linted!.result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      } finally {
        if (target) await fs.rm(target.fsPath, { force: true });
      }
    });
  }
});

describe('train/eval overlap in the editor', () => {
  afterEach(closeAllEditors);

  it('reports a training sample that is also in the configured eval file, pointing at its line there', async () => {
    const ctx = await api();
    const config = vscode.workspace.getConfiguration('finetune');
    const evalLine = (await vscode.workspace.openTextDocument(workspaceFile('eval.jsonl'))).lineAt(2).text;
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonl', content: (await vscode.workspace.openTextDocument(workspaceFile('train.jsonl'))).lineAt(0).text + '\n' + evalLine + '\n' });
    await config.update('dataset.evalFile', 'eval.jsonl', vscode.ConfigurationTarget.Workspace);
    // The setting change re-checks open datasets by itself; wait for a result that has seen it.
    const overlapOf = async () => {
      const linted = ctx.dataset.diagnostics.resultFor(doc) ?? (await ctx.dataset.diagnostics.lint(doc));
      return linted?.result.diagnostics.filter((d) => d.code === 'FT043');
    };
    try {
      const overlap = await eventually(ctx.dataset.diagnostics.onDidLint, async () => ((await overlapOf())?.length ? overlapOf() : undefined), 15_000, 'the overlap finding');
      assert.deepEqual(overlap!.map((d) => d.span.line), [1]);
      assert.match(overlap![0]!.message, /eval\.jsonl line 3/);
    } finally {
      await config.update('dataset.evalFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually(ctx.dataset.diagnostics.onDidLint, async () => ((await overlapOf())?.length === 0 ? true : undefined), 15_000, 'the finding to go once no eval file is configured');
  });
});

describe('dataset_info.json in the editor', () => {
  afterEach(closeAllEditors);

  it('reads the columns and tags of a LLaMA-Factory dataset_info.json beside the file, and notices when it goes', async () => {
    const ctx = await api();
    const fixture = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'datasets', 'llama');
    const folder = path.join(workspaceRoot(), 'llama');
    await fs.cp(fixture, folder, { recursive: true });
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'wuxia.jsonl')));
      await vscode.window.showTextDocument(doc);
      const formatNow = async () => (ctx.dataset.diagnostics.resultFor(doc) ?? (await ctx.dataset.diagnostics.lint(doc)))?.result.format;
      assert.equal(await eventually(ctx.dataset.diagnostics.onDidLint, async () => formatNow(), 10_000, 'a result'), 'sharegpt', 'dataset_info.json says sharegpt');
      await fs.rm(path.join(folder, 'dataset_info.json'));
      const withoutInfo = await eventually(ctx.dataset.diagnostics.onDidLint, async () => {
        const linted = await ctx.dataset.diagnostics.lint(doc);
        return linted?.result.format === 'openai' ? linted.result.format : undefined;
      }, 15_000, 'the format read without dataset_info.json');
      assert.equal(withoutInfo, 'openai');
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
