// Token counts of a rendered conversation and of its prefixes, for the cost of encoding it once.
//
// A tokenizer first splits text at its added tokens (`<|im_start|>`, `<|eot_id|>`...); no token crosses those
// splits, and each piece between them is normalized, pre-tokenized and encoded on its own. So the count of a text
// is the sum of the counts of its pieces, and the count of a prefix ending inside a piece is the pieces before it
// plus the count of that piece's head. Pieces repeat across samples (system prompts, role headers), so their
// counts are cached. `sectionable()` says when this equality holds; otherwise every prefix is encoded whole.

/** Counts tokens of a text with no special tokens added (`add_special_tokens=False`, as chat templates are encoded). */
export type CountFn = (text: string) => number;

export interface PrefixCounts {
  /** Tokens in the whole text. */
  readonly total: number;
  /** Tokens in `text.slice(0, end)`. */
  upTo(end: number): number;
}

/** What of tokenizer.json decides whether pieces can be counted apart. */
export interface AddedTokenSpec {
  content: string;
  normalized?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
}

/**
 * True when counting the pieces between added tokens one by one gives the same total as encoding the text:
 * no added token strips its neighbours' whitespace (lstrip/rstrip), and no Metaspace pre-tokenizer prepends
 * a space to the first piece only (`prepend_scheme: "first"`), the only step that depends on a piece's position.
 */
export function sectionable(tokenizerJson: { added_tokens?: AddedTokenSpec[]; pre_tokenizer?: unknown; normalizer?: unknown }): boolean {
  if ((tokenizerJson.added_tokens ?? []).some((t) => t.lstrip || t.rstrip)) return false;
  return !JSON.stringify(tokenizerJson.pre_tokenizer ?? null).includes('"first"');
}

/** The added tokens the tokenizer splits raw text at (unnormalized ones, or all when there is no normalizer). */
export function splitTokens(tokenizerJson: { added_tokens?: AddedTokenSpec[]; normalizer?: unknown }): string[] {
  const hasNormalizer = tokenizerJson.normalizer !== null && tokenizerJson.normalizer !== undefined;
  return (tokenizerJson.added_tokens ?? []).filter((t) => !hasNormalizer || !t.normalized).map((t) => t.content).filter((c) => c.length > 0);
}

const CACHE_PIECE_CHARS = 4096;
const CACHE_TOTAL_CHARS = 4_000_000;

export class PrefixCounter {
  private readonly trie = new Map<string, TrieNode>();
  /** 1 for each UTF-16 code unit that starts an added token: a cheap test before walking the trie. */
  private readonly first = new Uint8Array(65536);
  private readonly cache = new Map<string, number>();
  private cachedChars = 0;

  /** `tokens`: the added tokens to split at; an empty list (or `sectioned: false`) encodes prefixes whole. */
  constructor(private readonly count: CountFn, tokens: readonly string[], private readonly sectioned = true) {
    for (const token of tokens) {
      let level = this.trie;
      let node: TrieNode | undefined;
      for (let k = 0; k < token.length; k++) {
        node = level.get(token[k]!) ?? { next: new Map(), end: undefined };
        level.set(token[k]!, node);
        level = node.next;
      }
      if (node) node.end = token;
      if (token.length > 0) this.first[token.charCodeAt(0)] = 1;
    }
  }

  /** Counts for `text` and its prefixes. */
  prefixes(text: string): PrefixCounts {
    if (!this.sectioned) return this.whole(text);
    const starts: number[] = [];
    const before: number[] = [];
    let total = 0;
    for (const [start, end, special] of this.pieces(text)) {
      starts.push(start);
      before.push(total);
      total += special ? 1 : this.cachedCount(text.slice(start, end));
    }
    return {
      total,
      upTo: (end) => {
        if (end >= text.length) return total;
        if (end <= 0) return 0;
        const i = lastAtOrBefore(starts, end);
        const start = starts[i]!;
        return before[i]! + (end === start ? 0 : this.cachedCount(text.slice(start, end)));
      },
    };
  }

  /** Tokens in `text` (no special tokens added). */
  countText(text: string): number {
    return this.sectioned ? this.prefixes(text).total : this.count(text);
  }

  private whole(text: string): PrefixCounts {
    const total = this.count(text);
    return { total, upTo: (end) => (end >= text.length ? total : end <= 0 ? 0 : this.count(text.slice(0, end))) };
  }

  private cachedCount(piece: string): number {
    if (piece.length > CACHE_PIECE_CHARS) return this.count(piece);
    const hit = this.cache.get(piece);
    if (hit !== undefined) return hit;
    const n = this.count(piece);
    if (this.cachedChars + piece.length > CACHE_TOTAL_CHARS) {
      this.cache.clear();
      this.cachedChars = 0;
    }
    this.cache.set(piece, n);
    this.cachedChars += piece.length;
    return n;
  }

  /** [start, end, isAddedToken] for each piece, splitting at the longest added token starting at each position. */
  private *pieces(text: string): Generator<[number, number, boolean]> {
    let pieceStart = 0;
    let i = 0;
    while (i < text.length) {
      const match = this.first[text.charCodeAt(i)] === 1 ? this.matchAt(text, i) : 0;
      if (match === 0) {
        i++;
        continue;
      }
      if (i > pieceStart) yield [pieceStart, i, false];
      yield [i, i + match, true];
      i += match;
      pieceStart = i;
    }
    if (text.length > pieceStart) yield [pieceStart, text.length, false];
  }

  /** Length of the longest added token at `i`, or 0. Walks code units, as the tokenizer's own splitter does. */
  private matchAt(text: string, i: number): number {
    let level = this.trie;
    let best = 0;
    for (let j = i; j < text.length; j++) {
      const node = level.get(text[j]!);
      if (!node) break;
      if (node.end !== undefined) best = j + 1 - i;
      level = node.next;
    }
    return best;
  }
}

interface TrieNode {
  next: Map<string, TrieNode>;
  end: string | undefined;
}

/** Index of the last element of ascending `values` that is <= `x` (values[0] is 0 <= x). */
function lastAtOrBefore(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
