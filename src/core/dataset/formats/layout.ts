// How to read a sample of each format: which keys hold what, and which role names are valid.
// Defaults follow each format's usual shape; a LLaMA-Factory dataset_info.json entry overrides them
// (see datasetInfo.ts).
import type { DatasetFormat } from '../types';
import { DEFAULT_TAGS, OPENAI_ROLES, shareGptRoles, type RoleSet, type RoleTags } from './roles';

/**
 * LLaMA-Factory's preference data, from its dataset_info.json entry: `ranking: true` puts a chosen and a rejected
 * answer in two columns (DPO, ORPO); a `kto_tag` column marks each answer desirable or not (KTO).
 */
export interface Preference {
  ranking?: { chosen: string; rejected: string };
  ktoTag?: string;
  /** Media columns dataset_info.json names (images, videos, audios → the sample's key). */
  media?: Partial<Record<MediaKind, string>>;
}

export type MediaKind = 'images' | 'videos' | 'audios';
export const MEDIA_TAGS: Readonly<Record<MediaKind, string>> = { images: '<image>', videos: '<video>', audios: '<audio>' };

export interface ChatLayout extends Preference {
  format: 'openai' | 'sharegpt';
  messages: string;
  roleKey: string;
  contentKey: string;
  roles: RoleSet;
  tags: RoleTags;
  system?: string;
  tools?: string;
  /** Other keys the loader reads (images, chosen...). */
  extra: readonly string[];
  /** True when dataset_info.json described this file. */
  mapped: boolean;
}

export interface AlpacaLayout extends Preference {
  format: 'alpaca';
  prompt: string;
  query?: string;
  /** Undefined for pre-training text (`columns: {prompt: "text"}`): the prompt column is the whole sample. */
  response?: string;
  system?: string;
  history?: string;
  tools?: string;
  extra: readonly string[];
  mapped: boolean;
}

export interface SimpleLayout {
  format: 'prompt_completion' | 'text';
  extra: readonly string[];
  mapped: false;
}

export type Layout = ChatLayout | AlpacaLayout | SimpleLayout;

export const OPENAI_LAYOUT: ChatLayout = {
  format: 'openai', messages: 'messages', roleKey: 'role', contentKey: 'content', roles: OPENAI_ROLES,
  tags: { user: 'user', assistant: 'assistant', observation: 'tool', function: 'assistant', system: 'system' },
  tools: 'tools', extra: ['functions', 'parallel_tool_calls'], mapped: false,
};

export const SHAREGPT_LAYOUT: ChatLayout = {
  format: 'sharegpt', messages: 'conversations', roleKey: 'from', contentKey: 'value',
  roles: shareGptRoles(DEFAULT_TAGS), tags: DEFAULT_TAGS, system: 'system', tools: 'tools', extra: [], mapped: false,
};

export const ALPACA_LAYOUT: AlpacaLayout = {
  format: 'alpaca', prompt: 'instruction', query: 'input', response: 'output', system: 'system',
  history: 'history', extra: [], mapped: false,
};

export const PROMPT_COMPLETION_LAYOUT: SimpleLayout = { format: 'prompt_completion', extra: [], mapped: false };
export const TEXT_LAYOUT: SimpleLayout = { format: 'text', extra: [], mapped: false };

const topLevelCache = new WeakMap<Layout, string[]>();

/** The keys a layout reads at the top level of a sample (computed once per layout). */
export function topLevelKeys(layout: Layout): string[] {
  let keys = topLevelCache.get(layout);
  if (!keys) topLevelCache.set(layout, (keys = computeTopLevelKeys(layout)));
  return keys;
}

function computeTopLevelKeys(layout: Layout): string[] {
  switch (layout.format) {
    case 'openai':
    case 'sharegpt':
      return defined([layout.messages, layout.system, layout.tools, ...preferenceKeys(layout), ...layout.extra]);
    case 'alpaca':
      return defined([layout.prompt, layout.query, layout.response, layout.system, layout.history, layout.tools, ...preferenceKeys(layout), ...layout.extra]);
    case 'prompt_completion':
      return ['prompt', 'completion'];
    case 'text':
      return ['text'];
  }
}

const requiredCache = new WeakMap<Layout, string[]>();

/** The key whose absence makes a sample unusable in this layout (computed once per layout). */
export function requiredKeys(layout: Layout): string[] {
  let keys = requiredCache.get(layout);
  if (!keys) requiredCache.set(layout, (keys = computeRequiredKeys(layout)));
  return keys;
}

function computeRequiredKeys(layout: Layout): string[] {
  switch (layout.format) {
    case 'openai':
    case 'sharegpt':
      return [layout.messages, ...rankingKeys(layout)];
    case 'alpaca':
      if (layout.ranking) return rankingKeys(layout);
      return [layout.response ?? layout.prompt];
    case 'prompt_completion':
      return ['prompt', 'completion'];
    case 'text':
      return ['text'];
  }
}

function rankingKeys(layout: Preference): string[] {
  return layout.ranking ? [layout.ranking.chosen, layout.ranking.rejected] : [];
}

function preferenceKeys(layout: Preference): string[] {
  return [...rankingKeys(layout), ...(layout.ktoTag ? [layout.ktoTag] : [])];
}

function defined(keys: (string | undefined)[]): string[] {
  return keys.filter((k): k is string => typeof k === 'string' && k.length > 0);
}

export const DEFAULT_LAYOUTS: readonly Layout[] = [OPENAI_LAYOUT, SHAREGPT_LAYOUT, ALPACA_LAYOUT, PROMPT_COMPLETION_LAYOUT, TEXT_LAYOUT];

export function defaultLayout(format: DatasetFormat): Layout {
  return DEFAULT_LAYOUTS.find((l) => l.format === format)!;
}
