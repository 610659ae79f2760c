// Security issue (#10): dataset text echoed into messages is shortened (a 1 MB key is not a 1 MB message) and its
// control characters are escaped (an escape sequence in a role does not reach the terminal), for every catalogue
// message: the dataset linter's t() and the catalogues filled by fillTemplate.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { escapeControls, quoteText, QUOTED_MAX_CHARS } from '../../../src/core/messageText';
import { DatasetLinter } from '../../../src/core/dataset/checks/linter';
import { fillTemplate } from '../../../src/core/fillTemplate';
import { message } from '../../../src/core/tokens/messages';
import { lintCommand } from '../../../src/cli/commands/lint';
import { parsePredictions } from '../../../src/core/metrics/predictions';
import { importTrainerState } from '../../../src/core/curves/importers';

const BIG = 'k'.repeat(1 << 20);
const RED = '\x1b[31mred';
const lines = [
  JSON.stringify({ messages: [{ role: 'user', content: 'hi', [BIG]: 1 }, { role: 'assistant', content: 'ok' }] }),
  JSON.stringify({ messages: [{ role: RED, content: 'hi' }, { role: 'assistant', content: 'ok' }] }),
  JSON.stringify({ [BIG]: 1 }),
  JSON.stringify({ messages: [{ role: 'user\u202e\u0085\u007f', content: 'hi' }, { role: 'assistant', content: 'ok' }] }),
];

/** No raw control or bidi character, and no message longer than a few hundred characters. */
function assertSafe(messages: string[]): void {
  for (const m of messages) {
    assert.doesNotMatch(m, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, m.slice(0, 200));
    assert.ok(m.length < 600, `a message of ${m.length} characters: ${m.slice(0, 200)}`);
  }
}

describe('quoting dataset text in messages', () => {
  it('escapes C0 (tab and line breaks too), DEL, C1 and the bidi overrides and isolates', () => {
    assert.equal(escapeControls('a\x1b[31mb\tc\nd\x7f\x85\u202e\u2066\u2069e'), 'a\\x1B[31mb\\tc\\nd\\x7F\\x85\\u202E\\u2066\\u2069e');
    assert.equal(escapeControls('普通文本 "quotes"'), '普通文本 "quotes"');
  });

  it('shortens long text to the limit with an ellipsis and the full length, in both languages', () => {
    assert.equal(quoteText('x'.repeat(100), 'en'), 'x'.repeat(QUOTED_MAX_CHARS) + '… (100 characters)');
    assert.equal(quoteText('x'.repeat(100), 'zh-cn'), 'x'.repeat(QUOTED_MAX_CHARS) + '…（共 100 个字符）');
    // A surrogate pair at the cut is not split.
    const emoji = 'x'.repeat(QUOTED_MAX_CHARS - 1) + '😀' + 'y';
    assert.equal(quoteText(emoji, 'en'), 'x'.repeat(QUOTED_MAX_CHARS - 1) + '… (82 characters)');
  });

  it('the core linter\'s messages for a 1 MB key and a role with an escape sequence are short and escaped', () => {
    for (const locale of ['en', 'zh-cn'] as const) {
      const linter = new DatasetLinter({ locale });
      lines.forEach((l, i) => linter.push(l, i));
      const { diagnostics } = linter.finish();
      const messages = diagnostics.map((d) => d.message);
      assertSafe(messages);
      assert.ok(messages.some((m) => m.includes('\\x1B[31mred')), messages.join('\n'));
      assert.ok(messages.some((m) => m.includes(locale === 'en' ? '… (1,048,576 characters)' : '…（共 1,048,576 个字符）')), messages.join('\n'));
      assert.ok(messages.some((m) => m.includes('\\u202E\\x85\\x7F')), messages.join('\n'));
    }
  });

  it('fillTemplate catalogues (tokens, jobs) escape their parameters too', () => {
    assert.equal(fillTemplate('role {role}: {file}', { role: RED, file: 'a\nb' }), 'role \\x1B[31mred: a\\nb');
    const text = message('en', 'folder.invalidFile', { file: 'x\x1b]0;title\x07', problem: 'bad' });
    assert.equal(text, 'Cannot read x\\x1B]0;title\\x07: bad');
  });
});

describe('parser errors that quote the text', () => {
  it('a predictions line and a trainer_state.json that are not JSON give escaped messages', () => {
    const { problems } = parsePredictions(`{"predict": ${RED}${'x'.repeat(2000)}\n`);
    assert.equal(problems.length, 1);
    assertSafe(problems.map((p) => p.message));
    assert.throws(() => importTrainerState(`{"log_history": ${RED}\u202e${'x'.repeat(2000)}`), (err: Error) => {
      assertSafe([err.message]);
      return true;
    });
  });
});

describe('lint output (CLI) for hostile dataset text', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ft-sec-messages-'));
    writeFileSync(path.join(dir, 'data.jsonl'), lines.join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const json of [false, true]) {
    it(`prints short, escaped messages${json ? ' (--json)' : ''}`, async () => {
      let stdout = '';
      let stderr = '';
      const code = await lintCommand(['data.jsonl', ...(json ? ['--json'] : [])], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, locale: 'en', cwd: dir });
      assert.equal(code, 1, stderr);
      const messages = json
        ? (JSON.parse(stdout) as { files: { diagnostics: { message: string }[] }[] }).files[0]!.diagnostics.map((d) => d.message)
        : stdout.split('\n');
      assertSafe(messages);
      assert.ok(stdout.length < 5000, `output of ${stdout.length} characters`);
      assert.match(stdout, /\\x1B\[31mred/);
    });
  }
});
