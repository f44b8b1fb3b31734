/**
 * A paper as the ranker sees it: English title, abstract and authors. There is no category field on
 * purpose: a reader's taste is learned from what they saved, not from the publisher's sections.
 */
export interface RankInput {
  readonly id: string;
  readonly title: string;
  readonly abstract: string | null;
  readonly authors: readonly string[];
}

/** Sparse vector: hashed feature → weight. */
export type SparseVector = Map<number, number>;

/** Words too common in any abstract to say anything about a reader's taste. */
const STOPWORDS = new Set(
  'a an and are as at be by can for from has have in into is it its of on or our that the their these this to we with which while via using use based than both more most such also been not only over under between through each other new show shows propose proposed method methods approach paper results result performance state art existing however further two one first'.split(
    ' ',
  ),
);

/** FNV-1a, 32 bits: features are kept as numbers, so a profile stores no vocabulary. */
export function hashFeature(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\$[^$]*\$/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

export interface FeatureWeights {
  /** Weight of a title word against an abstract word: a title says what the paper is about. */
  readonly title: number;
  readonly abstract: number;
  /** Each author as one feature: readers follow groups. */
  readonly author: number;
  readonly bigrams: boolean;
  /**
   * `sublinear`: counts add up, weighted 1 + log(count) (scikit-learn's sublinear_tf); `presence`: a
   * term weighs what its strongest place gives it (title or abstract), however often it occurs.
   */
  readonly tf: 'sublinear' | 'presence';
  /** Rows are divided by their L2 norm to this power (1: unit length; 0: not at all). */
  readonly normPower: number;
  /** Also a feature for each word's first letters (0: none): a cheap stemmer, detector = detection = detect. */
  readonly stem: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { title: 3, abstract: 1, author: 1, bigrams: true, tf: 'sublinear', normPower: 1, stem: 0 };

function addTerms(into: SparseVector, tokens: readonly string[], weight: number, weights: FeatureWeights): void {
  const add = weights.tf === 'presence' ? (f: number) => into.set(f, Math.max(into.get(f) ?? 0, weight)) : (f: number) => into.set(f, (into.get(f) ?? 0) + weight);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    add(hashFeature(t));
    if (weights.stem > 0 && t.length > weights.stem) add(hashFeature(`${t.slice(0, weights.stem)}~`));
    if (weights.bigrams && i + 1 < tokens.length) add(hashFeature(`${t} ${tokens[i + 1]}`));
  }
}

/** Term counts of a paper (title and abstract share a vocabulary; authors have their own). */
export function termCounts(paper: RankInput, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  const v: SparseVector = new Map();
  addTerms(v, words(paper.title), weights.title, weights);
  if (paper.abstract) addTerms(v, words(paper.abstract), weights.abstract, weights);
  if (weights.author > 0) for (const a of paper.authors) {
    const name = a.toLowerCase().replace(/[^a-z\s-]/g, '').trim();
    if (name) v.set(hashFeature(`@${name}`), weights.author);
  }
  return v;
}

/**
 * Term counts by paper id, for a caller that ranks the same papers for many readers (a sender's
 * edition, the evaluation): tokenising is most of a ranking's cost. Keyed by the weights too.
 */
export type TermCache = Map<string, SparseVector>;

export function cachedCounts(paper: RankInput, weights: FeatureWeights, cache: TermCache | undefined): SparseVector {
  if (!cache) return termCounts(paper, weights);
  const key = `${weights.title}/${weights.abstract}/${weights.author}/${weights.bigrams ? 2 : 1}/${weights.tf}/${weights.stem}|${paper.id}`;
  let v = cache.get(key);
  if (!v) cache.set(key, (v = termCounts(paper, weights)));
  return v;
}

/** Document frequencies over a set of papers' term counts. */
export function documentFrequencies(docs: Iterable<SparseVector>): { readonly df: Map<number, number>; readonly n: number } {
  const df = new Map<number, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const f of d.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  }
  return { df, n };
}

/** Smoothed IDF of a feature found in `df` of `n` papers (scikit-learn's smooth_idf). */
export const idfWeight = (n: number, df: number): number => Math.log((1 + n) / (1 + df)) + 1;

/** A seeded Lehmer generator: rankings and evaluations come out the same on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 48271) >>> 0) % 0x7fffffff) / 0x7fffffff);
}

/** Sublinear TF times smoothed IDF, L2-normalised (as scikit-learn's TfidfVectorizer with sublinear_tf). */
export function tfidf(counts: SparseVector, idf: { readonly df: ReadonlyMap<number, number>; readonly n: number }, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  const v: SparseVector = new Map();
  let norm = 0;
  for (const [f, c] of counts) {
    const tf = weights.tf === 'presence' ? c : 1 + Math.log(c);
    const w = tf * idfWeight(idf.n, idf.df.get(f) ?? 0);
    v.set(f, w);
    norm += w * w;
  }
  norm = Math.pow(Math.sqrt(norm) || 1, weights.normPower);
  for (const [f, w] of v) v.set(f, w / norm);
  return v;
}

/**
 * TF-IDF rows of a set of papers over local feature indices (0..dimensions-1), for training and
 * scoring inside one ranking: the IDF is the set's own (the day's papers and the reader's).
 */
export function vectorise(papers: readonly RankInput[], weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS, cache?: TermCache): { readonly rows: Map<string, IndexedRow>; readonly dimensions: number } {
  const counts = papers.map((p) => cachedCounts(p, weights, cache));
  const { df, n } = documentFrequencies(counts);
  const index = new Map<number, number>();
  for (const f of df.keys()) index.set(f, index.size);
  const rows = new Map<string, IndexedRow>();
  papers.forEach((p, i) => {
    const v = tfidf(counts[i]!, { df, n }, weights);
    const idx = new Int32Array(v.size);
    const val = new Float64Array(v.size);
    let k = 0;
    for (const [f, w] of v) {
      idx[k] = index.get(f)!;
      val[k++] = w;
    }
    rows.set(p.id, { idx, val });
  });
  return { rows, dimensions: index.size };
}

export interface IndexedRow {
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** A row spread over a dense array, to take its dot product with many others. */
export function scatter(row: IndexedRow, into: Float64Array): void {
  for (let k = 0; k < row.idx.length; k++) into[row.idx[k]!] = row.val[k]!;
}

export function clear(row: IndexedRow, from: Float64Array): void {
  for (let k = 0; k < row.idx.length; k++) from[row.idx[k]!] = 0;
}

export function denseDot(row: IndexedRow, dense: Float64Array): number {
  let s = 0;
  for (let k = 0; k < row.idx.length; k++) s += row.val[k]! * dense[row.idx[k]!]!;
  return s;
}
