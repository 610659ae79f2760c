// `finetune-studio job` against the test sshd, end to end: `job start --backend file.json --follow` (the entry in a
// backend file, the trainer package and the dataset uploaded, the run detached there, every event followed back),
// `job cancel` ending the remote run, and an unknown host key refused with its fingerprint and the command that
// trusts it (the CLI never asks). The trainer is a stand-in (test/unit/cli/jobHelpers.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJobRecord } from '../../src/core/jobs/jobStore';
import { job, until, workspace, type Workspace } from '../unit/cli/jobHelpers';
import { scratchDir, skipWithoutSshd, sshdEnv, trustedLine } from './sshTarget';

const spaces: Workspace[] = [];
after(() => spaces.forEach((ws) => {
  rmSync(ws.root, { recursive: true, force: true });
  rmSync(ws.storage, { recursive: true, force: true });
}));

/** A workspace with a backend file for the test sshd (known_hosts holding `knownHosts`). */
function remoteSpace(prefix: string, knownHosts = trustedLine() + '\n', identityFile = sshdEnv!.FT_SSHD_KEY) {
  const ws = workspace(prefix);
  spaces.push(ws);
  const known = path.join(scratchDir('known'), 'known_hosts');
  writeFileSync(known, knownHosts);
  const backendFile = path.join(ws.root, 'sshd.json');
  writeFileSync(backendFile, JSON.stringify({
    kind: 'ssh', name: 'test-sshd', host: sshdEnv!.FT_SSHD_HOST, port: Number(sshdEnv!.FT_SSHD_PORT), user: sshdEnv!.FT_SSHD_USER,
    identityFile, knownHostsFile: known, python: 'python3', workDir: path.join(scratchDir('work'), 'work dir $(x)'),
  }));
  return { ws, backendFile };
}

const options = { trainerDir: path.resolve('trainer') };
const onlyJobDir = (ws: Workspace) => {
  const jobs = path.join(ws.root, '.finetune', 'jobs');
  return path.join(jobs, readdirSync(jobs)[0]!);
};

describe('finetune-studio job over SSH', { skip: skipWithoutSshd }, () => {
  it('start --backend file.json --follow runs the job on the sshd and follows it to the end (exit 0)', async () => {
    const { ws, backendFile } = remoteSpace('ssh-follow');
    const run = job(ws, ['start', ws.spec('remote', 12, 0.02, 0), '--backend', backendFile, '--follow'], options);
    assert.equal(await run.code, 0, run.out.stderr);
    assert.deepEqual([...run.out.stdout.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1])), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.match(run.out.stdout, /on ssh "test-sshd"/);
    const dir = onlyJobDir(ws);
    const record = await readJobRecord(dir);
    assert.equal(record.status, 'succeeded');
    assert.deepEqual([record.run?.backend, record.run?.backend === 'ssh' ? record.run.backendName : ''], ['ssh', 'test-sshd']);
    assert.deepEqual(record.spec?.['backend'], { kind: 'ssh', name: 'test-sshd', devices: 'cpu' }, 'the record says where it ran');
    const lines = readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    assert.deepEqual([lines[0]!.type, lines.filter((l) => l.type === 'step').length, lines.at(-1)!.type], ['start', 12, 'done']);
    const logs = job(ws, ['logs', path.basename(dir), '--backend', backendFile, '--tail', '5'], options);
    assert.equal(await logs.code, 0, logs.out.stderr);
    assert.match(logs.out.stdout, /stand-in trainer log line/);
  });

  it('job cancel ends the remote run and records it cancelled', async () => {
    const { ws, backendFile } = remoteSpace('ssh-cancel');
    const start = job(ws, ['start', ws.spec('endless', 100000, 0.05, 0), '--backend', backendFile], options);
    assert.equal(await start.code, 0, start.out.stderr);
    const dir = onlyJobDir(ws);
    const id = path.basename(dir);
    // Follow it a little (detaching) so the job's events show the run is going.
    const follow = job(ws, ['follow', id, '--backend', backendFile], options);
    await until('events copied', () => {
      try {
        return readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').length > 3 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    follow.interrupt();
    assert.equal(await follow.code, 130);
    const cancel = job(ws, ['cancel', id, '--backend', backendFile], options);
    assert.equal(await cancel.code, 0, cancel.out.stderr);
    assert.match(cancel.out.stdout, new RegExp(`Job ${id} was cancelled\\.`));
    assert.equal((await readJobRecord(dir)).status, 'cancelled');
    const again = job(ws, ['follow', id, '--backend', backendFile], options);
    assert.equal(await again.code, 1);
    assert.match(again.out.stdout, /is not running \(it is cancelled\)/);
  });

  it('an encrypted key: refused without its passphrase, saying where it may come from; FINETUNE_SSH_PASSPHRASE unlocks it', async () => {
    const key = path.join(scratchDir('passphrase'), 'id');
    writeFileSync(key, readFileSync(sshdEnv!.FT_SSHD_KEY!), { mode: 0o600 });
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', key], { stdio: 'ignore' });
    const { ws, backendFile } = remoteSpace('ssh-passphrase', undefined, key);
    const spec = ws.spec('locked', 1, 0, 0);
    const env = { PATH: process.env.PATH, FINETUNE_TRAINER_ENTRY: ws.standIn, SSH_AUTH_SOCK: '' };
    const locked = job(ws, ['start', spec, '--backend', backendFile], { ...options, env });
    assert.equal(await locked.code, 1);
    assert.match(locked.out.stderr, /passphrase|encrypted/i);
    assert.match(locked.out.stderr, /the passphrase of an encrypted key comes only from the agent or the FINETUNE_SSH_PASSPHRASE environment variable/);
    const unlocked = job(ws, ['start', spec, '--backend', backendFile, '--follow'], { ...options, env: { ...env, FINETUNE_SSH_PASSPHRASE: 'correct horse' } });
    assert.equal(await unlocked.code, 0, unlocked.out.stderr);
  });

  it('an unknown host key is refused with its fingerprint and the command that trusts it; no job folder is made', async () => {
    const { ws, backendFile } = remoteSpace('ssh-unknown', '');
    const run = job(ws, ['start', ws.spec('untrusted', 1, 0, 0), '--backend', backendFile], options);
    assert.equal(await run.code, 1);
    assert.match(run.out.stderr, /The host key of \S+ is not known: \S+ SHA256:\S+\. The CLI trusts no key by itself\./);
    assert.match(run.out.stderr, new RegExp(`ssh-keyscan -p ${sshdEnv!.FT_SSHD_PORT} -t \\S+ ${sshdEnv!.FT_SSHD_HOST!.replace(/\./g, '\\.')} >> `));
    assert.throws(() => readdirSync(path.join(ws.root, '.finetune', 'jobs')), 'no job folder');
  });
});
