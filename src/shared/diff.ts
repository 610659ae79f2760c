// Word or character diff of a model's answer against the reference answer (Myers' O(ND) algorithm), for the
// eval-detail view. Pure and DOM-free: the webview turns the segments into text nodes.

export type DiffGranularity = 'word' | 'character';

/** `equal`: in both; `delete`: in the reference only (the answer misses it); `insert`: in the answer only. */
export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/**
 * Word tokens: runs of letters/digits of alphabetic scripts, runs of whitespace, and every other character on its
 * own (CJK text has no spaces, so each Han character or punctuation mark is a token).
 */
const WORD = /[\p{L}\p{N}_'’-]+|\s+|[^]/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function diffTokens(text: string, granularity: DiffGranularity): string[] {
  if (granularity === 'character') return Array.from(text);
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const token = m[0];
    // A letter run may mix scripts ("Qwen模型"): CJK characters are split off one by one.
    if (token.length > 1 && CJK.test(token)) {
      let run = '';
      for (const ch of token) {
        if (CJK.test(ch)) {
          if (run) out.push(run);
          run = '';
          out.push(ch);
        } else {
          run += ch;
        }
      }
      if (run) out.push(run);
    } else {
      out.push(token);
    }
  }
  return out;
}

/** Beyond this many edits the diff gives up and marks the texts as wholly different (keeps huge rows cheap). */
export const MAX_EDITS = 4_000;

/** The segments that turn `reference` into `answer`. */
export function diffText(reference: string, answer: string, granularity: DiffGranularity = 'word', maxEdits = MAX_EDITS): DiffSegment[] {
  const a = diffTokens(reference, granularity);
  const b = diffTokens(answer, granularity);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const out: DiffSegment[] = [];
  const push = (op: DiffSegment['op'], tokens: readonly string[]) => {
    if (tokens.length === 0) return;
    const text = tokens.join('');
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  push('equal', a.slice(0, start));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (middle) {
    for (const [op, tokens] of middle) push(op, tokens);
  } else {
    push('delete', a.slice(start, endA));
    push('insert', b.slice(start, endB));
  }
  push('equal', a.slice(endA));
  return out;
}

type Edit = [DiffSegment['op'], string[]];

/** Myers' greedy shortest edit script; undefined when it needs more than `maxEdits` edits. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): Edit[] | undefined {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [['delete', [...a]], ['insert', [...b]]];
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], offset: number, dEnd: number): Edit[] {
  const edits: Edit[] = [];
  const add = (op: DiffSegment['op'], token: string) => {
    const last = edits[edits.length - 1];
    if (last && last[0] === op) last[1].push(token);
    else edits.push([op, [token]]);
  };
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { add('equal', a[x - 1]!); x--; y--; }
    if (down) { add('insert', b[y - 1]!); y--; }
    else { add('delete', a[x - 1]!); x--; }
  }
  while (x > 0 && y > 0) { add('equal', a[x - 1]!); x--; y--; }
  edits.reverse();
  for (const e of edits) e[1].reverse();
  return edits;
}
