// The pieces of Python's semantics the metrics depend on, where JavaScript's built-ins differ: str.isspace (the
// `\s` of Python's re, str.split() and str.rstrip() use it), round(x, 4), math.fsum and numpy's mean.

/**
 * Python's str.isspace() for one UTF-16 code unit (every Python whitespace character is in the BMP). The same set as
 * PY_WHITESPACE in src/core/tokens/pythonStrings.ts; JavaScript's `\s` differs (it has U+FEFF, lacks U+001C–U+001F
 * and U+0085). test/unit/metrics/python.test.ts checks it against Python for every code point.
 */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  if (c <= 0xa0) return c === 0x85 || c === 0xa0;
  if (c < 0x1680) return false;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Python's `text.split()`: the runs of non-whitespace characters. */
export function pySplit(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isPySpace(text.charCodeAt(i))) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** `len(text.split()) > 0`, without splitting. */
export function hasNonSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isPySpace(text.charCodeAt(i))) return true;
  return false;
}

/** Python's `text.rstrip()`. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/**
 * Python's `round(x, 4)` on a finite double: the double nearest to x rounded to 4 decimals, ties (only exact ones,
 * on the binary value) to even. toFixed rounds the exact binary value too but breaks ties upwards. An exact tie
 * x = (2n+1)/20000 is representable only when x·32 is an odd integer.
 */
export function pyRound4(x: number): number {
  if (!Number.isFinite(x)) return x;
  const x32 = x * 32;
  if (Number.isInteger(x32) && Math.abs(x32 % 2) === 1) {
    const t = x * 10000; // exact: x is a multiple of 1/32
    const lower = Math.floor(t);
    return (lower % 2 === 0 ? lower : lower + 1) / 10000;
  }
  return Number.parseFloat(x.toFixed(4));
}

/** Python's math.fsum: the correctly rounded sum (Shewchuk's partials, then CPython's half-even fix-up). */
export function fsum(values: readonly number[]): number {
  const partials: number[] = [];
  for (let x of values) {
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    if (x !== 0) partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Round half to even when the rest of the partials would push a half-way case the other way.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/**
 * numpy's float64 `np.mean(list)`: pairwise summation (numpy's pairwise_sum: 8 accumulators up to blocks of 128,
 * halves above) divided by the count. LLaMA-Factory averages the rounded per-sample scores this way.
 */
export function numpyMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return pairwiseSum(values, 0, values.length) / values.length;
}

function pairwiseSum(a: readonly number[], start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!, a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] = r[k]! + a[start + i + k]!;
    }
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
