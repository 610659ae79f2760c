// LLaMA-Factory's dataset_info.json: the entry whose `file_name` is this file sets the format
// (`formatting`), the column names (`columns`) and, for ShareGPT, the role and content keys and role
// names (`tags`), and whether it is preference data (`ranking: true` with `chosen`/`rejected` columns, or a
// `kto_tag` column). As in LLaMA-Factory's parser (DatasetAttr), once `columns` is given, every column it leaves out
// is not read at all: an Alpaca entry with only `prompt` is pre-training text, one without `query` ignores `input`.
import { ALPACA_LAYOUT, MEDIA_TAGS, OPENAI_LAYOUT, SHAREGPT_LAYOUT, type AlpacaLayout, type ChatLayout, type Layout, type MediaKind } from './layout';
import { DEFAULT_TAGS, shareGptRoles, type RoleTags } from './roles';

type Entry = Record<string, unknown>;

const EXTRA_COLUMNS = ['images', 'videos', 'audios'];

/** The layout that `info` gives the file named `fileName`, or undefined when it has no entry for it. */
export function layoutFromDatasetInfo(info: unknown, fileName: string | undefined): Layout | undefined {
  const entry = findEntry(info, fileName);
  if (!entry) return undefined;
  const columns = isRecord(entry.columns) ? entry.columns : undefined;
  const formatting = entry.formatting;
  const layout = formatting === 'sharegpt' || formatting === 'openai' ? chatLayout(entry, columns, formatting) : alpacaLayout(columns);
  return withPreference(layout, entry, columns);
}

/** `ranking: true` reads `chosen`/`rejected` (LLaMA-Factory's names when columns leaves them out); `kto_tag` a column. */
function withPreference<T extends ChatLayout | AlpacaLayout>(layout: T, entry: Entry, columns: Entry | undefined): T {
  const out: T = { ...layout };
  if (entry.ranking === true) out.ranking = { chosen: stringOr(columns?.chosen, 'chosen'), rejected: stringOr(columns?.rejected, 'rejected') };
  if (typeof columns?.kto_tag === 'string' && columns.kto_tag) out.ktoTag = columns.kto_tag;
  for (const kind of Object.keys(MEDIA_TAGS) as MediaKind[]) {
    const key = columns?.[kind];
    if (typeof key === 'string' && key) out.media = { ...out.media, [kind]: key };
  }
  return out;
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
  // Without `columns` the defaults apply; with it, a column it does not name is not read (LLaMA-Factory sets None).
  const column = (name: string, fallback: string) => (columns ? optionalString(columns[name]) : fallback);
  const layout: AlpacaLayout = {
    ...ALPACA_LAYOUT,
    prompt: column('prompt', 'instruction') ?? 'instruction',
    query: column('query', 'input'),
    response: column('response', 'output'),
    extra: extraColumns(columns),
    mapped: true,
  };
  if (layout.query === undefined) delete layout.query;
  if (layout.response === undefined) delete layout.response;
  return withOptionalColumns(layout, columns, ['system', 'tools', 'history']);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
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
