import { documentFrequencies, termCounts, tfidf, type FeatureWeights, type RankInput, type SparseVector } from './features.ts';
import { trainLinearSvm, type IndexedVector } from './linear-svm.ts';
import { DEFAULT_RANKER, type RankerOptions, type TrainingSet } from './rank.ts';

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
   * The weights, strongest first, packed 5 bytes each: the feature hash's low 24 bits and the weight
   * as a signed 16-bit fraction of `scale`. 1,400 terms are 7 KB (fewer measured worse: a day's
   * papers that share none of the model's terms all tie).
   */
  readonly packed: Uint8Array;
  readonly scale: number;
  /** Recent saved papers: id, English title (cut to 100 characters), strongest features (24-bit hashes). */
  readonly saved: readonly { readonly id: string; readonly title: string; readonly terms: readonly number[] }[];
}

export interface ModelLimits {
  readonly terms: number;
  readonly savedForReasons: number;
  readonly termsPerSaved: number;
}

export const MODEL_LIMITS: ModelLimits = { terms: 1400, savedForReasons: 20, termsPerSaved: 8 };

const H24 = 0xffffff;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function strongest(v: SparseVector, n: number): number[] {
  return [...v].sort((a, b) => b[1] - a[1]).slice(0, n).map(([f]) => f);
}

/** The model of one reader from what they saved, refused and passed over (newest saved last). */
export function trainReaderModel(training: TrainingSet, options: RankerOptions = DEFAULT_RANKER, limits: ModelLimits = MODEL_LIMITS): ReaderModel | null {
  if (training.saved.length === 0) return null;
  const savedIds = new Set(training.saved.map((p) => p.id));
  const refused = new Set(training.notForMe.map((p) => p.id));
  const docs = new Map<string, RankInput>();
  for (const p of [...training.saved, ...training.notForMe, ...training.passedOver.filter((p) => !savedIds.has(p.id) && !refused.has(p.id))]) if (!docs.has(p.id)) docs.set(p.id, p);
  const counts = new Map([...docs.values()].map((p) => [p.id, termCounts(p, options.features)]));
  const idf = documentFrequencies(counts.values());
  const index = new Map<number, number>();
  for (const f of idf.df.keys()) index.set(f, index.size);
  const vectors = new Map([...counts].map(([id, c]) => [id, tfidf(c, idf, options.features)]));
  const row = (id: string): IndexedVector => {
    const v = vectors.get(id)!;
    return { idx: Int32Array.from([...v.keys()].map((f) => index.get(f)!)), val: Float64Array.from(v.values()) };
  };
  // As rankPapers: the passed-over papers most like the saved ones are not taken as refusals.
  const center = new Map<number, number>();
  for (const p of training.saved) for (const [f, w] of vectors.get(p.id)!) center.set(f, (center.get(f) ?? 0) + w / training.saved.length);
  const closeness = (id: string) => {
    let s = 0;
    for (const [f, w] of vectors.get(id)!) s += w * (center.get(f) ?? 0);
    return s;
  };
  const passedIds = [...docs.keys()].filter((id) => !savedIds.has(id) && !refused.has(id));
  const step = Math.max(1, passedIds.length / options.maxNegatives);
  const sampled = Array.from({ length: Math.min(options.maxNegatives, passedIds.length) }, (_, i) => passedIds[Math.floor(i * step)]!);
  const reliable = sampled.sort((a, b) => closeness(b) - closeness(a)).slice(Math.floor(sampled.length * options.unreliableShare));
  const examples = [
    ...training.saved.map((p) => ({ x: row(p.id), y: 1 as const })),
    ...reliable.map((id) => ({ x: row(id), y: -1 as const })),
    ...training.notForMe.map((p) => ({ x: row(p.id), y: -1 as const, weight: options.explicitNegativeWeight })),
  ];
  const features = [...index.keys()];
  let seed = 1;
  const random = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 0x7fffffff) / 0x7fffffff);
  let terms: [number, number][];
  let bias = 0;
  if (examples.some((e) => e.y === -1)) {
    const model = trainLinearSvm(examples, features.length, options.svm, random);
    bias = model.bias;
    // Folding the training IDF into the weight: at send time a paper's term frequency times this is its contribution.
    terms = features.map((f, i) => [f, model.w[i]! * idfOf(idf, f)] as [number, number]);
  } else {
    terms = [...center].map(([f, w]) => [f, w * idfOf(idf, f)] as [number, number]);
  }
  terms = terms.filter(([, w]) => w !== 0).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, limits.terms);
  const scale = Math.max(1e-9, ...terms.map(([, w]) => Math.abs(w))) / 32767;
  const packed = new Uint8Array(terms.length * 5);
  const view = new DataView(packed.buffer);
  terms.forEach(([f, w], i) => {
    view.setUint16(i * 5, f & 0xffff);
    view.setUint8(i * 5 + 2, (f >>> 16) & 0xff);
    view.setInt16(i * 5 + 3, Math.round(w / scale));
  });
  const recent = training.saved.slice(-limits.savedForReasons);
  return {
    version: 1,
    bias: round(bias),
    packed,
    scale,
    saved: recent.map((p) => ({ id: p.id, title: p.title.slice(0, 100), terms: strongest(vectors.get(p.id)!, limits.termsPerSaved).map((f) => f & H24) })),
  };
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

const idfOf = (idf: { readonly df: ReadonlyMap<number, number>; readonly n: number }, f: number) => Math.log((1 + idf.n) / (1 + (idf.df.get(f) ?? 0))) + 1;

/**
 * A day's papers, indexed once per edition for every reader: each paper's term weights (term
 * frequency over the length its day's TF-IDF gives it), and for each feature the papers that have it.
 */
export interface IndexedDay {
  readonly papers: readonly RankInput[];
  readonly postings: ReadonlyMap<number, readonly { readonly paper: number; readonly x: number }[]>;
}

export function indexDay(papers: readonly RankInput[], weights: FeatureWeights = DEFAULT_RANKER.features): IndexedDay {
  const counts = papers.map((p) => termCounts(p, weights));
  const idf = documentFrequencies(counts);
  const postings = new Map<number, { paper: number; x: number }[]>();
  counts.forEach((c, i) => {
    const v = tfidf(c, idf, weights);
    for (const [f, w] of v) {
      // What the model's folded weight multiplies: the weight without this day's IDF.
      const x = w / idfOf(idf, f);
      const key = f & H24;
      let list = postings.get(key);
      if (!list) postings.set(key, (list = []));
      list.push({ paper: i, x });
    }
  });
  return { papers, postings };
}

export interface ModelScore {
  readonly id: string;
  readonly score: number;
  /** The saved paper it is most like, by their strongest features (the mail's reason). */
  readonly like: { readonly id: string; readonly title: string } | null;
}

/** The day's papers for one reader, best first. */
export function scoreDay(model: ReaderModel, day: IndexedDay): ModelScore[] {
  const scores = new Float64Array(day.papers.length).fill(model.bias);
  const { features, weights } = unpackTerms(model);
  for (let i = 0; i < features.length; i++) {
    const list = day.postings.get(features[i]!);
    if (!list) continue;
    const w = weights[i]!;
    for (const { paper, x } of list) scores[paper]! += w * x;
  }
  return day.papers
    .map((p, i) => ({ p, score: scores[i]! }))
    .sort((a, b) => b.score - a.score)
    .map(({ p, score }) => ({ id: p.id, score, like: null as ModelScore['like'] }));
}

/** The reason for a few recommended papers: the saved paper sharing the most of its strongest features. */
export function reasonsFor(model: ReaderModel, day: IndexedDay, ids: readonly string[]): Map<string, { id: string; title: string }> {
  const position = new Map(day.papers.map((p, i) => [p.id, i]));
  const weightIn = (paper: number, term: number) => day.postings.get(term)?.find((e) => e.paper === paper)?.x ?? 0;
  const out = new Map<string, { id: string; title: string }>();
  for (const id of ids) {
    const paper = position.get(id);
    if (paper === undefined) continue;
    let best: { id: string; title: string } | null = null;
    let bestScore = 0;
    for (const s of model.saved) {
      if (s.id === id) continue;
      const overlap = s.terms.reduce((n, t) => n + weightIn(paper, t), 0);
      if (overlap > bestScore) [best, bestScore] = [{ id: s.id, title: s.title }, overlap];
    }
    if (best) out.set(id, best);
  }
  return out;
}
