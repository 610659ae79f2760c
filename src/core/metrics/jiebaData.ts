// Python jieba 0.42.1's segmentation data, read once from the brotli-compressed text that scripts/jieba-data.py
// writes from Debian's python3-jieba (assets/jieba/, copied by the build into dist/jieba/): the prefix dictionary
// as a trie, Python's own logarithms of the frequencies, and the HMM tables of jieba.finalseg.
// jieba is MIT-licensed, (c) 2013 Sun Junyi; see assets/jieba/README.md.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { brotliDecompress } from 'node:zlib';
import { promisify } from 'node:util';

/** The plain text in dist/jieba/ (the build unpacks it); the repository keeps it brotli-compressed in assets/jieba/. */
export const JIEBA_DATA_FILE = 'jieba-0.42.1.txt';

/** finalseg's MIN_FLOAT: the log probability of an unseen emission or transition. */
export const MIN_FLOAT = -3.14e100;

/** HMM states in finalseg's order 'BMES'. */
export const B = 0, M = 1, E = 2, S = 3;
const STATE_INDEX: Record<string, number> = { B, M, E, S };

export interface JiebaData {
  /** The prefix dictionary (`FREQ`'s keys) by UTF-16 code unit; the root is node 0. */
  readonly trie: Trie;
  /** Per node: 1 when the prefix is a dictionary word with a non-zero frequency (what `FREQ[frag]` tests). */
  readonly isWord: Uint8Array;
  /** Per node: `log(FREQ.get(frag) or 1) - logtotal`, with Python's logarithms. */
  readonly weight: Float64Array;
  /** `log(1) - logtotal`: the weight of a single character that is no word. */
  readonly unknownWeight: number;
  readonly total: number;
  /** start[state], trans[from * 4 + to] (MIN_FLOAT where Python's table has no entry). */
  readonly start: Float64Array;
  readonly trans: Float64Array;
  /** emit[state][code unit] (MIN_FLOAT where there is no entry; every key of Python's tables is in the BMP). */
  readonly emit: readonly Float64Array[];
  /** Number of trie nodes, the root included. */
  readonly nodes: number;
  /** Every (prefix, frequency) the trie holds, for the tests: Python's FREQ, prefixes of frequency 0 included. */
  entries(): Generator<[string, number]>;
}

export class JiebaDataError extends Error {}

/** Looks for the data file next to the bundle (dist/jieba/), else for the compressed one in assets/jieba/. */
export function findJiebaData(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidates = [path.join(dir, 'jieba', JIEBA_DATA_FILE), path.join(dir, 'dist', 'jieba', JIEBA_DATA_FILE),
      path.join(dir, 'assets', 'jieba', JIEBA_DATA_FILE + '.br')];
    const file = candidates.find((f) => existsSync(f));
    if (file) return file;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Reads the data file (decompressing a .br one) and builds the tables. */
export async function loadJiebaData(file = findJiebaData()): Promise<JiebaData> {
  if (!file) throw new JiebaDataError(`jieba data (${JIEBA_DATA_FILE}) not found next to ${__dirname}: run the build (node esbuild.mjs)`);
  const bytes = await fs.readFile(file);
  const text = (file.endsWith('.br') ? await promisify(brotliDecompress)(bytes) : bytes).toString('utf8');
  return parseJiebaData(text, file);
}

/**
 * The prefix trie. Nodes are numbered in the order the sorted words create them; each node's children sit together
 * in `labels`/`kids` from `childStart[node]` to `childStart[node + 1]`, sorted by code unit. The root's ~20,000
 * children are also in a direct table.
 */
export class Trie {
  constructor(
    private readonly rootKids: Int32Array,
    private readonly childStart: Int32Array,
    private readonly labels: Uint16Array,
    private readonly kids: Int32Array,
  ) {}

  /** The child of `node` for code unit `c`, or -1. */
  child(node: number, c: number): number {
    if (node === 0) return this.rootKids[c]!;
    let lo = this.childStart[node]!;
    let hi = this.childStart[node + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = this.labels[mid]!;
      if (l === c) return this.kids[mid]!;
      if (l < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Every node below the root with its prefix, depth first. */
  *prefixes(): Generator<[number, string]> {
    const stack: [number, string][] = [[0, '']];
    while (stack.length > 0) {
      const [node, prefix] = stack.pop()!;
      if (node !== 0) yield [node, prefix];
      for (let i = this.childStart[node]!; i < this.childStart[node + 1]!; i++) {
        stack.push([this.kids[i]!, prefix + String.fromCharCode(this.labels[i]!)]);
      }
    }
  }
}

/**
 * Builds the trie of the `count` words listed from `pos` (word TAB frequency, one a line, sorted). A word shares
 * its prefix with the one before, and its next character sorts after every child already under that prefix, so
 * every new node is appended: no lookups while building. `error` names a malformed line (1-based word number).
 */
function buildTrie(text: string, pos: number, count: number, nodeCount: number) {
  const freq = new Uint32Array(nodeCount);
  const parentOf = new Int32Array(nodeCount);
  const labelOf = new Uint16Array(nodeCount);
  const lastLabel = new Int32Array(nodeCount).fill(-1);
  const childCount = new Int32Array(nodeCount + 1);
  const trail = new Int32Array(256);
  let nodes = 1;
  let previous = pos;
  let previousLength = 0;
  const result = (error?: string) => ({ freq, nodes, trie: error ? undefined : index(), error });
  const index = () => {
    const childStart = new Int32Array(nodeCount + 1);
    for (let n = 0; n < nodeCount; n++) childStart[n + 1] = childStart[n]! + childCount[n]!;
    const cursor = childStart.slice(0, nodeCount);
    const labels = new Uint16Array(nodeCount);
    const kids = new Int32Array(nodeCount);
    const rootKids = new Int32Array(0x10000).fill(-1);
    for (let n = 1; n < nodes; n++) {
      const at = cursor[parentOf[n]!]!++;
      labels[at] = labelOf[n]!;
      kids[at] = n;
      if (parentOf[n] === 0) rootKids[labelOf[n]!] = n;
    }
    return new Trie(rootKids, childStart, labels, kids);
  };
  for (let i = 0; i < count; i++) {
    const tab = text.indexOf('\t', pos);
    const length = tab - pos;
    if (tab < 0 || length <= 0 || length >= trail.length) return result(`word ${i + 1}: expected word<TAB>frequency`);
    let common = 0;
    const limit = length < previousLength ? length : previousLength;
    while (common < limit && text.charCodeAt(pos + common) === text.charCodeAt(previous + common)) common++;
    if (common === length) return result(`word ${i + 1}: not sorted, or listed twice`);
    let node = trail[common]!;
    for (let k = common; k < length; k++) {
      const c = text.charCodeAt(pos + k);
      if (c <= lastLabel[node]! || nodes >= nodeCount) return result(`word ${i + 1}: not sorted, or more prefixes than the header says`);
      lastLabel[node] = c;
      childCount[node]!++;
      parentOf[nodes] = node;
      labelOf[nodes] = c;
      node = nodes++;
      trail[k + 1] = node;
    }
    let f = 0;
    let at = tab + 1;
    for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at)) f = f * 10 + (c - 0x30);
    if (at === tab + 1 || (at < text.length && text.charCodeAt(at) !== 0x0a)) return result(`word ${i + 1}: expected a frequency`);
    freq[node] = f;
    previous = pos;
    previousLength = length;
    pos = at + 1;
  }
  return result();
}

/** Parses the text scripts/jieba-data.py writes (tab-separated sections; see there). */
export function parseJiebaData(text: string, source = 'jieba data'): JiebaData {
  let pos = 0;
  let lineNo = 0;
  const fail = (what: string): never => {
    throw new JiebaDataError(`${source}: line ${lineNo}: ${what}`);
  };
  const line = (): string => {
    if (pos >= text.length) fail('unexpected end of data');
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const s = text.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    return s;
  };
  const next = (tag: string): string[] => {
    const fields = line().split('\t');
    if (fields[0] !== tag) fail(`expected '${tag}'`);
    return fields;
  };
  const num = (s: string | undefined): number => {
    const v = Number(s);
    if (s === undefined || s === '' || Number.isNaN(v)) fail(`not a number: ${s}`);
    return v;
  };

  if (next('jieba')[1] !== '0.42.1') fail('expected jieba 0.42.1 data');
  const totalLine = next('total');
  const total = num(totalLine[1]);
  const logTotal = num(totalLine[2]);

  const start = new Float64Array(4).fill(MIN_FLOAT);
  const startFields = next('start');
  for (let i = 1; i + 1 < startFields.length; i += 2) start[STATE_INDEX[startFields[i]!] ?? fail('bad state')] = num(startFields[i + 1]);
  const trans = new Float64Array(16).fill(MIN_FLOAT);
  for (let k = 0; k < 4; k++) {
    const f = next('trans');
    const from = STATE_INDEX[f[1]!] ?? fail('bad state');
    for (let i = 2; i + 1 < f.length; i += 2) trans[from * 4 + (STATE_INDEX[f[i]!] ?? fail('bad state'))] = num(f[i + 1]);
  }
  const emit = [0, 1, 2, 3].map(() => new Float64Array(0x10000).fill(MIN_FLOAT));
  for (let k = 0; k < 4; k++) {
    const f = next('emit');
    const table = emit[STATE_INDEX[f[1]!] ?? fail('bad state')]!;
    const count = num(f[2]);
    for (let i = 0; i < count; i++) {
      const entry = line();
      if (entry.length < 3 || entry[1] !== '\t') fail('emission keys must be one BMP character');
      table[entry.charCodeAt(0)] = num(entry.slice(2));
    }
  }

  const logs = new Map<number, number>();
  const logCount = num(next('logs')[1]);
  for (let i = 0; i < logCount; i++) {
    const entry = line();
    const tab = entry.indexOf('\t');
    logs.set(num(entry.slice(0, tab)), num(entry.slice(tab + 1)));
  }
  const wordsLine = next('words');
  const wordCount = num(wordsLine[1]);
  const nodeCount = num(wordsLine[2]) + 1;

  // The word list is most of the data: read in place, without a string per line.
  const { trie, freq, nodes, error } = buildTrie(text, pos, wordCount, nodeCount);
  if (!trie) return fail(error ?? 'bad word list');
  if (nodes !== nodeCount) fail(`expected ${nodeCount - 1} prefixes, built ${nodes - 1}`);

  const isWord = new Uint8Array(nodes);
  const weight = new Float64Array(nodes);
  const unknownWeight = 0 - logTotal;
  for (let n = 0; n < nodes; n++) {
    const f = freq[n]!;
    isWord[n] = f > 0 ? 1 : 0;
    // Python: log(FREQ.get(frag) or 1) - logtotal, the first step of the route's sum.
    weight[n] = f > 0 ? (logs.get(f) ?? fail(`no logarithm for frequency ${f}`)) - logTotal : unknownWeight;
  }

  return {
    trie,
    isWord,
    weight,
    unknownWeight,
    total,
    start,
    trans,
    emit,
    nodes,
    *entries() {
      for (const [node, prefix] of trie.prefixes()) yield [prefix, freq[node]!];
    },
  };
}
