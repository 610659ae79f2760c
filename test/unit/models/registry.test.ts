import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listModelRecords, newModelId, readModelRecord, removeModelRecord, writeModelRecord } from '../../../src/core/models/registry';
import type { ExportRecord } from '../../../src/shared/modelRegistry';

async function workspace(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'ft-registry-'));
}

const exported = (id: string, createdAt: string): ExportRecord => ({
  id, kind: 'export', name: 'demo (ONNX)', createdAt, format: 'onnx',
  source: { jobId: 'demo-20261207-100000', datasetSha256: 'a'.repeat(64) },
  location: { backend: 'local', path: '/tmp/x/onnx' },
  check: { passed: true, maxAbsLogitsDiff: 1e-5, tolerance: 0.01 },
});

test('records are written, listed newest first, read back and removed', async () => {
  const root = await workspace();
  const id = await newModelId(root, 'Demo (ONNX)', new Date('2026-12-07T10:00:00Z'));
  assert.equal(id, 'demo-onnx-20261207-100000');
  await writeModelRecord(root, exported(id, '2026-12-07T10:00:00Z'));
  await writeModelRecord(root, exported('newer', '2026-12-07T11:00:00Z'));
  assert.equal(await newModelId(root, 'Demo (ONNX)', new Date('2026-12-07T10:00:00Z')), `${id}-1`);
  assert.deepEqual((await listModelRecords(root)).map((m) => m.id), ['newer', id]);
  assert.equal((await readModelRecord(root, id)).name, 'demo (ONNX)');
  await removeModelRecord(root, id);
  assert.deepEqual((await listModelRecords(root)).map((m) => m.id), ['newer']);
});

test('a bad, renamed or linked record is listed with its problem, never thrown or followed', async () => {
  const root = await workspace();
  const dir = path.join(root, '.finetune', 'models');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'broken.json'), '{"id":');
  await fs.writeFile(path.join(dir, 'renamed.json'), JSON.stringify(exported('other', '2026-12-07T10:00:00Z')));
  await fs.writeFile(path.join(dir, 'wrong.json'), JSON.stringify({ ...exported('wrong', 'x'), format: 'gguf' }));
  await fs.symlink('/etc/passwd', path.join(dir, 'linked.json'));
  const problems = Object.fromEntries((await listModelRecords(root)).map((m) => [m.id, 'problem' in m ? m.problem : 'ok']));
  assert.match(problems.broken!, /not valid JSON/);
  assert.match(problems.renamed!, /is not its file name/);
  assert.match(problems.wrong!, /format/);
  assert.notEqual(problems.linked, 'ok');
  await assert.rejects(readModelRecord(root, '../../etc/passwd'), /not a model record id/);
});

test('writing through a linked models folder is refused', async () => {
  const root = await workspace();
  const elsewhere = await workspace();
  await fs.mkdir(path.join(root, '.finetune'), { recursive: true });
  await fs.symlink(elsewhere, path.join(root, '.finetune', 'models'));
  await assert.rejects(writeModelRecord(root, exported('x', '2026-12-07T10:00:00Z')));
  assert.deepEqual(await fs.readdir(elsewhere), []);
});
