// The detached remote run (src/backends/remote/detached.ts) on this machine through LocalExec: own session and
// process group, pid and exit-code files, status, and cancel that ends the group — and acts only on a group that
// carries the run's token.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalExec } from '../../../src/backends/remote/localExec';
import { LocalFiles } from '../../../src/backends/remote/files';
import { cancelRemoteRun, launchDetached, remoteRunState } from '../../../src/backends/remote/detached';

const root = mkdtempSync(path.join(os.tmpdir(), 'ft-detached-'));
after(() => rmSync(root, { recursive: true, force: true }));
const exec = new LocalExec();

function runDir(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  return dir;
}

/** Live (not zombie) processes of a group; a container's init may leave zombies unreaped. */
function liveMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return live;
}

async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await fn()); i++) await new Promise((r) => setTimeout(r, 50));
}

test('a finished run reports its exit code; its output went to the log', async () => {
  const dir = runDir('exits');
  const pid = await launchDetached(exec, { runDir: dir, argv: ['sh', '-c', 'echo "out $FT_X"; exit 5'], env: { FT_X: 'from env' }, token: 't1', setup: ['export FT_Y=1'] });
  assert.ok(pid > 0);
  await until(async () => (await remoteRunState(exec, dir, 't1')).state !== 'running');
  assert.deepEqual(await remoteRunState(exec, dir, 't1'), { state: 'exited', code: 5 });
  assert.equal(readFileSync(path.join(dir, 'trainer.log'), 'utf8'), 'out from env\n');
  assert.equal(Number(readFileSync(path.join(dir, 'pid'), 'utf8')), pid);
  assert.equal((await new LocalFiles().readFrom(path.join(dir, 'trainer.log'), 4, 100))?.toString(), 'from env\n');
});

test('cancel ends the group, but only with the run token', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const dir = runDir('cancel');
  const pid = await launchDetached(exec, { runDir: dir, argv: ['sh', '-c', 'sleep 300 & wait'], env: {}, token: 'right', setup: [] });
  assert.deepEqual(await remoteRunState(exec, dir, 'right'), { state: 'running' });
  // A record with another token (a cloned repository's) neither sees the run as its own nor stops it.
  assert.notDeepEqual(await remoteRunState(exec, dir, 'wrong'), { state: 'running' });
  await cancelRemoteRun(exec, dir, 'wrong', 500);
  assert.deepEqual(await remoteRunState(exec, dir, 'right'), { state: 'running' });
  await cancelRemoteRun(exec, dir, 'right', 500);
  assert.notDeepEqual(await remoteRunState(exec, dir, 'right'), { state: 'running' });
  assert.deepEqual(liveMembers(pid), [], 'the process group still has live processes');
});

test('a failing setup line and a deleted run folder are said as such', async () => {
  const dir = runDir('setup');
  await assert.rejects(launchDetached(exec, { runDir: dir, argv: ['true'], env: {}, token: 't', setup: ['false'] }), /setup line failed/);
  assert.deepEqual(await remoteRunState(exec, path.join(root, 'absent'), 't'), { state: 'lost', reason: 'run folder deleted' });
});
