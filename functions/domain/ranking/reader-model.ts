import { cachedCounts, documentFrequencies, idfWeight, termCounts, tfidf, type FeatureWeights, type RankInput, type SparseVector, type TermCache } from './features.ts';
import type { IndexedVector } from './linear-svm.ts';
import { DEFAULT_RANKER, trainReaderSvm, type RankerOptions, type TrainingSet } from './rank.ts';
import { FeatureIndex, SortedFeatures } from './feature-table.ts';

/**
 * A reader's ranking model as it is stored (in their profile, ≤ 10 KB) and used at send time: the
 * SVM's strongest weights by hashed feature, with the training set's IDF folded in, and for the
 * mail's "like ‹title›" the strongest features of each recent saved paper. Trained when the reader
 * clicks (save, not for me); scoring a day is then a walk over the day's postings of the model's
 * features, so 30,000 profiled readers cost well under a second per day (npm run bench, ranking).
 */
export interface ReaderModel {
  readonly version: 1;
  readonly bias: number;
  /**
   * The weights in the order of their features' hashes, packed 5 bytes each: the hash's low 24 bits
   * and the weight as a signed 16-bit fraction of `scale` (models stored before this order score
   * the same, only less quickly). 1,300 terms are 6.5 KB (fewer measured worse: a day's
   * papers that share none of the model's terms all tie).
   */
  readonly packed: Uint8Array;
  readonly scale: number;
  /** Recent saved papers: id, English title (cut to 60 characters), strongest features (24-bit hashes, 3 bytes each, base64). */
  readonly saved: readonly { readonly id: string; readonly title: string; readonly terms: string }[];
}

export interface ModelLimits {
  readonly terms: number;
  readonly savedForReasons: number;
  readonly termsPerSaved: number;
}

export const MODEL_LIMITS: ModelLimits = { terms: 1300, savedForReasons: 16, termsPerSaved: 16 };

const H24 = 0xffffff;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

const arrays = new WeakMap<SparseVector, { readonly features: Uint32Array; readonly counts: Float64Array }>();
/** A paper's term counts as two arrays, kept beside the cached counts: a click retrains on the same days' papers. */
function asArrays(v: SparseVector): { readonly features: Uint32Array; readonly counts: Float64Array } {
  let a = arrays.get(v);
  if (!a) arrays.set(v, (a = { features: Uint32Array.from(v.keys()), counts: Float64Array.from(v.values()) }));
  return a;
}

/**
 * The model of one reader from what they saved, refused and passed over (newest saved last).
 * Trained on every click, so it works on typed arrays over the training set's own feature indices
 * (the passed-over papers are sampled before anything is computed for them).
 */
export function trainReaderModel(training: TrainingSet, options: RankerOptions = DEFAULT_RANKER, limits: ModelLimits = MODEL_LIMITS, cache?: TermCache): ReaderModel | null {
  if (training.saved.length === 0) return null;
  const savedIds = new Set(training.saved.map((p) => p.id));
  const refused = new Set(training.notForMe.map((p) => p.id));
  const passedAll = training.passedOver.filter((p) => !savedIds.has(p.id) && !refused.has(p.id));
  const step = Math.max(1, passedAll.length / options.maxNegatives);
  const passed = Array.from({ length: Math.min(options.maxNegatives, passedAll.length) }, (_, i) => passedAll[Math.floor(i * step)]!);
  const docs = new Map<string, RankInput>();
  for (const p of [...training.saved, ...training.notForMe, ...passed]) if (!docs.has(p.id)) docs.set(p.id, p);
  // Document frequencies count every paper the reader was mailed (measured: an IDF of the sampled
  // negatives alone loses 0.05 of AUC at k = 20); rows are built for the training examples only.
  for (const p of passedAll) if (!docs.has(p.id)) docs.set(p.id, p);
  const papers = [...docs.values()];
  const needed = new Set([...training.saved, ...training.notForMe, ...passed].map((p) => p.id));
  const counts = papers.map((p) => asArrays(cachedCounts(p, options.features, cache)));

  // Feature indices and document frequencies, then each paper's TF-IDF row (as tfidf(), over arrays).
  const index = new FeatureIndex(counts.reduce((n, c) => n + c.features.length, 0) / 4);
  const local = counts.map(({ features: fs }) => {
    const idx = new Int32Array(fs.length);
    for (let k = 0; k < fs.length; k++) idx[k] = index.indexOf(fs[k]!);
    return idx;
  });
  const df = new Int32Array(index.size);
  for (const idx of local) for (let k = 0; k < idx.length; k++) df[idx[k]!]!++;
  const n = papers.length;
  // Plain loops here and below: a typed array's from() with a mapping function walks an iterator, measured ~10 ms a click.
  const idfs = new Float64Array(index.size);
  for (let i = 0; i < idfs.length; i++) idfs[i] = idfWeight(n, df[i]!);
  const rows = new Map<string, IndexedVector>();
  papers.forEach((p, d) => {
    if (!needed.has(p.id)) return;
    const idx = local[d]!;
    const val = new Float64Array(idx.length);
    let norm = 0;
    const cs = counts[d]!.counts;
    for (let k = 0; k < cs.length; k++) {
      const tf = options.features.tf === 'presence' ? cs[k]! : 1 + Math.log(cs[k]!);
      const w = tf * idfs[idx[k]!]!;
      val[k] = w;
      norm += w * w;
    }
    const scale = Math.pow(Math.sqrt(norm) || 1, options.features.normPower);
    for (let m = 0; m < val.length; m++) val[m]! /= scale;
    rows.set(p.id, { idx, val });
  });
  const features = index.list();

  // As rankPapers: the passed-over papers most like the saved ones are not taken as refusals.
  const center = new Float64Array(features.length);
  for (const p of training.saved) {
    const r = rows.get(p.id)!;
    for (let k = 0; k < r.idx.length; k++) center[r.idx[k]!]! += r.val[k]! / training.saved.length;
  }
  const closeness = (r: IndexedVector) => {
    let s = 0;
    for (let k = 0; k < r.idx.length; k++) s += r.val[k]! * center[r.idx[k]!]!;
    return s;
  };
  const reliable = passed
    .map((p) => ({ r: rows.get(p.id)!, c: closeness(rows.get(p.id)!) }))
    .sort((a, b) => b.c - a.c)
    .slice(Math.floor(passed.length * options.unreliableShare));
  let weights: Float64Array;
  let bias = 0;
  if (reliable.length + training.notForMe.length > 0) {
    const model = trainReaderSvm(training.saved.map((p) => rows.get(p.id)!), reliable.map(({ r }) => r), training.notForMe.map((p) => rows.get(p.id)!), features.length, options);
    bias = model.bias;
    weights = model.w;
  } else weights = center;
  // Folding the training IDF into the weight: at send time a paper's term frequency times this is its contribution.
  for (let i = 0; i < weights.length; i++) weights[i]! *= idfs[i]!;
  // The strongest terms: a numeric sort of the magnitudes finds the cut, then one pass keeps what is above it.
  // Only the features of the training rows have weights: the zeros stay out of the sort.
  let nonZero = 0;
  const magnitudes = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) magnitudes[nonZero++] = Math.abs(weights[i]!);
  const sorted = magnitudes.subarray(0, nonZero).sort();
  const cut = sorted.length > limits.terms ? sorted[sorted.length - limits.terms]! : 0;
  const kept: number[] = [];
  for (let i = 0; i < weights.length; i++) if (weights[i] !== 0 && Math.abs(weights[i]!) > cut) kept.push(i);
  // Terms tied at the cut (a word and its stem often weigh the same) fill what is left, first seen first.
  for (let i = 0; i < weights.length && kept.length < limits.terms; i++) if (weights[i] !== 0 && Math.abs(weights[i]!) === cut) kept.push(i);
  // In hash order: scoring looks them up in the day's sorted features, and in this order its reads move forward (see SortedFeatures).
  kept.sort((a, b) => (features[a]! & H24) - (features[b]! & H24) || a - b);
  const scale = Math.max(1e-9, ...kept.map((i) => Math.abs(weights[i]!))) / 32767;
  const packed = new Uint8Array(kept.length * 5);
  const view = new DataView(packed.buffer);
  kept.forEach((i, k) => {
    const f = features[i]!;
    view.setUint16(k * 5, f & 0xffff);
    view.setUint8(k * 5 + 2, (f >>> 16) & 0xff);
    view.setInt16(k * 5 + 3, Math.round(weights[i]! / scale));
  });
  const strongestOf = (id: string) => {
    const r = rows.get(id)!;
    return Array.from(r.idx.keys()).sort((a, b) => r.val[b]! - r.val[a]!).slice(0, limits.termsPerSaved).map((k) => features[r.idx[k]!]!).sort((a, b) => (a & H24) - (b & H24));
  };
  return {
    version: 1,
    bias: round(bias),
    packed,
    scale,
    saved: training.saved.slice(-limits.savedForReasons).map((p) => ({ id: p.id, title: p.title.slice(0, 60), terms: packHashes(strongestOf(p.id)) })),
  };
}

function packHashes(features: readonly number[]): string {
  const bytes = new Uint8Array(features.length * 3);
  features.forEach((f, i) => bytes.set([f & 0xff, (f >>> 8) & 0xff, (f >>> 16) & 0xff], i * 3));
  return Buffer.from(bytes).toString('base64');
}

function unpackHashes(packed: string): number[] {
  const bytes = Buffer.from(packed, 'base64');
  return Array.from({ length: Math.floor(bytes.length / 3) }, (_, i) => bytes[i * 3]! | (bytes[i * 3 + 1]! << 8) | (bytes[i * 3 + 2]! << 16));
}

/** The model's terms: 24-bit feature hash and weight. */
export function unpackTerms(model: ReaderModel): { readonly features: Uint32Array; readonly weights: Float64Array } {
  const n = Math.floor(model.packed.length / 5);
  const view = new DataView(model.packed.buffer, model.packed.byteOffset, model.packed.byteLength);
  const features = new Uint32Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    features[i] = view.getUint16(i * 5) | (view.getUint8(i * 5 + 2) << 16);
    weights[i] = view.getInt16(i * 5 + 3) * model.scale;
  }
  return { features, weights };
}

const idfOf = (idf: { readonly df: ReadonlyMap<number, number>; readonly n: number }, f: number) => idfWeight(idf.n, idf.df.get(f) ?? 0);


/**
 * A day's papers, indexed once per edition for every reader: for each feature (24-bit hash) the
 * papers that have it and its weight there (term frequency over the length its day's TF-IDF gives
 * the paper: the model's folded weight multiplies it), flat in typed arrays; and each paper's terms.
 */
export interface IndexedDay {
  readonly papers: readonly RankInput[];
  /** Feature → slot (-1: no paper has it), whose papers are [ends[slot], ends[slot + 1]) in `paper`/`x`. */
  readonly features: SortedFeatures;
  readonly ends: Int32Array;
  readonly paper: Uint16Array | Int32Array;
  readonly x: Float32Array;
  readonly indexOf: ReadonlyMap<string, number>;
}

export function indexDay(papers: readonly RankInput[], weights: FeatureWeights = DEFAULT_RANKER.features): IndexedDay {
  const counts = papers.map((p) => termCounts(p, weights));
  const idf = documentFrequencies(counts);
  const termsOf = counts.map((c) => {
    const v = tfidf(c, idf, weights);
    const out = new Map<number, number>();
    for (const [f, w] of v) out.set(f & H24, (out.get(f & H24) ?? 0) + w / idfOf(idf, f));
    return out;
  });
  const lists = new Map<number, number[]>();
  termsOf.forEach((terms, i) => {
    for (const f of terms.keys()) {
      let list = lists.get(f);
      if (!list) lists.set(f, (list = []));
      list.push(i);
    }
  });
  const features = new SortedFeatures(Uint32Array.from(lists.keys()));
  const total = [...lists.values()].reduce((n, l) => n + l.length, 0);
  const paper = papers.length <= 0xffff ? new Uint16Array(total) : new Int32Array(total);
  const x = new Float32Array(total);
  const ends = new Int32Array(features.sorted.length + 1);
  let at = 0;
  features.sorted.forEach((f, slot) => {
    ends[slot] = at;
    for (const p of lists.get(f)!) {
      paper[at] = p;
      x[at++] = termsOf[p]!.get(f)!;
    }
  });
  ends[features.sorted.length] = at;
  return { papers, features, ends, paper, x, indexOf: new Map(papers.map((p, i) => [p.id, i])) };
}

export interface ModelScore {
  readonly id: string;
  readonly score: number;
}

/** The day's `n` best papers for one reader, best first (all of them when `n` is omitted). */
export function scoreDay(model: ReaderModel, day: IndexedDay, n = day.papers.length, except?: ReadonlySet<string>): ModelScore[] {
  const scores = new Float64Array(day.papers.length).fill(model.bias);
  const packed = model.packed;
  const { features, ends, paper, x } = day;
  for (let i = 0; i + 5 <= packed.length; i += 5) {
    // As trainReaderModel packs them: the hash's low 16 bits big-endian, its top 8, the weight as a big-endian int16.
    const slot = features.slotOf(((packed[i]! << 8) | packed[i + 1]!) | (packed[i + 2]! << 16));
    if (slot < 0) continue;
    const w = (((packed[i + 3]! << 24) >> 16) | packed[i + 4]!) * model.scale;
    for (let k = ends[slot]!, end = ends[slot + 1]!; k < end; k++) scores[paper[k]!]! += w * x[k]!;
  }
  // Papers left out (the reader's saved ones) never enter the order: marked by place, not looked up by id for each paper.
  const count = day.papers.length;
  let skip: Uint8Array | null = null;
  if (except?.size) {
    skip = new Uint8Array(count);
    for (const id of except) {
      const at = day.indexOf.get(id);
      if (at !== undefined) skip[at] = 1;
    }
  }
  const scored = (i: number): ModelScore => ({ id: day.papers[i]!.id, score: scores[i]! });
  // A full sort only when the whole order is asked for; the mail wants thirty, kept in place as they come (a sender
  // ranks tens of thousands of readers: no array of the whole day per reader).
  if (n >= count) {
    const order: number[] = [];
    for (let i = 0; i < count; i++) if (!skip?.[i]) order.push(i);
    return order.sort((a, b) => scores[b]! - scores[a]!).map(scored);
  }
  const top = new Int32Array(Math.max(0, n));
  let size = 0;
  for (let i = 0; i < count; i++) {
    if (skip?.[i]) continue;
    const score = scores[i]!;
    if (size === n && !(score > scores[top[n - 1]!]!)) continue;
    // Ties keep the day's order: a paper goes after those scoring the same.
    let at = size < n ? size++ : n - 1;
    while (at > 0 && scores[top[at - 1]!]! < score) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = i;
  }
  return Array.from(top.subarray(0, size), scored);
}

const unpackedSaved = new WeakMap<ReaderModel, { id: string; title: string; terms: number[] }[]>();
/** A model's saved papers with their terms unpacked, once per model object (a sender ranks a reader once a mail, a bench many times). */
function savedTermsOf(model: ReaderModel): { id: string; title: string; terms: number[] }[] {
  let saved = unpackedSaved.get(model);
  if (!saved) unpackedSaved.set(model, (saved = model.saved.map((s) => ({ id: s.id, title: s.title, terms: unpackHashes(s.terms) }))));
  return saved;
}

/** The reason for a few recommended papers: the saved paper sharing the most of its strongest features. */
export function reasonsFor(model: ReaderModel, day: IndexedDay, ids: readonly string[]): Map<string, { id: string; title: string }> {
  const out = new Map<string, { id: string; title: string }>();
  eachNearestSaved(model, day, ids, (id, like) => out.set(id, { id: like.id, title: like.title }));
  return out;
}

/** As reasonsFor, the saved paper's title alone: what the mail's "like ‹title›" writes (no map of the pairs per reader to copy). */
export function reasonTitles(model: ReaderModel, day: IndexedDay, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  eachNearestSaved(model, day, ids, (id, like) => out.set(id, like.title));
  return out;
}

function eachNearestSaved(model: ReaderModel, day: IndexedDay, ids: readonly string[], found: (id: string, like: { readonly id: string; readonly title: string }) => void): void {
  const saved = savedTermsOf(model);
  // The asked papers' places among the day's, and back: each saved paper's terms are looked up once
  // and their postings walked, for all the asked papers together.
  const place = new Int32Array(day.papers.length).fill(-1);
  const asked: number[] = [];
  for (const id of ids) {
    const paper = day.indexOf.get(id);
    if (paper !== undefined && place[paper]! < 0) place[paper] = asked.push(paper) - 1;
  }
  const width = saved.length;
  const overlap = new Float64Array(asked.length * width);
  for (let s = 0; s < width; s++) {
    for (const t of saved[s]!.terms) {
      const slot = day.features.slotOf(t);
      if (slot < 0) continue;
      for (let k = day.ends[slot]!, end = day.ends[slot + 1]!; k < end; k++) {
        const at = place[day.paper[k]!]!;
        if (at >= 0) overlap[at * width + s]! += day.x[k]!;
      }
    }
  }
  asked.forEach((paper, at) => {
    const id = day.papers[paper]!.id;
    let best = -1;
    let bestScore = 0;
    for (let s = 0; s < width; s++) {
      if (saved[s]!.id === id) continue;
      if (overlap[at * width + s]! > bestScore) [best, bestScore] = [s, overlap[at * width + s]!];
    }
    if (best >= 0) found(id, saved[best]!);
  });
}
