// A predict task's answers on a remote backend come back to this machine for scoring: here the "remote side" is
// this machine reached through LocalHost (as a Slurm login node is), so the remote run folder and the fetch are real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RemoteRuns } from '../../../src/backends/remote/remoteRuns';
import { LocalHost } from '../../../src/backends/remote/localHost';
import { artifactsHere } from '../../../src/backends/taskArtifacts';
import type { Backend } from '../../../src/backends/backend';
import type { RemoteRunHandle } from '../../../src/shared/job';

function remoteRun() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ft-task-artifacts-'));
  const workDir = path.join(root, 'remote');
  const runs = new RemoteRuns({
    kind: 'ssh', name: 'lab', config: { python: 'python3', setup: [], workDir }, host: new LocalHost(),
    trainer: { upload: { folders: [] } }, cacheDir: path.join(root, 'cache'),
  });
  const backend = { kind: 'ssh', fetchArtifact: (h, a, l) => runs.fetchArtifact(h, a, l) } as Pick<Backend, 'kind' | 'fetchArtifact'> as Backend;
  const runDir = path.join(workDir, 'runs', 'job-predict-1');
  const handle: RemoteRunHandle = { backend: 'ssh', backendName: 'lab', pid: 1, runDir, command: [] };
  return { root, runDir, backend, handle, here: path.join(root, 'job', 'predict-1') };
}

test('a remote predict task\'s predictions file is fetched into the task\'s folder here', async () => {
  const { root, runDir, backend, handle, here } = remoteRun();
  try {
    const remoteFile = path.join(runDir, 'output', 'generated_predictions.jsonl');
    mkdirSync(path.dirname(remoteFile), { recursive: true });
    const rows = '{"prompt":"1+1","predict":"2","label":"2"}\n{"prompt":"天","predict":"地","label":"地"}\n';
    writeFileSync(remoteFile, rows);
    const artifacts = await artifactsHere(backend, handle, { output_dir: path.dirname(remoteFile), predictions: remoteFile }, here);
    assert.ok(artifacts);
    assert.equal(artifacts['predictions'], path.join(here, 'generated_predictions.jsonl'));
    assert.equal(readFileSync(artifacts['predictions']!, 'utf8'), rows);
    assert.equal(artifacts['output_dir'], path.dirname(remoteFile), 'model folders stay remote paths');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a predictions file that is not in the remote run\'s output is reported, never a remote path handed on', async () => {
  const { root, runDir, backend, handle, here } = remoteRun();
  try {
    mkdirSync(runDir, { recursive: true });
    assert.equal(await artifactsHere(backend, handle, { predictions: '/elsewhere/generated_predictions.jsonl' }, here), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a local run\'s artifacts and an export\'s (no predictions) pass unchanged', async () => {
  const { root, backend, handle, here } = remoteRun();
  try {
    const local = { backend: 'local' as const, pid: 1, runDir: '/x', command: [] };
    assert.deepEqual(await artifactsHere(backend, local, { predictions: '/x/output/p.jsonl' }, here), { predictions: '/x/output/p.jsonl' });
    assert.deepEqual(await artifactsHere(backend, handle, { model: '/remote/model' }, here), { model: '/remote/model' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
