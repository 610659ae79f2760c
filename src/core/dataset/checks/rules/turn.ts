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
  /** The content's text, compared for duplicates up to white space and letter case. */
  text: string;
  /** What counts for duplicates as written (tool calls, media parts): there case and spacing are meaning. */
  exact?: string;
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
  parts: ViewPart[];
  /** The tools the sample declares, as written (part of its prompt). */
  tools?: string;
  /** True when the last part is the answer (so the others are the prompt). */
  endsWithAnswer: boolean;
}

export interface ViewPart {
  role: string;
  text: string;
  exact?: string;
  /** Where the text is in the sample, for findings about it: `at` inside the value at `path` (no array built per part). */
  path?: JsonPath;
  at?: string | number;
}

/** The view of a conversation; `contentKey` names each message's text (for the parts' paths). */
export function viewOf(turns: readonly Turn[], contentKey = 'content'): SampleView {
  const parts: ViewPart[] = [];
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    const part: ViewPart = { role: t.role ?? t.roleName ?? '?', text: t.text, path: t.path, at: contentKey };
    if (t.exact) part.exact = t.exact;
    parts.push(part);
  }
  const last = turns[turns.length - 1];
  return { parts, endsWithAnswer: last?.role === 'assistant' || last?.role === 'function_call' };
}
