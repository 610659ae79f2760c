import { promises as fs } from 'node:fs';
import { isDirectory, isFile } from '../safeFiles';
import * as path from 'node:path';

/** Where Fine-tune: Create Demo Model writes its tiny model, relative to the workspace. */
export const DEMO_MODEL_FOLDER = 'models/demo-qwen3';

/** What the Models view shows about a base model entry: a local folder or a hub id. */
export type BaseModelInfo =
  | {
    kind: 'folder'; ref: string; path: string; name: string; exists: boolean; architecture?: string;
    hasConfig: boolean; hasWeights: boolean; hasTokenizer: boolean; hasChatTemplate: boolean;
  }
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
    hasConfig: config !== undefined,
    hasWeights: exists && (await hasWeightFiles(folder)),
    hasTokenizer: exists && (await isFile(path.join(folder, 'tokenizer.json'))),
    hasChatTemplate: typeof tokenizerConfig?.['chat_template'] === 'string' || (exists && (await isFile(path.join(folder, 'chat_template.jinja')))),
  };
}

/** What keeps a folder from being trained on (none for a hub id: that is checked where it downloads). */
export type BaseModelProblem = 'missing' | 'noConfig' | 'noWeights';

export function baseModelProblem(info: BaseModelInfo): BaseModelProblem | undefined {
  if (info.kind === 'hub') return undefined;
  if (!info.exists) return 'missing';
  if (!info.hasConfig) return 'noConfig';
  if (!info.hasWeights) return 'noWeights';
  return undefined;
}

const WEIGHTS = /\.(safetensors|bin|pt|pth|gguf)$|^model\.safetensors\.index\.json$/;

async function hasWeightFiles(folder: string): Promise<boolean> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  return names.some((n) => WEIGHTS.test(n) && !n.startsWith('training_args') && n !== 'optimizer.pt');
}



async function readJson(p: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(p, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
