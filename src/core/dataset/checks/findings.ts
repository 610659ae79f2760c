// What a rule reports before positions and words are resolved: a code, a message id with its
// parameters, where (a path into the sample, or columns on the line) and an optional fix.
import type { Code } from '../codes';
import type { JsonPath } from '../parsing/jsonPath';
import type { MessageId, MessageParams } from '../messages';

export type Where =
  /** The value at `path` (or its key, with `key: true`). */
  | { path: JsonPath; key?: boolean }
  /** Columns on the line. */
  | { start: number; end: number }
  | 'line';

export type FixSpec =
  /** Replace the string value `from` at `path` with `value` (a misspelt role). */
  | { kind: 'fix-role'; path: JsonPath; from: string; value: string }
  /** Rename the key `from` at `path` to `value`. */
  | { kind: 'rename-key'; path: JsonPath; from: string; value: string }
  | { kind: 'remove-bom' }
  | { kind: 'delete-blank-line' }
  | { kind: 'delete-duplicate' }
  /** Replace the lone surrogate escape at columns [start, end) with `\ufffd`. */
  | { kind: 'replace-lone-surrogate'; start: number; end: number };

export interface Finding {
  code: Code;
  where: Where;
  message: { id: MessageId; params: Record<string, string | number> };
  fix?: FixSpec;
}

/** Collects a sample's findings in the order the rules produce them. */
export class Findings {
  readonly list: Finding[] = [];

  add<K extends MessageId>(code: Code, where: Where, id: K, params: MessageParams<K>, fix?: FixSpec): void {
    const finding: Finding = { code, where, message: { id, params: params as Record<string, string | number> } };
    if (fix) finding.fix = fix;
    this.list.push(finding);
  }

  has(code: Code): boolean {
    return this.list.some((f) => f.code === code);
  }
}
