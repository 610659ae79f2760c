// Role names per format, the words other formats use for the same roles, and the fix for a wrong one.
import { closest } from './suggest';

/** What a message is, whatever the format calls it. `function_call` is ShareGPT's assistant-side call. */
export type CanonicalRole = 'system' | 'user' | 'assistant' | 'tool' | 'function_call';

/** A format's valid role names and what each means. */
export type RoleSet = ReadonlyMap<string, CanonicalRole>;

export const OPENAI_ROLES: RoleSet = new Map<string, CanonicalRole>([
  ['system', 'system'], ['developer', 'system'], ['user', 'user'], ['assistant', 'assistant'],
  ['tool', 'tool'], ['function', 'tool'],
]);

/** ShareGPT tags (LLaMA-Factory's names; dataset_info.json may rename them). */
export interface RoleTags {
  user: string;
  assistant: string;
  observation: string;
  function: string;
  system: string;
}

export const DEFAULT_TAGS: RoleTags = {
  user: 'human', assistant: 'gpt', observation: 'observation', function: 'function_call', system: 'system',
};

export function shareGptRoles(tags: RoleTags): RoleSet {
  return new Map<string, CanonicalRole>([
    [tags.user, 'user'], [tags.assistant, 'assistant'], [tags.observation, 'tool'],
    [tags.function, 'function_call'], [tags.system, 'system'],
  ]);
}

/** Words seen in datasets for each role, across formats (lower case). */
const SYNONYMS: ReadonlyMap<string, CanonicalRole> = new Map<string, CanonicalRole>([
  ['system', 'system'], ['sys', 'system'], ['developer', 'system'],
  ['user', 'user'], ['human', 'user'], ['usr', 'user'], ['question', 'user'],
  ['assistant', 'assistant'], ['gpt', 'assistant'], ['bot', 'assistant'], ['model', 'assistant'],
  ['chatgpt', 'assistant'], ['ai', 'assistant'], ['answer', 'assistant'], ['response', 'assistant'],
  ['tool', 'tool'], ['observation', 'tool'], ['function', 'tool'], ['ipython', 'tool'],
  ['function_call', 'function_call'], ['tool_call', 'function_call'], ['tool_calls', 'function_call'],
]);

/**
 * The valid role that `found` most likely meant: a different case, another format's word for the
 * same role, or a misspelling of either. Undefined when nothing is close.
 */
export function suggestRole(found: string, roles: RoleSet): string | undefined {
  // A file's wrong roles are usually a few words written again and again: each is worked out once (the edit
  // distances to every candidate cost some 30 µs). Bounded (few, short words), so a file of ever-new wrong roles
  // keeps no more.
  let known = suggestionCache.get(roles);
  if (!known) suggestionCache.set(roles, (known = new Map()));
  if (known.has(found)) return known.get(found);
  const fix = computeSuggestion(found, roles);
  if (known.size < MAX_CACHED_SUGGESTIONS && found.length <= 64) known.set(found, fix);
  return fix;
}

const suggestionCache = new WeakMap<RoleSet, Map<string, string | undefined>>();
const MAX_CACHED_SUGGESTIONS = 256;

function computeSuggestion(found: string, roles: RoleSet): string | undefined {
  const word = found.trim().toLowerCase();
  if (roles.has(word)) return word;
  const viaSynonym = (w: string): string | undefined => {
    const canonical = SYNONYMS.get(w);
    return canonical ? tagFor(canonical, roles) : undefined;
  };
  const direct = viaSynonym(word);
  if (direct) return direct;
  const near = closest(word, candidatesFor(roles));
  if (near === undefined) return undefined;
  return roles.has(near) ? near : viaSynonym(near);
}

const candidateCache = new WeakMap<RoleSet, ReadonlySet<string>>();

/** The words a wrong role may be a misspelling of (built once per role set: every misspelt role asks). */
function candidatesFor(roles: RoleSet): ReadonlySet<string> {
  let words = candidateCache.get(roles);
  if (!words) candidateCache.set(roles, (words = new Set([...roles.keys(), ...SYNONYMS.keys()])));
  return words;
}

/** The role name a format uses for `canonical` (`function_call` falls back to the assistant's). */
function tagFor(canonical: CanonicalRole, roles: RoleSet): string | undefined {
  for (const [tag, c] of roles) if (c === canonical) return tag;
  if (canonical === 'function_call') return tagFor('assistant', roles);
  return undefined;
}
