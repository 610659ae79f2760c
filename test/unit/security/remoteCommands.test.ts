// Issue 12: every remote command is built from argv by one quoting function, and what reaches the remote login
// shell is a line any shell reads literally. Hostile job names and paths (spaces, quotes, $( ), backticks, ;,
// newlines, non-ASCII) arrive as the same bytes, and nothing in them runs: run here through dash and bash.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { remoteCommandLine, shellQuote, shellScript, shellWord } from '../../../src/backends/remote/exec';
import { remoteLayout, remoteRunDir } from '../../../src/backends/remote/layout';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-quote-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MARK = path.join(dir, 'marker');
const HOSTILE = [
  'two words', "it's", '"dq"', `$(touch ${MARK})`, `\`touch ${MARK}\``, `; touch ${MARK}`, `a\ntouch ${MARK}`,
  `'; touch ${MARK}; '`, '$HOME ${HOME} \\ \\\\ \\n', '微调 données', '*', '?', '~', '-n', '', `|| touch ${MARK} &`, '!!', '#x', '\t',
];
const shells = ['/bin/sh', '/bin/bash', '/usr/bin/dash'].filter((s) => existsSync(s));

function roundTrip(shell: string, line: string): string[] {
  const r = spawnSync(shell, ['-c', line], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

test('shellWord leaves plain words alone and single-quotes the rest', () => {
  assert.equal(shellWord('abc/d-e_f.g'), 'abc/d-e_f.g');
  assert.equal(shellWord(''), "''");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
  assert.throws(() => shellQuote([]));
});

test('argv survives shellQuote, shellScript and remoteCommandLine byte for byte, in every shell, running nothing', () => {
  for (const shell of shells) {
    assert.deepEqual(roundTrip(shell, shellQuote(['printf', '%s\\0', ...HOSTILE])), HOSTILE, shell);
    const script = shellScript(['printf', '%s\\0', ...HOSTILE], ['X="set up"', '# a comment', '']);
    assert.deepEqual(roundTrip(shell, remoteCommandLine(script)), HOSTILE, shell);
  }
  assert.equal(existsSync(MARK), false, 'a hostile word ran');
});

test('the line for the login shell holds only what every shell reads literally in single quotes', () => {
  const line = remoteCommandLine(shellScript(['echo', ...HOSTILE], ['source ~/venv/bin/activate']));
  const quoted = /^sh -c '([^']*)'$/.exec(line);
  assert.ok(quoted, line);
  assert.doesNotMatch(quoted[1]!, /[\\\n!`]/);
});

test('a remote run folder name is made of safe characters, and distinct per local run folder', () => {
  const layout = remoteLayout('/home/u/ft work');
  const a = remoteRunDir(layout, `/w/.finetune/jobs/job $(touch ${MARK}) \`x\`; 微调\n/run`);
  const b = remoteRunDir(layout, `/w2/.finetune/jobs/job $(touch ${MARK}) \`x\`; 微调\n/run`);
  assert.match(path.posix.basename(a), /^[A-Za-z0-9._-]+$/);
  assert.ok(a.startsWith('/home/u/ft work/runs/'));
  assert.notEqual(a, b);
  assert.throws(() => remoteLayout('relative/dir'), /absolute/);
});
