// Paths into a parsed sample (`['messages', 2, 'role']`) and their spans on the line, found with the
// position-aware parser only when a diagnostic needs one (the fast path parses with JSON.parse).
import { parseJsonLine, type JsonNode } from './jsonLine';

export type JsonPath = readonly (string | number)[];

/** Column range on one line. */
export interface ColumnRange {
  start: number;
  end: number;
}

/** The node at `path`, or undefined. Duplicate keys resolve to the last, as JSON.parse does. */
export function nodeAt(root: JsonNode, path: JsonPath): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    node = childOf(node, step);
  }
  return node;
}

function childOf(node: JsonNode, step: string | number): JsonNode | undefined {
  if (node.type === 'array') return typeof step === 'number' ? node.items[step] : undefined;
  if (node.type !== 'object' || typeof step !== 'string') return undefined;
  for (let i = node.members.length - 1; i >= 0; i--) {
    const member = node.members[i]!;
    if (member.key === step) return member.value;
  }
  return undefined;
}

/** The key's span of the member at `path` (its last step must be a key). */
export function keyRangeAt(root: JsonNode, path: JsonPath): ColumnRange | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!parent || parent.type !== 'object' || typeof key !== 'string') return undefined;
  for (let i = parent.members.length - 1; i >= 0; i--) {
    const m = parent.members[i]!;
    if (m.key === key) return { start: m.keyStart, end: m.keyEnd };
  }
  return undefined;
}

/** Finds spans on one line, parsing it with spans the first time one is asked for. */
export class LineLocator {
  private root: JsonNode | null | undefined;

  /** `offset` is added to every column: the line's text may start after a BOM. */
  constructor(private readonly text: string, private readonly offset: number) {}

  /** The value's span (or the key's, with `key`), falling back to the whole line. */
  range(path: JsonPath, key = false): ColumnRange {
    return this.find(path, key) ?? this.whole();
  }

  /** The value's span (or the key's, with `key`), or undefined when the path is not on the line. */
  find(path: JsonPath, key = false): ColumnRange | undefined {
    const root = this.parsed();
    const found = root ? (key ? keyRangeAt(root, path) : nodeAt(root, path)) : undefined;
    return found && { start: found.start + this.offset, end: found.end + this.offset };
  }

  whole(): ColumnRange {
    return { start: this.offset, end: this.offset + this.text.length };
  }

  private parsed(): JsonNode | null {
    if (this.root === undefined) {
      const result = parseJsonLine(this.text);
      this.root = result.ok ? result.root : null;
    }
    return this.root;
  }
}
