// A line-by-line port of Python jieba 0.42.1's `jieba.cut(text)` (default mode, HMM on), on Python jieba's own data
// (jiebaData.ts). Python works on code points; every character jieba's regular expressions let into the dictionary
// and the HMM is in the BMP, so those parts index UTF-16 code units, and only the characters yielded one by one
// (emoji, astral CJK) are taken as whole code points.
import { isPySpace } from './python';
import { B, E, M, S, type JiebaData } from './jiebaData';

/** re_han_default = `[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]`. */
function isHanDefault(c: number): boolean {
  if (c >= 0x4e00) return c <= 0x9fd5;
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2b || c === 0x23 || c === 0x26 || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2d;
}

/** finalseg's re_han = `[\u4E00-\u9FD5]`. */
const isHan = (c: number) => c >= 0x4e00 && c <= 0x9fd5;

/** finalseg's re_skip = `([a-zA-Z0-9]+(?:\.\d+)?%?)`; its input holds only re_han_default characters, so `\d` is ASCII. */
const FINALSEG_SKIP = /([a-zA-Z0-9]+(?:\.[0-9]+)?%?)/;

/** The state letters by index, for Python's tie-breaking on (probability, letter) tuples. */
const LETTER = ['B', 'M', 'E', 'S'];

export class JiebaTokenizer {
  // Scratch arrays for the route, grown as needed.
  private routeLogP = new Float64Array(256);
  private routeEnd = new Int32Array(256);

  constructor(private readonly data: JiebaData) {}

  /** `list(jieba.cut(text))`. */
  cut(text: string): string[] {
    const out: string[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isHanDefault(c)) {
        // A block re_han_default matches: cut through the dictionary and the HMM.
        let j = i + 1;
        while (j < n && isHanDefault(text.charCodeAt(j))) j++;
        this.cutDag(text.slice(i, j), out);
        i = j;
      } else if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
        // re_skip_default = `(\r\n|\s)`: "\r\n" stays one token, any other whitespace character is one token.
        out.push('\r\n');
        i += 2;
      } else if (isPySpace(c)) {
        out.push(text[i]!);
        i++;
      } else {
        // Everything else is yielded one character (code point) at a time.
        const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
        out.push(text.slice(i, i + width));
        i += width;
      }
    }
    return out;
  }

  /** Tokenizer.calc: the best route from each position, ties to the longer word as Python's max over tuples. */
  private route(sentence: string): Int32Array {
    const n = sentence.length;
    if (this.routeLogP.length < n + 1) {
      this.routeLogP = new Float64Array(2 * n + 2);
      this.routeEnd = new Int32Array(2 * n + 2);
    }
    const logP = this.routeLogP;
    const end = this.routeEnd;
    const { trie, isWord, weight, unknownWeight } = this.data;
    logP[n] = 0;
    end[n] = 0;
    for (let idx = n - 1; idx >= 0; idx--) {
      // DAG[idx]: every x with sentence[idx:x+1] a word (FREQ[frag] > 0), walking while the fragment is a prefix.
      let best = -Infinity;
      let bestX = -1;
      let node = 0;
      for (let x = idx; x < n; x++) {
        node = trie.child(node, sentence.charCodeAt(x));
        if (node < 0) break;
        if (isWord[node]) {
          const p = weight[node]! + logP[x + 1]!;
          if (p >= best) {
            best = p;
            bestX = x;
          }
        }
      }
      if (bestX < 0) {
        // No word starts here: DAG[idx] = [idx], weighted log(1) - logtotal.
        best = unknownWeight + logP[idx + 1]!;
        bestX = idx;
      }
      logP[idx] = best;
      end[idx] = bestX;
    }
    return end;
  }

  /** Tokenizer.__cut_DAG. */
  private cutDag(sentence: string, out: string[]): void {
    const end = this.route(sentence);
    const n = sentence.length;
    let x = 0;
    let bufStart = -1;
    while (x < n) {
      const y = end[x]! + 1;
      if (y - x === 1) {
        if (bufStart < 0) bufStart = x;
      } else {
        if (bufStart >= 0) {
          this.flush(sentence.slice(bufStart, x), out);
          bufStart = -1;
        }
        out.push(sentence.slice(x, y));
      }
      x = y;
    }
    if (bufStart >= 0) this.flush(sentence.slice(bufStart), out);
  }

  /** The run of single characters: one character as is; a non-word through finalseg; a word character by character. */
  private flush(buf: string, out: string[]): void {
    if (buf.length === 1) out.push(buf);
    else if (!this.isWord(buf)) this.finalsegCut(buf, out);
    else for (const ch of buf) out.push(ch);
  }

  /** `FREQ.get(word)` is non-zero. */
  isWord(word: string): boolean {
    let node = 0;
    for (let i = 0; i < word.length && node >= 0; i++) node = this.data.trie.child(node, word.charCodeAt(i));
    return node > 0 && this.data.isWord[node] === 1;
  }

  /** finalseg.cut: Han runs through the HMM, the rest split by finalseg's re_skip into its non-empty pieces. */
  private finalsegCut(sentence: string, out: string[]): void {
    const n = sentence.length;
    let i = 0;
    while (i < n) {
      let j = i + 1;
      const han = isHan(sentence.charCodeAt(i));
      while (j < n && isHan(sentence.charCodeAt(j)) === han) j++;
      const block = sentence.slice(i, j);
      if (han) this.viterbiCut(block, out);
      else for (const piece of block.split(FINALSEG_SKIP)) if (piece) out.push(piece);
      i = j;
    }
  }

  /** finalseg.__cut: Viterbi over the states BMES, ties broken as Python's max over (probability, state) tuples. */
  private viterbiCut(obs: string, out: string[]): void {
    const { start, trans, emit } = this.data;
    const n = obs.length;
    // back[t * 4 + y]: the best previous state of y at t.
    const back = new Uint8Array(n * 4);
    let v = [0, 0, 0, 0];
    const c0 = obs.charCodeAt(0);
    for (let y = 0; y < 4; y++) v[y] = start[y]! + emit[y]![c0]!;
    // PrevStatus: B ← E,S; M ← M,B; E ← B,M; S ← S,E. On equal probabilities the later letter wins (B < E < M < S).
    const prev: readonly [number, number][] = [[E, S], [M, B], [B, M], [S, E]];
    for (let t = 1; t < n; t++) {
      const c = obs.charCodeAt(t);
      const nv = [0, 0, 0, 0];
      for (let y = 0; y < 4; y++) {
        const em = emit[y]![c]!;
        const [a, b] = prev[y]!;
        const pa = v[a]! + trans[a * 4 + y]! + em;
        const pb = v[b]! + trans[b * 4 + y]! + em;
        const takeB = pb > pa || (pb === pa && LETTER[b]! > LETTER[a]!);
        nv[y] = takeB ? pb : pa;
        back[t * 4 + y] = takeB ? b : a;
      }
      v = nv;
    }
    // max over (V[last][y], y) for y in 'ES': S on a tie.
    let state = v[S]! >= v[E]! ? S : E;
    const states = new Uint8Array(n);
    for (let t = n - 1; t >= 0; t--) {
      states[t] = state;
      state = back[t * 4 + state]!;
    }
    let begin = 0;
    let nexti = 0;
    for (let t = 0; t < n; t++) {
      const pos = states[t];
      if (pos === B) begin = t;
      else if (pos === E) {
        out.push(obs.slice(begin, t + 1));
        nexti = t + 1;
      } else if (pos === S) {
        out.push(obs[t]!);
        nexti = t + 1;
      }
    }
    if (nexti < n) out.push(obs.slice(nexti));
  }
}
