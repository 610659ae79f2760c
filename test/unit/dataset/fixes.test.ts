// Quick fixes: each applied to the text, alone and as "fix all of this kind"; the result lints clean of it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { fixAllTitle } from '../../../src/core/dataset/checks/materialise';
import type { DatasetDiagnostic, LintResult, TextEdit } from '../../../src/core/dataset/types';
import { applyEdits, assistant, chat, good, user } from './helpers';

function fixesOf(result: LintResult, kind: string): DatasetDiagnostic[] {
  return result.diagnostics.filter((d) => d.fix?.kind === kind);
}

/** Applies every fix of a kind at once, as "fix all" does (the host drops overlapping edits). */
function fixAll(text: string, kind: string): string {
  const edits: TextEdit[] = fixesOf(lintText(text), kind).flatMap((d) => d.fix!.edits);
  return applyEdits(text, edits);
}

describe('remove BOM', () => {
  it('deletes just the mark', () => {
    const text = '\ufeff' + good(1) + '\n' + good(2) + '\n';
    const [d] = fixesOf(lintText(text), 'remove-bom');
    assert.equal(d?.code, 'FT003');
    assert.match(d!.fix!.title, /byte order mark/);
    assert.equal(applyEdits(text, d!.fix!.edits), good(1) + '\n' + good(2) + '\n');
  });
});

describe('delete blank line', () => {
  it('deletes one blank line with its break', () => {
    const text = `${good(1)}\n\n${good(2)}\n`;
    const [d] = fixesOf(lintText(text), 'delete-blank-line');
    assert.equal(applyEdits(text, d!.fix!.edits), `${good(1)}\n${good(2)}\n`);
  });

  it('fix all deletes every blank line, CRLF too', () => {
    const text = `${good(1)}\r\n\r\n  \r\n${good(2)}\r\n\r\n`;
    assert.equal(fixAll(text, 'delete-blank-line'), `${good(1)}\r\n${good(2)}\r\n`);
  });

  it('empties a blank last line without a final break (the text then ends with one)', () => {
    const text = `${good(1)}\n   `;
    const [d] = fixesOf(lintText(text), 'delete-blank-line');
    assert.equal(applyEdits(text, d!.fix!.edits), good(1) + '\n');
  });
});

describe('correct a misspelt role', () => {
  it('replaces the role value only', () => {
    const text = chat(user(), { role: 'assitant', content: '少侠莫慌' }) + '\n';
    const [d] = fixesOf(lintText(text), 'fix-role');
    assert.equal(d!.fix!.title, 'Change role "assitant" to "assistant"');
    const fixed = applyEdits(text, d!.fix!.edits);
    assert.equal(fixed, chat(user(), { role: 'assistant', content: '少侠莫慌' }) + '\n');
    assert.equal(lintText(fixed).diagnostics.filter((x) => x.code === 'FT020').length, 0);
  });

  it('fix all corrects every misspelt role in the file, each to its own suggestion', () => {
    const text = [chat({ role: 'usr', content: 'q' }, assistant()), chat(user(), { role: 'Assistant', content: 'a' }), chat(user('x'), { role: 'bot', content: 'b' })].join('\n') + '\n';
    const fixed = fixAll(text, 'fix-role');
    assert.equal(fixed, [chat(user('q'), assistant()), chat(user(), assistant('a')), chat(user('x'), assistant('b'))].join('\n') + '\n');
  });

  it('titles fix all with every change it makes, not only the first', () => {
    const text = [chat({ role: 'usr', content: 'q' }, assistant()), chat(user(), { role: 'assitant', content: 'a' }), chat(user('x'), { role: 'assitant', content: 'b' })].join('\n') + '\n';
    const fixes = fixesOf(lintText(text), 'fix-role').map((d) => d.fix!);
    assert.equal(fixAllTitle(fixes, 'en'), 'Change roles "usr" → "user", "assitant" → "assistant"');
    const zh = fixesOf(lintText(text, { locale: 'zh-cn' }), 'fix-role').map((d) => d.fix!);
    assert.equal(fixAllTitle(zh, 'zh-cn'), '修改角色："usr" → "user"、"assitant" → "assistant"');
  });

  it('keeps the one title when every fix of the kind does the same', () => {
    const text = [chat(user(), { role: 'assitant', content: 'a' }), chat(user('x'), { role: 'assitant', content: 'b' })].join('\n') + '\n';
    const fixes = fixesOf(lintText(text), 'fix-role').map((d) => d.fix!);
    assert.equal(fixAllTitle(fixes, 'en'), 'Change role "assitant" to "assistant"');
  });

  it('has a Chinese title with locale zh-cn', () => {
    const [d] = fixesOf(lintText(chat(user(), { role: 'assitant', content: 'a' }), { locale: 'zh-cn' }), 'fix-role');
    assert.equal(d!.fix!.title, '把角色 "assitant" 改为 "assistant"');
  });
});

describe('drop an exact duplicate', () => {
  it('deletes the second copy', () => {
    const text = `${good(1)}\n${good(2)}\n${good(1)}\n`;
    const [d] = fixesOf(lintText(text), 'delete-duplicate');
    assert.equal(d!.span.line, 2);
    assert.equal(applyEdits(text, d!.fix!.edits), `${good(1)}\n${good(2)}\n`);
  });

  it('fix all keeps only the first copy of each sample, also when the last line has no break', () => {
    const text = [good(1), good(1), good(2), good(1), good(2)].join('\n');
    assert.equal(fixAll(text, 'delete-duplicate'), [good(1), good(2)].join('\n') + '\n');
  });
});

describe('rename a misspelt key', () => {
  it('renames the key in place', () => {
    const text = JSON.stringify({ mesages: [user(), assistant()] });
    const [d] = fixesOf(lintText(text), 'rename-key');
    assert.equal(applyEdits(text, d!.fix!.edits), JSON.stringify({ messages: [user(), assistant()] }));
  });
});
