/**
 * Where a feature's probe starts in a table of 2^(32 - shift) places: Fibonacci hashing, which takes
 * the product's high bits (its low bits spread hashes badly).
 */
const home = (feature: number, shift: number): number => Math.imul(feature, 0x9e3779b1) >>> shift;

/** `home`'s shift for a table of `places` (a power of two): 32 minus its bits. */
const shiftOf = (places: number): number => Math.clz32(places) + 1;

/**
 * A day's features (24-bit hashes), sorted, with where each run of the same top bits starts: a
 * feature's slot is its place in the sorted order, found by a short scan in its run (one or two
 * features: a day of 35,000 has 32,768 runs, one of 30,000 has 16,384). Scoring walks a model's
 * features in hash order (`packed` keeps them so), so its lookups and the postings they lead to
 * move forward through memory, where a hash table's probes land anywhere: a sender scores each
 * reader between two mails' assembly, which leaves the day's tables out of the cache, and there
 * the probes cost a miss each. (Pairing each feature with its postings' bounds in one array, and
 * each posting's paper with its weight in another, measured slower: 598 against 417 µs a reader.)
 */
export class SortedFeatures {
  /** The features, ascending. */
  readonly sorted: Uint32Array;
  private readonly starts: Int32Array;
  private readonly shift: number;

  constructor(features: Uint32Array) {
    this.sorted = Uint32Array.from(features).sort();
    // At least half as many runs as features (2^bits >= n/2): one or two features a run.
    let bits = 4;
    while (1 << (bits + 1) < this.sorted.length && bits < 24) bits++;
    this.shift = 24 - bits;
    this.starts = new Int32Array((1 << bits) + 1);
    let at = 0;
    for (let run = 0; run <= 1 << bits; run++) {
      while (at < this.sorted.length && this.sorted[at]! >>> this.shift < run) at++;
      this.starts[run] = at;
    }
  }

  /** The feature's slot (its place in `sorted`), or -1 when no paper of the day has it. */
  slotOf(feature: number): number {
    const run = feature >>> this.shift;
    const end = this.starts[run + 1]!;
    for (let at = this.starts[run]!; at < end; at++) {
      const f = this.sorted[at]!;
      if (f >= feature) return f === feature ? at : -1;
    }
    return -1;
  }
}

/**
 * Dense indices for 32-bit feature hashes, given in the order they are first seen: training on a
 * click numbers every term of the ~1,500 papers the reader was mailed (~200,000 lookups), which a
 * `Map` made most of the click's time. A hash table, where SortedFeatures is sorted: this one
 * grows as a click's terms come, in no order, and is read back in that order.
 */
export class FeatureIndex {
  private keys: Uint32Array;
  /** The index of the feature in the same place, or -1 for an empty place. */
  private slots: Int32Array;
  private features: Uint32Array;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity);
    this.slots = new Int32Array(capacity).fill(-1);
    this.features = new Uint32Array(capacity);
  }

  /** The feature's index, numbering it next when it is new. */
  indexOf(feature: number): number {
    const mask = this.keys.length - 1;
    let at = home(feature, shiftOf(this.keys.length));
    for (;;) {
      const slot = this.slots[at]!;
      if (slot < 0) break;
      if (this.keys[at] === feature) return slot;
      at = (at + 1) & mask;
    }
    const slot = this.size++;
    this.keys[at] = feature;
    this.slots[at] = slot;
    if (slot >= this.features.length) {
      const grown = new Uint32Array(this.features.length * 2);
      grown.set(this.features);
      this.features = grown;
    }
    this.features[slot] = feature;
    // At most half full: probes stay short.
    if (this.size * 2 > this.keys.length) this.grow();
    return slot;
  }

  /** The features by index. */
  list(): Uint32Array {
    return this.features.subarray(0, this.size);
  }

  private grow(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Uint32Array(keys.length * 2);
    this.slots = new Int32Array(keys.length * 2).fill(-1);
    const mask = this.keys.length - 1;
    const shift = shiftOf(this.keys.length);
    for (let i = 0; i < keys.length; i++) {
      if (slots[i]! < 0) continue;
      let at = home(keys[i]!, shift);
      while (this.slots[at]! >= 0) at = (at + 1) & mask;
      this.keys[at] = keys[i]!;
      this.slots[at] = slots[i]!;
    }
  }
}
