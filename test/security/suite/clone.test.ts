// A hostile clone opened in real VS Code (issue 10), built by scripts/test-security.mjs and described to this suite
// in FINETUNE_SECURITY_CLONE. Its `.finetune/jobs` hold "running" jobs that name a live process group of the user's
// (a decoy named like our trainer wrapper), with `follower.json` and `events.jsonl` linked to bait files outside
// the workspace and run folders outside the job. Opening it must write nothing outside, signal nothing, and follow
// nothing: in Restricted Mode (phase "untrusted") at all, and once trusted (phase "trusted") because the links and
// the foreign run folders are refused and the decoy carries no run token.
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from '../../integration/suite/util';

interface Clone {
  phase: 'untrusted' | 'trusted';
  decoyPid: number;
  /** Files outside the workspace, with the content they must keep. */
  bait: Record<string, string>;
  /** Job folders of the clone: `linked` (follower.json and events.jsonl planted as links to bait files),
   * `foreign` (its run folder outside the job), `gone` (its run folder does not exist). */
  jobs: { linked: string; foreign: string; gone: string };
  /** job.json of each job as planted. */
  records: Record<string, string>;
}

const clone = JSON.parse(process.env.FINETUNE_SECURITY_CLONE ?? 'null') as Clone | null;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Several ticks of the job follower (it ticks every 500 ms, heartbeats every 5 s). */
const settle = () => new Promise((r) => setTimeout(r, 6_000));

function assertNothingOutsideChanged(c: Clone): void {
  for (const [file, content] of Object.entries(c.bait)) assert.equal(readFileSync(file, 'utf8'), content, `${file} unchanged`);
  assert.ok(alive(c.decoyPid), `the decoy process group ${c.decoyPid} was not signalled`);
  for (const name of ['follower.json', 'events.jsonl']) {
    assert.ok(lstatSync(path.join(c.jobs.linked, name)).isSymbolicLink(), `the planted link ${name} is still only a link`);
  }
  assert.ok(!existsSync(path.join(c.jobs.foreign, 'follower.json')), 'the job with a foreign run folder was not followed');
  assert.ok(!existsSync(path.join(c.jobs.foreign, 'events.jsonl')), 'nothing was copied from the foreign run folder');
  // Untrusted: no record is touched. Trusted: only `gone` may settle (its run folder is missing: it fails).
  for (const [dir, text] of Object.entries(c.records)) {
    if (c.phase === 'trusted' && dir === c.jobs.gone) continue;
    assert.equal(readFileSync(path.join(dir, 'job.json'), 'utf8'), text, `${dir}/job.json unchanged`);
  }
}

describe(`A hostile clone (${clone?.phase ?? 'not set up'})`, function () {
  this.timeout(60_000);

  before(function () {
    if (!clone) throw new Error('FINETUNE_SECURITY_CLONE is not set: run this suite through scripts/test-security.mjs');
  });

  it('opens in the trust state the phase expects, and the extension activates', async () => {
    assert.equal(vscode.workspace.isTrusted, clone!.phase === 'trusted');
    const ctx = await api();
    assert.ok(ctx.jobs.runner);
  });

  it('re-attaches to nothing, writes nothing outside and signals nothing at activation', async () => {
    const ctx = await api();
    await settle();
    assert.equal(ctx.jobs.runner.running.length, 0, 'no job of the clone is followed');
    assertNothingOutsideChanged(clone!);
    if (clone!.phase === 'trusted') {
      // Its run folder (inside the job) is missing: followed, found gone, settled as failed; the decoy's group,
      // which carries no run token, was not cancelled.
      const gone = JSON.parse(readFileSync(path.join(clone!.jobs.gone, 'job.json'), 'utf8')) as { status: string };
      assert.equal(gone.status, 'failed');
    }
    // What the records say is still shown, read-only.
    const names = (await ctx.jobs.tree.getChildren()).map((n) => (n as { record?: { name?: string } }).record?.name);
    assert.ok(names.includes('linked'), `the Jobs view lists the clone's jobs: ${names.join(', ')}`);
  });

  it('re-attaching again (a new folder, trust granted) still follows nothing', async () => {
    const ctx = await api();
    assert.equal(await ctx.jobs.runner.reattachAll(), 0);
    await settle();
    assertNothingOutsideChanged(clone!);
  });

  it('Cancel does not signal the process group a record names', async () => {
    for (const dir of Object.values(clone!.jobs)) {
      const cancelled = await vscode.commands.executeCommand<boolean>('finetune.cancelJob', { dir });
      assert.equal(cancelled, false, `cancel of ${dir} is refused`);
    }
    assertNothingOutsideChanged(clone!);
  });
});
