// SshBackend against a real sshd with a stand-in trainer: a detached run whose connection is dropped mid-run and
// whose "editor" restarts, re-attached from the byte offset with the event stream byte-identical; cancel ends the
// whole process group; uploads are skipped on a hash hit; hostile names in every path run nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SshBackend } from '../../src/backends/ssh/sshBackend';
import { SshSession, type ReconnectAttempt } from '../../src/backends/ssh/session';
import { RunReader } from '../../src/backends/runReader';
import { artifactsHere } from '../../src/backends/taskArtifacts';
import { remoteLayout } from '../../src/backends/remote/layout';
import { uploadDataset, uploadPackage } from '../../src/backends/remote/upload';
import type { RunHandle } from '../../src/shared/job';
import { scratchDir, skipWithoutSshd, target } from './sshTarget';
import { standInConfig, writeStandIn } from './standInTrainer';

const SECRET = 'a'.repeat(64);
// Path names cannot hold "/", so the marker a hostile name would create is relative: it would land in the login's
// home folder or in a folder of the run, and both are searched.
const HOSTILE = "we'ird $(touch MARK) `touch MARK`; touch MARK; 微调\nx";

interface Setup {
  dir: string;
  /** The file a hostile name would create if it ran. */
  marker: string;
  workDir: string;
  trainFile: string;
  localRunDir: string;
  attempts: (ReconnectAttempt | undefined)[];
  backend: (session?: SshSession) => { backend: SshBackend; session: SshSession };
}

function setup(name: string): Setup {
  const dir = scratchDir(name);
  const marker = `ft-marker-${path.basename(dir)}`;
  const hostile = HOSTILE.replaceAll('MARK', marker);
  const local = path.join(dir, 'local');
  const workDir = path.join(dir, `work ${hostile}`);
  const jobDir = path.join(local, '.finetune', 'jobs', `job ${hostile}`);
  mkdirSync(jobDir, { recursive: true });
  const trainFile = path.join(local, `train ${hostile}.jsonl`);
  writeFileSync(trainFile, '{"messages":[{"role":"user","content":"hi"}]}\n');
  const standIn = writeStandIn(local);
  const attempts: (ReconnectAttempt | undefined)[] = [];
  return {
    dir, marker, workDir, trainFile, attempts, localRunDir: path.join(jobDir, 'run'),
    backend: (existing) => {
      const session = existing ?? new SshSession(target(), { baseDelayMs: 50, onReconnect: (a) => attempts.push(a) });
      const backend = new SshBackend({
        name: 'test-host',
        config: { python: 'python3', setup: ['export FT_SETUP_SEEN="yes, from setup"'], workDir },
        session,
        runSecret: SECRET,
        trainer: { upload: { folders: [], files: [standIn] }, entry: { script: path.basename(standIn) } },
        cacheDir: path.join(dir, 'cache'),
        cancelGraceMs: 2000,
      });
      return { backend, session };
    },
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Whether the hostile names' marker was created anywhere a command could have run. */
function markerMade(s: Setup): boolean {
  const found = (dir: string) => readdirSync(dir, { recursive: true }).map(String).some((f) => path.basename(f) === s.marker);
  return existsSync(path.join(os.homedir(), s.marker)) || found(s.dir);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('check runs through the setup lines, with the uploaded trainer on PYTHONPATH', { skip: skipWithoutSshd }, async () => {
  const s = setup('check');
  const { backend, session } = s.backend();
  try {
    const check = await backend.check();
    assert.equal(check.setup, 'yes, from setup');
    assert.equal(check.cuda.available, false);
    // An output folder outside workDir (from a hostile job record) is refused.
    await assert.rejects(
      backend.start({ command: 'export', runDir: s.localRunDir, config: { ...standInConfig(s.trainFile, 1, 0), output_dir: path.join(s.workDir, '..', 'elsewhere') }, devices: 'cpu' }),
      /outside the workDir/,
    );
    // A base model given as a path is checked on the remote side before anything starts.
    const absent = path.join(s.dir, 'no-such-model');
    await assert.rejects(
      backend.start({ command: 'train', runDir: s.localRunDir, config: standInConfig(s.trainFile, 1, 0, 0, absent), devices: 'cpu' }),
      (err: Error) => err.message.includes(absent) && err.message.includes('remote side'),
    );
  } finally {
    session.close();
  }
  assert.equal(markerMade(s), false, 'a hostile name ran as code');
});

test('a dropped connection and a restarted editor re-attach from the offset: every event once, byte-identical', { skip: skipWithoutSshd }, async () => {
  const s = setup('reattach');
  const first = s.backend();
  let handle: RunHandle;
  const received: Buffer[] = [];
  let reader: RunReader;
  try {
    handle = await first.backend.start({ command: 'train', runDir: s.localRunDir, config: standInConfig(s.trainFile, 300, 0.005, 3), devices: 'cpu' });
    assert.equal(handle.backend, 'ssh');
    reader = new RunReader(first.backend, handle);
    // Part of the stream, then the connection breaks under the reader.
    await until('the first events', async () => {
      const poll = await reader.poll();
      if (poll.kind === 'events') received.push(poll.bytes);
      return Buffer.concat(received).toString().split('\n').length > 40 ? true : undefined;
    });
    (await first.session.connection()).destroy();
    for (let i = 0; i < 3; i++) {
      const poll = await reader.poll();
      if (poll.kind === 'events') received.push(poll.bytes);
    }
  } finally {
    first.session.close(); // the editor goes away
  }
  // A new window: a new session and backend, resuming from the offset it had kept.
  const second = s.backend();
  try {
    const resumed = new RunReader(second.backend, handle, reader.offset);
    const ended = await until('the end of the run', async () => {
      const poll = await resumed.poll();
      if (poll.kind === 'events' || poll.kind === 'ended') received.push(poll.bytes);
      return poll.kind === 'ended' ? poll : undefined;
    });
    assert.deepEqual(ended.state, { state: 'exited', code: 3 });
  } finally {
    second.session.close();
  }
  const remoteEvents = readFileSync(path.join(handle.runDir, 'events.jsonl'));
  assert.ok(Buffer.concat(received).equals(remoteEvents), 'the events taken differ from the events file');
  const lines = remoteEvents.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 301);
  assert.equal(lines[0]!.setup, 'yes, from setup');
  assert.equal(lines[0]!.sid_is_pgid, true, 'the trainer runs in its own session and process group');
  assert.match(String(lines[0]!.train_file), /\/datasets\/[0-9a-f]{64}\//);
  assert.equal(markerMade(s), false, 'a hostile name ran as code');
});

test('a predict task\'s answers come back from the remote run into the task\'s folder here, for scoring', { skip: skipWithoutSshd }, async () => {
  const s = setup('predict');
  const { backend, session } = s.backend();
  try {
    const taskDir = path.join(path.dirname(s.localRunDir), 'predict-1');
    const handle = await backend.start({ command: 'predict', runDir: taskDir, config: standInConfig(s.trainFile, 1, 0), devices: 'cpu' });
    const reader = new RunReader(backend, handle);
    const received: Buffer[] = [];
    await until('the end of the task', async () => {
      const poll = await reader.poll();
      if (poll.kind === 'events' || poll.kind === 'ended') received.push(poll.bytes);
      return poll.kind === 'ended' ? true : undefined;
    });
    const done = Buffer.concat(received).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; artifacts?: Record<string, string> }).find((e) => e.type === 'done');
    assert.ok(done?.artifacts);
    assert.ok(done.artifacts.predictions?.startsWith(s.workDir), 'the trainer names its file on the remote side');
    const artifacts = await artifactsHere(backend, handle, done.artifacts, taskDir);
    assert.ok(artifacts);
    assert.equal(artifacts.predictions, path.join(taskDir, 'generated_predictions.jsonl'));
    const rows = readFileSync(artifacts.predictions!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { predict: string; prompt: string });
    assert.deepEqual(rows.map((r) => r.predict), ['a0', 'a1', 'a2']);
    assert.equal(rows[0]!.prompt, 'q0 微调');
  } finally {
    session.close();
  }
  assert.equal(markerMade(s), false, 'a hostile name ran as code');
});

test('cancel ends the whole remote process group; status says so', { skip: skipWithoutSshd }, async () => {
  const s = setup('cancel');
  const { backend, session } = s.backend();
  try {
    const handle = await backend.start({ command: 'train', runDir: s.localRunDir, config: standInConfig(s.trainFile, -1, 0), devices: 'cpu' });
    const childPidFile = path.join(handle.runDir, 'child_pid');
    const child = await until('the trainer child', async () => (existsSync(childPidFile) ? Number(readFileSync(childPidFile, 'utf8')) || undefined : undefined));
    assert.deepEqual(await backend.status(handle), { state: 'running' });
    assert.ok(pidAlive(handle.pid) && pidAlive(child));
    await backend.cancel(handle);
    assert.equal(pidAlive(handle.pid), false, 'the wrapper survived cancel');
    assert.equal(pidAlive(child), false, "the trainer's child survived cancel");
    assert.notDeepEqual(await backend.status(handle), { state: 'running' });
    // A record naming a folder that is not one of this backend's runs is refused, never read or signalled.
    await assert.rejects(backend.cancel({ ...handle, runDir: s.dir }), /not a run folder/);
    await assert.rejects(backend.readEvents({ ...handle, runDir: path.join(path.dirname(handle.runDir), '..') }, 0), /not a run folder/);
    // Small files come back to this machine; checkpoints stay remote.
    const config = await backend.fetchArtifact(handle, 'config');
    assert.ok(config && !config.startsWith(handle.runDir));
    assert.equal(JSON.parse(readFileSync(config, 'utf8')).events_file, path.posix.join(handle.runDir, 'events.jsonl'));
    assert.deepEqual(await backend.checkpoints(handle), []);
  } finally {
    session.close();
  }
});

test('uploads are skipped when the same content is there (dataset by remote sha256, trainer by manifest)', { skip: skipWithoutSshd }, async () => {
  const s = setup('upload');
  const session = new SshSession(target());
  try {
    const layout = remoteLayout(s.workDir);
    const first = await uploadDataset(session, session, layout, s.trainFile);
    assert.equal(first.uploaded, true);
    assert.equal(readFileSync(first.remotePath, 'utf8'), readFileSync(s.trainFile, 'utf8'));
    assert.deepEqual(await uploadDataset(session, session, layout, s.trainFile), { ...first, uploaded: false });
    // The remote copy changed behind our back (same name): its stamp no longer matches, it is hashed and replaced.
    writeFileSync(first.remotePath, 'tampered\n');
    assert.deepEqual(await uploadDataset(session, session, layout, s.trainFile), { ...first, uploaded: true });
    assert.equal(readFileSync(first.remotePath, 'utf8'), readFileSync(s.trainFile, 'utf8'));
    // A stamp lost: the copy is hashed there and kept.
    rmSync(`${first.remotePath}.sha256`);
    assert.deepEqual(await uploadDataset(session, session, layout, s.trainFile), { ...first, uploaded: false });
    writeFileSync(s.trainFile, '{"changed": true}\n');
    const changed = await uploadDataset(session, session, layout, s.trainFile);
    assert.equal(changed.uploaded, true);
    assert.notEqual(changed.remotePath, first.remotePath);

    const pkg = path.join(s.dir, 'pkg', 'finetune_trainer');
    mkdirSync(path.join(pkg, 'sub'), { recursive: true });
    writeFileSync(path.join(pkg, '__init__.py'), '');
    writeFileSync(path.join(pkg, 'sub', 'x.py'), 'X = 1\n');
    const up = await uploadPackage(session, layout, { folders: [pkg] });
    assert.equal(up.uploaded, true);
    assert.equal(readFileSync(path.join(up.remotePath, 'finetune_trainer', 'sub', 'x.py'), 'utf8'), 'X = 1\n');
    assert.deepEqual(await uploadPackage(session, layout, { folders: [pkg] }), { ...up, uploaded: false });
  } finally {
    session.close();
  }
  assert.equal(markerMade(s), false, 'a hostile name ran as code');
});

test('reads reconnect with backoff and report each attempt', { skip: skipWithoutSshd }, async () => {
  const s = setup('reconnect');
  const { session } = s.backend();
  try {
    const conn = await session.connection();
    const file = path.join(s.dir, 'f');
    writeFileSync(file, 'content');
    // The connection breaks while a read is under way.
    const reading = session.retrying(async (c) => {
      if (c === conn) {
        c.destroy();
        await new Promise((r) => setTimeout(r, 20));
      }
      return c.readFrom(file, 0, 100);
    });
    assert.equal((await reading)?.toString(), 'content');
    assert.equal(s.attempts[0]?.attempt, 1);
    assert.equal(s.attempts.at(-1), undefined, 'the view is told the connection is back');
  } finally {
    session.close();
  }
});
