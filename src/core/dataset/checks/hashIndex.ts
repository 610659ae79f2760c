// An insert-only hash table from 53-bit hashes to the first line that had them: each slot is three
// 32-bit numbers side by side (key high, key low, line), or four with a tag, so a lookup touches one
// cache line and a million-sample file keeps an index near 17 MB. Tables stay at most 70% full, and their size
// is not rounded to a power of two (a slot is found by the key modulo the size), so a table sized for a file
// (`reserve`) is never nearly twice as big as it needs to be.

export class HashIndex {
  private slots: Uint32Array;
  /** Slots in the table, and how many entries it takes before it grows. */
  private size_: number;
  private limit: number;
  private count = 0;
  /** Numbers per slot: 3, or 4 with a tag. */
  private readonly stride: number;

  /** `tagged`: keep a 32-bit tag with each entry (see `tagOf`). */
  constructor(capacity = 16384, tagged = false) {
    this.stride = tagged ? 4 : 3;
    this.size_ = tableSize(capacity);
    this.limit = Math.floor(this.size_ * MAX_LOAD);
    this.slots = new Uint32Array(this.size_ * this.stride);
  }

  get size(): number {
    return this.count;
  }

  /** Grows the table now for `capacity` entries (spares rehashing along the way when the count is known). */
  reserve(capacity: number): void {
    if (tableSize(capacity) > this.size_) this.rehash(tableSize(capacity));
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
    if (++this.count > this.limit) this.rehash(Math.ceil(this.size_ * 1.5));
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
    const size = this.size_;
    let slot = slotOf(l, size);
    for (;;) {
      const at = slot * stride;
      const sh = s[at]!;
      const sl = s[at + 1]!;
      if ((sh === h && sl === l) || (sh === 0 && sl === 0)) return at;
      slot = slot + 1 === size ? 0 : slot + 1;
    }
  }

  private rehash(size: number): void {
    const old = this.slots;
    const stride = this.stride;
    this.slots = new Uint32Array(size * stride);
    this.size_ = size;
    this.limit = Math.floor(size * MAX_LOAD);
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
    if (line >= this.lengths.length) this.reserve(Math.max(line + 1, this.lengths.length * 2));
    this.lengths[line] = length;
  }

  /** Room for this many lines now (spares growing along the way when the count is known). */
  reserve(lines: number): void {
    if (lines <= this.lengths.length) return;
    const bigger = new Int32Array(lines);
    bigger.set(this.lengths);
    this.lengths = bigger;
  }

  get(line: number): number {
    return this.lengths[line] ?? 0;
  }
}

/**
 * The home slot of a key's low 32 bits: `l × size / 2³²` (a multiplication; `l % size` on numbers past 2³¹ is a
 * floating-point remainder, several times slower). The product may round, but only by far less than 2³², so the
 * slot is always below `size`.
 */
function slotOf(l: number, size: number): number {
  return Math.floor((l * size) / 0x100000000);
}

/** The high 21 bits of a 53-bit key. */
function hi(key: number): number {
  return Math.floor(key / 0x100000000);
}

/** The most a table is filled: linear probing stays short (about 2 slots a hit, 6 a miss, mostly in one cache line). */
const MAX_LOAD = 0.7;

/** Slots for `capacity` entries at a load of at most MAX_LOAD. */
function tableSize(capacity: number): number {
  return Math.max(16, Math.ceil(capacity / MAX_LOAD) + 1);
}
