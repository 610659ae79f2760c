import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliStateDir, loadRunSecret } from '../../../src/backends/local/runToken';

const temp = () => fs.mkdtemp(path.join(os.tmpdir(), 'ft-secret-'));

test('a new editor secret adopts the one the job CLI made first, so the CLI\'s jobs stay verifiable', async () => {
  const [editor, cli] = [await temp(), await temp()];
  const cliSecret = await loadRunSecret(cli, cli);
  assert.match(cliSecret, /^[0-9a-f]{64}$/);
  assert.equal(await loadRunSecret(editor, cli), cliSecret);
  assert.equal((await fs.stat(path.join(editor, 'run-secret'))).mode & 0o777, 0o600);
  // An existing secret is never replaced by the other side's.
  const other = await temp();
  const own = await loadRunSecret(other, await temp());
  assert.notEqual(own, cliSecret);
  assert.equal(await loadRunSecret(other, cli), own);
});

test('without a CLI secret a fresh one is made; a broken CLI secret is not adopted', async () => {
  const [editor, cli] = [await temp(), await temp()];
  await fs.writeFile(path.join(cli, 'run-secret'), 'not hex\n');
  const secret = await loadRunSecret(editor, cli);
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.equal(cliStateDir({ XDG_STATE_HOME: '/x/state' }), path.join('/x/state', 'finetune-studio'));
});
