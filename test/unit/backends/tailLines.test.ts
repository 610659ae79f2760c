import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFiles, tailLines } from '../../../src/backends/remote/files';

test('tailLines: the last non-blank lines of a log, from its end only; empty when there is no log', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ft-tail-'));
  const log = path.join(dir, 'log');
  // 100 KiB of filler, then the lines wanted: only the last 64 KiB is read, and blank lines are passed over.
  await fs.writeFile(log, `${'x'.repeat(100 * 1024)}\nfirst\n\nsecond\r\nthird\n\n`);
  assert.equal(await tailLines(new LocalFiles(), log, 2), 'second\nthird');
  assert.equal(await tailLines(new LocalFiles(), log, 3), 'first\nsecond\nthird');
  assert.equal(await tailLines(new LocalFiles(), path.join(dir, 'missing'), 5), '');
});
