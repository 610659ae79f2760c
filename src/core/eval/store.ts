// Eval runs on disk under `.finetune/evals/`: create, list, read, and write each file atomically.
import { readdir } from 'node:fs/promises';
import { readRegularFile } from '../regularFile';
import { join } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from './atomicWrite';
import { EvalRunMeta, ScoresFile, type EvalModel } from './schema';
import { predictionsText, readStoredPredictions, type StoredPrediction } from './predictions';

export const EVALS_DIR = join('.finetune', 'evals');

/** A new eval id: sortable by time, unique enough for one workspace (`20261125-020606-a1b2`). */
export function newEvalId(now = new Date(), random = Math.random): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${stamp}-${Math.floor(random() * 0x10000).toString(16).padStart(4, '0')}`;
}

/** A model id from a name: file-name safe, unique among `taken`. */
export function modelIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '').slice(0, 60) || 'model';
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
  return id;
}

function parseJson<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** One eval run's folder. */
export class EvalRunFiles {
  constructor(readonly dir: string) {}

  get metaFile(): string { return join(this.dir, 'eval.json'); }
  get scoresFile(): string { return join(this.dir, 'scores.json'); }
  predictionsFile(model: Pick<EvalModel, 'id'>): string { return join(this.dir, `${model.id}.predictions.jsonl`); }

  async readMeta(): Promise<EvalRunMeta> {
    return parseJson(EvalRunMeta, await readRegularFile(this.metaFile), this.metaFile);
  }

  writeMeta(meta: EvalRunMeta): Promise<void> {
    return writeFileAtomic(this.metaFile, JSON.stringify(EvalRunMeta.parse(meta), null, 2) + '\n');
  }

  /** scores.json, or undefined when the run has none yet. */
  async readScores(): Promise<ScoresFile | undefined> {
    const text = await readRegularFile(this.scoresFile).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    return text === undefined ? undefined : parseJson(ScoresFile, text, this.scoresFile);
  }

  writeScores(scores: ScoresFile): Promise<void> {
    return writeFileAtomic(this.scoresFile, JSON.stringify(ScoresFile.parse(scores)) + '\n');
  }

  /** Each model's stored answers (none for a model whose file is missing: it may not have started). */
  async readPredictions(meta: EvalRunMeta): Promise<Map<string, StoredPrediction[]>> {
    const out = new Map<string, StoredPrediction[]>();
    for (const model of meta.models) {
      const text = await readRegularFile(this.predictionsFile(model)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw err;
      });
      out.set(model.id, readStoredPredictions(text));
    }
    return out;
  }

  writePredictions(model: Pick<EvalModel, 'id'>, rows: readonly StoredPrediction[]): Promise<void> {
    return writeFileAtomic(this.predictionsFile(model), predictionsText(rows));
  }
}

/** The eval runs of a workspace folder, newest first; folders whose eval.json cannot be read are listed in `broken`. */
export async function listEvalRuns(workspace: string): Promise<{ runs: { files: EvalRunFiles; meta: EvalRunMeta }[]; broken: { dir: string; reason: string }[] }> {
  const root = join(workspace, EVALS_DIR);
  const names = await readdir(root, { withFileTypes: true }).catch(() => []);
  const runs: { files: EvalRunFiles; meta: EvalRunMeta }[] = [];
  const broken: { dir: string; reason: string }[] = [];
  for (const entry of names) {
    if (!entry.isDirectory()) continue;
    const files = new EvalRunFiles(join(root, entry.name));
    try {
      runs.push({ files, meta: await files.readMeta() });
    } catch (err) {
      broken.push({ dir: files.dir, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  runs.sort((a, b) => b.meta.created.localeCompare(a.meta.created) || b.meta.id.localeCompare(a.meta.id));
  return { runs, broken };
}

/** Starts a run's folder with its eval.json. */
export async function createEvalRun(workspace: string, meta: Omit<EvalRunMeta, 'version' | 'id' | 'created'>, now = new Date()): Promise<{ files: EvalRunFiles; meta: EvalRunMeta }> {
  const id = newEvalId(now);
  const files = new EvalRunFiles(join(workspace, EVALS_DIR, id));
  const full: EvalRunMeta = { version: 1, id, created: now.toISOString(), ...meta };
  await files.writeMeta(full);
  return { files, meta: full };
}
