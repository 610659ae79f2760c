// The model registry's storage: one JSON record per export or deployment in `<root>/.finetune/models/<id>.json`,
// written atomically (temp file + rename, never through a link) and read as untrusted input (bounded, no links,
// validated; a bad record is listed with its problem, never thrown).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelRecord } from '../../shared/modelRegistry';
import { readErrorReason } from '../regularFile';
import { assertNoLinks, mkdirNoFollow, readRecordFile, removeNoFollow, writeFileAtomic } from '../safeFiles';
import { slugStamp } from '../paths';

export const MODELS_DIR = path.join('.finetune', 'models');

export type StoredModel =
  | { id: string; file: string; record: ModelRecord }
  | { id: string; file: string; problem: string };

/** Every record of `<root>/.finetune/models/`, newest first; unreadable ones say why. */
export async function listModelRecords(root: string): Promise<StoredModel[]> {
  const dir = path.join(root, MODELS_DIR);
  try {
    await assertNoLinks(dir, root);
  } catch (err) {
    return [{ id: MODELS_DIR, file: dir, problem: (err as Error).message }];
  }
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const records = await Promise.all(names.map((n) => readModelFile(path.join(dir, n))));
  return records.sort((a, b) => createdAt(b).localeCompare(createdAt(a)) || a.id.localeCompare(b.id));
}

async function readModelFile(file: string): Promise<StoredModel> {
  const id = path.basename(file, '.json');
  let json: unknown;
  try {
    json = JSON.parse(await readRecordFile(file, 1024 * 1024));
  } catch (err) {
    return { id, file, problem: err instanceof SyntaxError ? `${file} is not valid JSON: ${err.message}` : `cannot read ${file}: ${readErrorReason(err, 'en')}` };
  }
  const parsed = ModelRecord.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { id, file, problem: `${file}: ${first?.path.join('.') || '(root)'}: ${first?.message}` };
  }
  if (parsed.data.id !== id) return { id, file, problem: `${file}: the record's id "${parsed.data.id}" is not its file name` };
  return { id, file, record: parsed.data };
}

function createdAt(m: StoredModel): string {
  return 'record' in m ? m.record.createdAt : '';
}

/** Reads one record by id, or throws with the reason. */
export async function readModelRecord(root: string, id: string): Promise<ModelRecord> {
  const stored = await readModelFile(recordFile(root, id));
  if ('problem' in stored) throw new Error(stored.problem);
  return stored.record;
}

/** Writes (creates or replaces) a record atomically. */
export async function writeModelRecord(root: string, record: ModelRecord): Promise<void> {
  const parsed = ModelRecord.parse(record);
  await mkdirNoFollow(path.join(root, MODELS_DIR), root);
  await writeFileAtomic(recordFile(root, parsed.id), JSON.stringify(parsed, null, 2) + '\n', root);
}

/** Removes a record (only the record: never the model files it names). */
export async function removeModelRecord(root: string, id: string): Promise<void> {
  await removeNoFollow(recordFile(root, id), root);
}

/** A new record id: a slug of the name plus the time, not yet taken. */
export async function newModelId(root: string, name: string, now = new Date()): Promise<string> {
  const stem = slugStamp(name, now, 'model');
  for (let n = 0; ; n++) {
    const id = `${stem}${n ? `-${n}` : ''}`;
    if (!(await fs.lstat(recordFile(root, id)).catch(() => undefined))) return id;
  }
}

function recordFile(root: string, id: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) throw new Error(`not a model record id: ${id}`);
  return path.join(root, MODELS_DIR, `${id}.json`);
}
