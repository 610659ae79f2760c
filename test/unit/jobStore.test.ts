import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listJobs, JOBS_DIR } from '../../src/core/jobs/jobStore';

async function workspaceWith(jobs: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ft-jobs-'));
  for (const [id, text] of Object.entries(jobs)) {
    await mkdir(path.join(root, JOBS_DIR, id), { recursive: true });
    if (text) await writeFile(path.join(root, JOBS_DIR, id, 'job.json'), text);
  }
  return root;
}

const job = (id: string, createdAt: string, extra = {}) =>
  JSON.stringify({ id, name: id, method: 'lora', baseModel: 'Qwen/Qwen2.5-0.5B', status: 'running', createdAt, ...extra });

describe('listJobs', () => {
  it('returns nothing for a workspace without .finetune', async () => {
    assert.deepEqual(await listJobs(await workspaceWith({})), []);
  });

  it('reads records newest first and keeps fields written by newer versions', async () => {
    const root = await workspaceWith({
      old: job('old', '2026-01-01T00:00:00Z'),
      new: job('new', '2026-06-01T00:00:00Z', { futureField: 42 }),
    });
    const jobs = await listJobs(root);
    assert.deepEqual(jobs.map((j) => j.id), ['new', 'old']);
    assert.ok('record' in jobs[0]!);
    assert.equal((jobs[0] as { record: Record<string, unknown> }).record['futureField'], 42);
  });

  it('says why a job cannot be read instead of throwing: missing file, bad JSON, bad schema', async () => {
    const root = await workspaceWith({
      nofile: '',
      badjson: '{"id":',
      badschema: job('badschema', '2026-01-01T00:00:00Z', { status: 'exploded' }),
    });
    const problems = Object.fromEntries((await listJobs(root)).map((j) => [j.id, 'problem' in j ? j.problem : 'ok']));
    assert.match(problems['nofile']!, /cannot read .*ENOENT/);
    assert.match(problems['badjson']!, /not valid JSON/);
    assert.match(problems['badschema']!, /status/);
  });
});
