// One message of a conversation as the sequence rules see it, whatever the format calls things.
import type { JsonPath } from '../../parsing/jsonPath';
import type { CanonicalRole } from '../../formats/roles';

export interface Turn {
  /** Position in the messages array. */
  index: number;
  path: JsonPath;
  /** Undefined when the role is missing or unknown (already reported); a misspelt role counts as its fix. */
  role?: CanonicalRole;
  /** The role as written. */
  roleName?: string;
  /** The text that counts for duplicates (content, tool calls). */
  text: string;
  /** No content, or only white space. */
  empty: boolean;
  /** Tool or function calls this message makes. */
  calls: number;
  weight?: number;
  /** The content has the wrong type (already reported): it says nothing about emptiness. */
  broken?: boolean;
}

/** What a sample says, for duplicate and overlap keys: its turns in order, the answer last. */
export interface SampleView {
  parts: { role: string; text: string }[];
  /** True when the last part is the answer (so the others are the prompt). */
  endsWithAnswer: boolean;
}

export function viewOf(turns: readonly Turn[]): SampleView {
  const parts = turns.map((t) => ({ role: t.role ?? t.roleName ?? '?', text: t.text }));
  const last = turns[turns.length - 1];
  return { parts, endsWithAnswer: last?.role === 'assistant' || last?.role === 'function_call' };
}
