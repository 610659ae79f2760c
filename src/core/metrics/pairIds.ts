// Numbers pairs of small integers (an n-gram's prefix id and its last item) compactly, 0, 1, 2, … in order of first
// appearance: n-grams become array indexes, without a Map or a string per n-gram. One table is reused for every
// pair of texts (reset() clears it in O(1) by moving to a new generation).
export class PairIds {
  private capacity = 0;
  private mask = 0;
  private firsts = new Int32Array(0);
  private seconds = new Int32Array(0);
  private ids = new Int32Array(0);
  private stamps = new Int32Array(0);
  private generation = 0;
  size = 0;

  /** Forgets every pair; `expected` is at most the number of pairs about to be numbered. */
  reset(expected: number): void {
    if (expected * 2 > this.capacity) {
      let capacity = 1024;
      while (capacity < expected * 2) capacity *= 2;
      this.capacity = capacity;
      this.mask = capacity - 1;
      this.firsts = new Int32Array(capacity);
      this.seconds = new Int32Array(capacity);
      this.ids = new Int32Array(capacity);
      this.stamps = new Int32Array(capacity);
      this.generation = 0;
    }
    this.generation++;
    this.size = 0;
  }

  /** The id of (a, b), a new one the first time. */
  id(a: number, b: number): number {
    let i = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
    i = (i ^ (i >>> 15)) & this.mask;
    const stamps = this.stamps;
    const generation = this.generation;
    while (stamps[i] === generation) {
      if (this.firsts[i] === a && this.seconds[i] === b) return this.ids[i]!;
      i = (i + 1) & this.mask;
    }
    stamps[i] = generation;
    this.firsts[i] = a;
    this.seconds[i] = b;
    this.ids[i] = this.size;
    return this.size++;
  }
}
