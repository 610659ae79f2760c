// LLaMA-Factory's dataset_info.json: the entry whose `file_name` is this file sets the format
// (`formatting`), the column names (`columns`) and, for ShareGPT, the role and content keys and role
// names (`tags`). As in LLaMA-Factory's parser, once `columns` is given, optional columns it leaves out
// (system, tools, history...) are not read at all.
import { ALPACA_LAYOUT, OPENAI_LAYOUT, SHAREGPT_LAYOUT, type AlpacaLayout, type ChatLayout, type Layout } from './layout';
import { DEFAULT_TAGS, shareGptRoles, type RoleTags } from './roles';

type Entry = Record<string, unknown>;

const EXTRA_COLUMNS = ['images', 'videos', 'audios', 'chosen', 'rejected', 'kto_tag'];

/** The layout that `info` gives the file named `fileName`, or undefined when it has no entry for it. */
export function layoutFromDatasetInfo(info: unknown, fileName: string | undefined): Layout | undefined {
  const entry = findEntry(info, fileName);
  if (!entry) return undefined;
  const columns = isRecord(entry.columns) ? entry.columns : undefined;
  const formatting = entry.formatting;
  if (formatting === 'sharegpt' || formatting === 'openai') return chatLayout(entry, columns, formatting);
  return alpacaLayout(columns);
}

/** Whether `info` has an entry for the file named `fileName`. */
export function namesFile(info: unknown, fileName: string | undefined): boolean {
  return findEntry(info, fileName) !== undefined;
}

function findEntry(info: unknown, fileName: string | undefined): Entry | undefined {
  if (!isRecord(info) || !fileName) return undefined;
  const wanted = normalisePath(fileName);
  for (const entry of Object.values(info)) {
    if (!isRecord(entry) || typeof entry.file_name !== 'string') continue;
    const name = normalisePath(entry.file_name);
    if (name === wanted || baseName(name) === baseName(wanted)) return entry;
  }
  return undefined;
}

function chatLayout(entry: Entry, columns: Entry | undefined, formatting: 'sharegpt' | 'openai'): ChatLayout {
  const base = formatting === 'openai' ? OPENAI_LAYOUT : SHAREGPT_LAYOUT;
  const tagsGiven = isRecord(entry.tags) ? entry.tags : {};
  const tag = (name: string, fallback: string) => stringOr(tagsGiven[name], fallback);
  const tags: RoleTags = formatting === 'openai' && !isRecord(entry.tags)
    ? { user: 'user', assistant: 'assistant', observation: 'tool', function: 'function_call', system: 'system' }
    : {
      user: tag('user_tag', DEFAULT_TAGS.user), assistant: tag('assistant_tag', DEFAULT_TAGS.assistant),
      observation: tag('observation_tag', DEFAULT_TAGS.observation), function: tag('function_tag', DEFAULT_TAGS.function),
      system: tag('system_tag', DEFAULT_TAGS.system),
    };
  const roleDefault = formatting === 'openai' ? 'role' : 'from';
  const contentDefault = formatting === 'openai' ? 'content' : 'value';
  const layout: ChatLayout = {
    ...base,
    messages: stringOr(columns?.messages, 'conversations'),
    roleKey: tag('role_tag', isRecord(entry.tags) ? 'from' : roleDefault),
    contentKey: tag('content_tag', isRecord(entry.tags) ? 'value' : contentDefault),
    roles: formatting === 'openai' && !isRecord(entry.tags) ? base.roles : shareGptRoles(tags),
    tags,
    extra: extraColumns(columns),
    mapped: true,
  };
  return withOptionalColumns(layout, columns, ['system', 'tools']);
}

function alpacaLayout(columns: Entry | undefined): AlpacaLayout {
  const layout: AlpacaLayout = {
    ...ALPACA_LAYOUT,
    prompt: stringOr(columns?.prompt, 'instruction'),
    query: stringOr(columns?.query, 'input'),
    response: stringOr(columns?.response, 'output'),
    extra: extraColumns(columns),
    mapped: true,
  };
  return withOptionalColumns(layout, columns, ['system', 'tools', 'history']);
}

/** Optional columns come from `columns` when it is given; without `columns`, LLaMA-Factory reads none. */
function withOptionalColumns<T extends ChatLayout | AlpacaLayout>(layout: T, columns: Entry | undefined, names: string[]): T {
  const out: Record<string, unknown> = { ...layout };
  for (const name of names) {
    const value = columns?.[name];
    if (typeof value === 'string') out[name] = value;
    else delete out[name];
  }
  return out as T;
}

function extraColumns(columns: Entry | undefined): string[] {
  if (!columns) return [];
  return EXTRA_COLUMNS.map((c) => columns[c]).filter((v): v is string => typeof v === 'string');
}

function isRecord(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.length > 0 ? v : fallback;
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
