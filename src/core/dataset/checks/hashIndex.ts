// An insert-only hash table from 53-bit hashes to the first line that had them: each slot is three
// 32-bit numbers side by side (key high, key low, line), or four with a tag, so a lookup touches one
// cache line and a million-sample file keeps an index near 24 MB. Tables stay at most half full.

export class HashIndex {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  /** Numbers per slot: 3, or 4 with a tag. */
  private readonly stride: number;

  /** `tagged`: keep a 32-bit tag with each entry (see `tagOf`). */
  constructor(capacity = 16384, tagged = false) {
    this.stride = tagged ? 4 : 3;
    const size = tableSize(capacity);
    this.slots = new Uint32Array(size * this.stride);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Grows the table now for `capacity` entries (spares rehashing along the way when the count is known). */
  reserve(capacity: number): void {
    if (tableSize(capacity) > this.mask + 1) this.rehash(tableSize(capacity));
  }

  /** The first line that had `key` (never 0), or -1. */
  lineOf(key: number): number {
    const at = this.find(key);
    return this.isEmpty(at) ? -1 : this.slots[at + 2]!;
  }

  /** The tag stored with `key` (0 when absent or untagged). */
  tagOf(key: number): number {
    const at = this.find(key);
    return this.stride === 4 && !this.isEmpty(at) ? this.slots[at + 3]! : 0;
  }

  /** Adds `key` (with `tag`) unless present; returns the earlier entry's line when it was present, else -1. */
  addFirst(key: number, line: number, tag = 0): number {
    const at = this.find(key);
    const s = this.slots;
    if (!this.isEmpty(at)) return s[at + 2]!;
    s[at] = hi(key);
    s[at + 1] = key >>> 0;
    s[at + 2] = line;
    if (this.stride === 4) s[at + 3] = tag;
    if (++this.count * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    return -1;
  }

  private isEmpty(at: number): boolean {
    return this.slots[at] === 0 && this.slots[at + 1] === 0;
  }

  /** The offset of the slot holding `key`, or of the empty slot where it would go (linear probing). */
  private find(key: number): number {
    const s = this.slots;
    const h = hi(key);
    const l = key >>> 0;
    const stride = this.stride;
    let slot = l & this.mask;
    for (;;) {
      const at = slot * stride;
      const sh = s[at]!;
      const sl = s[at + 1]!;
      if ((sh === h && sl === l) || (sh === 0 && sl === 0)) return at;
      slot = (slot + 1) & this.mask;
    }
  }

  private rehash(size: number): void {
    const old = this.slots;
    const stride = this.stride;
    this.slots = new Uint32Array(size * stride);
    this.mask = size - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += stride) {
      if (old[at] !== 0 || old[at + 1] !== 0) this.addFirst(old[at]! * 0x100000000 + old[at + 1]!, old[at + 2]!, stride === 4 ? old[at + 3]! : 0);
    }
  }
}

/** A length per line, growing as lines come (4 bytes a line). */
export class LineLengths {
  private lengths = new Int32Array(16384);

  set(line: number, length: number): void {
    if (line >= this.lengths.length) {
      const bigger = new Int32Array(Math.max(line + 1, this.lengths.length * 2));
      bigger.set(this.lengths);
      this.lengths = bigger;
    }
    this.lengths[line] = length;
  }

  get(line: number): number {
    return this.lengths[line] ?? 0;
  }
}

/** The high 21 bits of a 53-bit key. */
function hi(key: number): number {
  return Math.floor(key / 0x100000000);
}

/** Slots for `capacity` entries at a load of at most one half. */
function tableSize(capacity: number): number {
  let p = 16;
  while (p < capacity * 2) p *= 2;
  return p;
}
