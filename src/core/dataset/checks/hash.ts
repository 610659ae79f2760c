// 53-bit string hashes (two 32-bit multiply-xor lanes, murmur3's finaliser), so duplicate and overlap
// checks keep numbers, not texts. Pure JS: the same code runs in the editor's worker and the CLI.

/** A running hash over several strings; `value()` gives a 53-bit integer that is never 0. */
export class Hasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x2545f491;

  /** Adds the string as is. */
  add(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /**
   * Adds the string with whitespace runs collapsed to one space, ends trimmed and letters
   * lower-cased. Folded characters are mixed two at a time (half the multiplications).
   */
  addNormalised(s: string): this {
    const fold = foldTable();
    let start = 0;
    let end = s.length;
    while (start < end && fold[s.charCodeAt(start)] === SPACE) start++;
    while (end > start && fold[s.charCodeAt(end - 1)] === SPACE) end--;
    let h1 = this.h1;
    let h2 = this.h2;
    let half = -1;
    let inSpace = false;
    for (let i = start; i < end; i++) {
      let c = fold[s.charCodeAt(i)]!;
      // Inside the trimmed range a space run always ends before `end`: emit one space for it.
      if (c === SPACE) {
        if (inSpace) continue;
        inSpace = true;
        c = 0x20;
      } else {
        inSpace = false;
      }
      if (half < 0) {
        half = c;
        continue;
      }
      const w = half | (c << 16);
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 ^ w, 0x5bd1e995);
      h2 ^= h2 >>> 13;
      half = -1;
    }
    if (half >= 0) {
      h1 = Math.imul(h1 ^ half, 0x01000193);
      h2 = Math.imul(h2 ^ half, 0x5bd1e995);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** Adds a separator that no text produces, so ["ab","c"] and ["a","bc"] differ. */
  separator(tag: number): this {
    this.h1 = Math.imul(this.h1 ^ (0x10000 + tag), 0x01000193);
    this.h2 = Math.imul(this.h2 ^ (0x10000 + tag), 0x5bd1e995);
    return this;
  }

  value(): number {
    const a = fmix(this.h1 ^ this.h2);
    const b = fmix(this.h2 + 0x9e3779b9);
    const v = (a >>> 0) * 0x200000 + (b >>> 11);
    return v === 0 ? 1 : v;
  }
}

export function hashString(s: string): number {
  return new Hasher().add(s).value();
}

/**
 * A fast 32-bit hash (two characters a step, one lane). Alone it collides too often for a big file;
 * the linter combines it with the 53-bit sample key to tell exact from near duplicates.
 */
export function quickHash32(s: string): number {
  let h = 0x9747b28c ^ s.length;
  const n = s.length - 1;
  let i = 0;
  for (; i < n; i += 2) {
    h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x5bd1e995);
    h ^= h >>> 15;
  }
  if (i < s.length) h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
  return fmix(h) >>> 0;
}

/** A 53-bit key from a 53-bit hash and a 32-bit one. */
export function combine(a: number, b: number): number {
  const hi = fmix((a / 0x200000) ^ b) >>> 0;
  const lo = fmix((a % 0x200000) ^ Math.imul(b, 0x85ebca6b)) >>> 11;
  const v = hi * 0x200000 + lo;
  return v === 0 ? 1 : v;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Unicode White_Space in the BMP (JS `\s` minus the BOM, which is not white space). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Marks white space in the fold table (U+FFFF is a non-character, never folded to). */
const SPACE = 0xffff;
let foldCache: Uint16Array | undefined;

/** Each BMP code unit lower-cased, or SPACE for white space; built once (a few milliseconds). */
function foldTable(): Uint16Array {
  if (foldCache) return foldCache;
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (isSpace(c)) table[c] = SPACE;
    else if (c >= 0xd800 && c <= 0xdfff) table[c] = c;
    else table[c] = String.fromCharCode(c).toLowerCase().charCodeAt(0);
  }
  foldCache = table;
  return table;
}
