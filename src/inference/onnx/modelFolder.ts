// A local model folder in the layout optimum and transformers.js export: config.json, generation_config.json (when
// present), the tokenizer files, and the graph at model.onnx, onnx/model.onnx or decoder_model_merged.onnx (in the
// folder or onnx/), with `_fp16` / `_quantized` variants. Reads only small JSON files; the graph is loaded later.
import { promises as fs } from 'node:fs';
import { isFile } from '../../core/safeFiles';
import * as path from 'node:path';
import { onnxError } from './messages';

export type GraphVariant = 'default' | 'fp16' | 'quantized';
export const GRAPH_VARIANTS: readonly GraphVariant[] = ['default', 'fp16', 'quantized'];

/** generation_config.json's defaults that generation uses (transformers' names in camelCase). */
export interface GenerationDefaults {
  /** Every end-of-sequence id of generation_config.json and config.json. */
  eosTokenIds: number[];
  doSample?: boolean;
  temperature?: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
}

export interface ModelFolder {
  dir: string;
  name: string;
  graphFile: string;
  config: Record<string, unknown>;
  /** config.json's path, for messages. */
  configFile: string;
  generation: GenerationDefaults;
}

const GRAPH_NAMES = ['model', 'decoder_model_merged'];
const GRAPH_DIRS = ['', 'onnx'];
const SUFFIX: Record<GraphVariant, string> = { default: '', fp16: '_fp16', quantized: '_quantized' };

/** The graph files looked for, in order, for `variant`. */
export function graphCandidates(variant: GraphVariant): string[] {
  return GRAPH_DIRS.flatMap((d) => GRAPH_NAMES.map((n) => path.join(d, `${n}${SUFFIX[variant]}.onnx`)));
}

/** Resolves `ref` against `cwd` and reads the folder's config and graph choice. Throws OnnxModelError. */
export async function readModelFolder(ref: string, cwd: string, variant: GraphVariant = 'default'): Promise<ModelFolder> {
  const dir = path.resolve(cwd, ref);
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw onnxError('model.notFound', { dir });
  if (!stat.isDirectory()) throw onnxError('model.notAFolder', { dir });
  const graphFile = await findGraph(dir, variant);
  const configFile = path.join(dir, 'config.json');
  const config = (await readJsonObject(configFile)) ?? {};
  const generationFile = path.join(dir, 'generation_config.json');
  const generation = (await readJsonObject(generationFile)) ?? {};
  return { dir, name: path.basename(dir), graphFile, config, configFile, generation: generationDefaults(generation, config) };
}

async function findGraph(dir: string, variant: GraphVariant): Promise<string> {
  const candidates = graphCandidates(variant);
  for (const c of candidates) if (await isFile(path.join(dir, c))) return path.join(dir, c);
  if (variant === 'default') throw onnxError('model.noGraph', { dir, candidates: candidates.join(', ') });
  const found: string[] = [];
  for (const other of GRAPH_VARIANTS) {
    for (const c of graphCandidates(other)) if (other !== variant && (await isFile(path.join(dir, c)))) found.push(c);
  }
  if (found.length === 0) throw onnxError('model.noGraph', { dir, candidates: candidates.join(', ') });
  throw onnxError('model.noVariant', { dir, variant, candidates: candidates.join(', '), found: found.join(', ') });
}

/** transformers' generation_config.json fields (eos_token_id: an id or a list; config.json's adds to it). */
export function generationDefaults(generation: Record<string, unknown>, config: Record<string, unknown>): GenerationDefaults {
  const ids = (v: unknown): number[] => (Array.isArray(v) ? v : [v]).filter((x): x is number => Number.isInteger(x) && (x as number) >= 0);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const out: GenerationDefaults = { eosTokenIds: [...new Set([...ids(generation['eos_token_id']), ...ids(config['eos_token_id'])])] };
  if (typeof generation['do_sample'] === 'boolean') out.doSample = generation['do_sample'];
  const fields: [keyof GenerationDefaults, string][] = [['temperature', 'temperature'], ['topP', 'top_p'], ['topK', 'top_k'], ['repetitionPenalty', 'repetition_penalty']];
  for (const [key, field] of fields) {
    const value = num(generation[field]);
    if (value !== undefined) (out as unknown as Record<string, number>)[key] = value;
  }
  return out;
}

/** The JSON object in `file`; undefined when there is no such file. Throws OnnxModelError for an unreadable one. */
async function readJsonObject(file: string): Promise<Record<string, unknown> | undefined> {
  if (!(await isFile(file))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw onnxError('model.invalidFile', { file, problem: err instanceof Error ? err.message : String(err) });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw onnxError('model.invalidFile', { file, problem: 'expected a JSON object' });
  return value as Record<string, unknown>;
}

