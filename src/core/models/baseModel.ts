import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What the Models view shows about a base model entry: a local folder or a hub id. */
export type BaseModelInfo =
  | { kind: 'folder'; ref: string; path: string; name: string; exists: boolean; architecture?: string; hasTokenizer: boolean; hasChatTemplate: boolean }
  | { kind: 'hub'; ref: string; name: string };

const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `org/name` that is not an existing relative folder is a hub id; anything else is a folder path. */
export function isHubId(ref: string): boolean {
  return HUB_ID.test(ref) && !ref.startsWith('.');
}

export async function inspectBaseModel(ref: string, root: string | undefined): Promise<BaseModelInfo> {
  const folder = path.resolve(root ?? '.', ref);
  const exists = await isDirectory(folder);
  if (!exists && isHubId(ref)) return { kind: 'hub', ref, name: ref };
  const config = exists ? await readJson(path.join(folder, 'config.json')) : undefined;
  const tokenizerConfig = exists ? await readJson(path.join(folder, 'tokenizer_config.json')) : undefined;
  const architectures = config?.['architectures'];
  return {
    kind: 'folder',
    ref,
    path: folder,
    name: path.basename(folder),
    exists,
    architecture: Array.isArray(architectures) ? String(architectures[0]) : typeof config?.['model_type'] === 'string' ? config['model_type'] : undefined,
    hasTokenizer: exists && (await isFile(path.join(folder, 'tokenizer.json'))),
    hasChatTemplate: typeof tokenizerConfig?.['chat_template'] === 'string' || (exists && (await isFile(path.join(folder, 'chat_template.jinja')))),
  };
}

async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

async function readJson(p: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(p, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
