// A model's tokenizer and chat template, loaded from a local model folder (tokenizer.json + tokenizer_config.json,
// optionally chat_template.jinja / chat_template.json / additional_chat_templates/*.jinja, as transformers saves them).
// Only that folder's own files are used: a missing piece is an error that says what to point at, never a stand-in.
// The tokenizer and Jinja libraries are imported only when a folder is loaded.
import { promises as fs } from 'node:fs';
import { isFile } from '../safeFiles';
import * as path from 'node:path';
import type { Locale } from '../dataset/types';
import { isHubId } from '../models/baseModel';
import { message, type MessageKey } from './messages';
import { compileChatTemplate, type ChatTemplate, type SpecialTokens } from './chatTemplate';
import { TemplateLimitError } from './templateRun';
import { PrefixCounter, sectionable, splitTokens, type AddedTokenSpec } from './prefixCounts';
import type { TokenCountModel } from './count';

export class TokenizerFolderError extends Error {
  constructor(readonly key: MessageKey, readonly params: Record<string, string>) {
    super(message('en', key, params));
    this.name = 'TokenizerFolderError';
  }

  localized(locale: Locale): string {
    return message(locale, this.key, this.params);
  }
}

/** What a model folder offers, read without loading the tokenizer (cheap: for checks before starting workers). */
export interface TokenizerFolder {
  dir: string;
  /** The folder's name, for display. */
  name: string;
  tokenizerJson: string;
  /** tokenizer_config.json, or {} when the folder has none. */
  config: Record<string, unknown>;
  /** Chat templates by name (`default`, `tool_use`...); empty when the folder has none. */
  templates: Record<string, string>;
  /** The file the templates came from, for messages. */
  templateFile: string | undefined;
  specialTokens: SpecialTokens;
}

/** Resolves `ref` (relative to `cwd`) to a model folder and reads its small files. Throws TokenizerFolderError. */
export async function inspectTokenizerFolder(ref: string, cwd = process.cwd(), options: { requireChatTemplate?: boolean } = {}): Promise<TokenizerFolder> {
  const dir = await resolveFolder(ref, cwd);
  const tokenizerJson = path.join(dir, 'tokenizer.json');
  if (!(await isFile(tokenizerJson))) throw new TokenizerFolderError('folder.noTokenizerJson', { dir });
  const configFile = path.join(dir, 'tokenizer_config.json');
  const config = (await isFile(configFile)) ? asRecord(await readJson(configFile), configFile) : {};
  const { templates, file } = await readTemplates(dir, config);
  if ((options.requireChatTemplate ?? true) && Object.keys(templates).length === 0) {
    throw new TokenizerFolderError('folder.noChatTemplate', { dir });
  }
  return { dir, name: path.basename(dir), tokenizerJson, config, templates, templateFile: file, specialTokens: specialTokensOf(config) };
}

/** The folder's tokenizer (@huggingface/tokenizers) and compiled chat template, shared by counting and generation. */
export interface OpenedTokenizerFolder {
  folder: TokenizerFolder;
  tokenizer: HfTokenizer;
  /** Undefined when the folder has no chat template (allowed only with requireChatTemplate: false). */
  template: ChatTemplate | undefined;
  json: { added_tokens?: AddedTokenSpec[]; pre_tokenizer?: unknown; normalizer?: unknown };
}

export type HfTokenizer = InstanceType<typeof import('@huggingface/tokenizers').Tokenizer>;

/** Loads the folder's tokenizer and compiles its chat template. Throws TokenizerFolderError. */
export async function openTokenizerFolder(ref: string, cwd = process.cwd(), options: { requireChatTemplate?: boolean } = {}): Promise<OpenedTokenizerFolder> {
  const folder = await inspectTokenizerFolder(ref, cwd, options);
  const [{ Tokenizer }, jinja] = await Promise.all([import('@huggingface/tokenizers'), import('@huggingface/jinja')]);
  const json = asRecord(await readJson(folder.tokenizerJson), folder.tokenizerJson) as OpenedTokenizerFolder['json'];
  let tokenizer: HfTokenizer;
  try {
    tokenizer = new Tokenizer(json, folder.config);
  } catch (err) {
    throw new TokenizerFolderError('folder.unsupportedTokenizer', { file: folder.tokenizerJson, problem: errorText(err) });
  }
  let template: ChatTemplate | undefined;
  if (Object.keys(folder.templates).length > 0) {
    try {
      template = compileChatTemplate(jinja, folder.templates, folder.specialTokens, folder.templateFile ?? folder.dir);
    } catch (err) {
      if (err instanceof TemplateLimitError) throw new TokenizerFolderError(err.key, err.params);
      throw new TokenizerFolderError('folder.invalidTemplate', { file: folder.templateFile ?? folder.dir, problem: errorText(err) });
    }
  }
  return { folder, tokenizer, template, json };
}

/** Loads the folder's tokenizer and chat template for counting. Throws TokenizerFolderError. */
export async function loadTokenizerFolder(ref: string, cwd = process.cwd(), options: { requireChatTemplate?: boolean } = {}): Promise<TokenCountModel & { folder: TokenizerFolder }> {
  const { folder, tokenizer, template, json } = await openTokenizerFolder(ref, cwd, options);
  const count = (text: string) => tokenizer.tokenize(text).length;
  const tokens = splitTokens(json);
  let counter = new PrefixCounter(count, tokens, sectionable(json));
  // Belt and braces: if counting piece by piece ever disagreed with a whole encode here, encode whole instead.
  const probe = tokens.slice(0, 8).map((t, i) => `${t}${i % 2 ? '  \n\n Hello,  world!\t' : '你好,世界。 123 '}`).join('') + ' end';
  if (counter.countText(probe) !== count(probe)) counter = new PrefixCounter(count, tokens, false);
  const eos = folder.specialTokens['eos_token'];
  const flags = specialTokenFlags(folder.config);
  return {
    folder,
    eosToken: typeof eos === 'string' ? eos : undefined,
    renderChat: (messages, options) => {
      if (!template) throw new TokenizerFolderError('folder.noChatTemplate', { dir: folder.dir });
      return template.render(messages, options);
    },
    renderChatMarked: (messages, options) => template?.renderMarked(messages, options),
    chatCounts: (text) => counter.prefixes(text),
    countPlain: flags
      ? (text) => counter.countText(text) + Number(flags.bos) + Number(flags.eos)
      : (text) => tokenizer.tokenize(text, { add_special_tokens: true }).length,
  };
}

/** Tokenizer classes whose transformers implementation rebuilds the post-processor from add_bos_token / add_eos_token. */
const FLAG_CLASSES = /^(Llama|CodeLlama|Gemma|Cohere)Tokenizer(Fast)?$/;

/**
 * For those classes, transformers' `update_post_processor()` replaces tokenizer.json's post-processor with
 * "BOS (if add_bos_token) + text + EOS (if add_eos_token)"; DeepSeek V3 ships a ByteLevel post-processor and relies
 * on it for its BOS. Undefined for other classes: tokenizer.json's own post-processor decides.
 */
function specialTokenFlags(config: Record<string, unknown>): { bos: boolean; eos: boolean } | undefined {
  const cls = config['tokenizer_class'];
  if (typeof cls !== 'string' || !FLAG_CLASSES.test(cls)) return undefined;
  const bos = config['add_bos_token'] ?? true; // LlamaTokenizerFast's defaults
  const eos = config['add_eos_token'] ?? false;
  const has = (key: string) => config[key] !== null && config[key] !== undefined;
  return { bos: bos === true && has('bos_token'), eos: eos === true && has('eos_token') };
}

async function resolveFolder(ref: string, cwd: string): Promise<string> {
  const full = path.resolve(cwd, ref);
  const stat = await fs.stat(full).catch(() => undefined);
  if (!stat) throw isHubId(ref) ? new TokenizerFolderError('folder.hubId', { ref }) : new TokenizerFolderError('folder.notFound', { dir: full });
  if (stat.isDirectory()) return full;
  // Pointing at one of the folder's files is taken to mean the folder.
  if (['tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'chat_template.json'].includes(path.basename(full))) return path.dirname(full);
  throw new TokenizerFolderError('folder.notAFolder', { dir: full });
}

/**
 * transformers' order: chat_template.jinja (plus additional_chat_templates/*.jinja as named templates), then the
 * older chat_template.json, then "chat_template" in tokenizer_config.json (a string, or a list of {name, template}).
 */
async function readTemplates(dir: string, config: Record<string, unknown>): Promise<{ templates: Record<string, string>; file: string | undefined }> {
  const jinja = path.join(dir, 'chat_template.jinja');
  if (await isFile(jinja)) {
    const templates: Record<string, string> = { default: await fs.readFile(jinja, 'utf8') };
    const extraDir = path.join(dir, 'additional_chat_templates');
    const extra = await fs.readdir(extraDir).catch(() => [] as string[]);
    for (const name of extra.filter((f) => f.endsWith('.jinja')).sort()) {
      templates[name.slice(0, -'.jinja'.length)] = await fs.readFile(path.join(extraDir, name), 'utf8');
    }
    return { templates, file: jinja };
  }
  const json = path.join(dir, 'chat_template.json');
  if (await isFile(json)) {
    const templates = templatesOf(asRecord(await readJson(json), json)['chat_template']);
    if (Object.keys(templates).length > 0) return { templates, file: json };
  }
  return { templates: templatesOf(config['chat_template']), file: path.join(dir, 'tokenizer_config.json') };
}

function templatesOf(value: unknown): Record<string, string> {
  if (typeof value === 'string') return value.trim() ? { default: value } : {};
  if (!Array.isArray(value)) return {};
  const templates: Record<string, string> = {};
  for (const entry of value) {
    const { name, template } = (entry ?? {}) as { name?: unknown; template?: unknown };
    if (typeof name === 'string' && typeof template === 'string') templates[name] = template;
  }
  return templates;
}

/**
 * The folder's special tokens as text would spell them (for the linter's FT071): the special tokens map and
 * tokenizer_config.json's `added_tokens_decoder` entries marked special.
 */
export function textSpecialTokens(folder: TokenizerFolder): string[] {
  const out = new Set<string>();
  for (const value of Object.values(folder.specialTokens)) for (const t of Array.isArray(value) ? value : [value]) out.add(t);
  const decoder = folder.config['added_tokens_decoder'];
  if (typeof decoder === 'object' && decoder !== null) {
    for (const entry of Object.values(decoder as Record<string, unknown>)) {
      const { content, special } = (entry ?? {}) as { content?: unknown; special?: unknown };
      if (typeof content === 'string' && special === true) out.add(content);
    }
  }
  return [...out].filter((t) => t.trim().length >= 3);
}

const SPECIAL_TOKEN_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

/** transformers' `special_tokens_map`: the special tokens that are set, as strings (AddedToken objects give their content). */
function specialTokensOf(config: Record<string, unknown>): SpecialTokens {
  const content = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string' ? (v as { content: string }).content : undefined;
  const tokens: SpecialTokens = {};
  for (const key of SPECIAL_TOKEN_KEYS) {
    const value = content(config[key]);
    if (value !== undefined) tokens[key] = value;
  }
  const extra = config['additional_special_tokens'];
  if (Array.isArray(extra)) tokens['additional_special_tokens'] = extra.map(content).filter((v): v is string => v !== undefined);
  return tokens;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new TokenizerFolderError('folder.invalidFile', { file, problem: errorText(err) });
  }
}

function asRecord(value: unknown, file: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new TokenizerFolderError('folder.invalidFile', { file, problem: 'expected a JSON object' });
}


function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
