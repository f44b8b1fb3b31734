import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { seededRandom, type RankInput } from '../../functions/domain/ranking/features.ts';
import { DEFAULT_RANKER, rankLikeArxivSanity, rankPapers, type RankerOptions } from '../../functions/domain/ranking/rank.ts';
import { indexDay, scoreDay, trainReaderModel } from '../../functions/domain/ranking/reader-model.ts';

/**
 * Simulated readers over real days (issue 34.6). A reader's hidden interest is one of the
 * publisher's categories; they saved k random papers of it from the 10 days before day D (days of
 * the folder that have abstracts); the ranker, which never sees a category, orders day D's papers.
 * A paper of the reader's category is a hit.
 */
export interface EvalDay {
  readonly date: string;
  readonly papers: readonly (RankInput & { readonly category: string })[];
}

export function readEvalDays(dir: string): EvalDay[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f))
    .sort()
    .map((f) => {
      const { digest } = parseDigest(readFileSync(join(dir, f)), f);
      const papers = papersOf(digest).map((p) => ({ id: p.arxivId, title: p.titleEn, abstract: p.abstractEn, authors: p.authors, category: p.category }));
      return { date: digest.date, papers };
    })
    .filter((d) => d.papers.length > 0 && d.papers.filter((p) => p.abstract).length >= d.papers.length * 0.9);
}

export interface EvalLine {
  readonly k: number;
  readonly readers: number;
  readonly auc: number;
  readonly p10: number;
  readonly baselineAuc: number;
  readonly baselineP10: number;
  readonly randomP10: number;
  /** AUC by the readers' hidden category (what is hard to learn). */
  readonly byCategory: Readonly<Record<string, { readonly readers: number; readonly auc: number; readonly baselineAuc: number }>>;
}

function auc(order: readonly string[], positives: ReadonlySet<string>): number {
  let pos = 0;
  let pairs = 0;
  let correct = 0;
  // Walk best-first: each negative is ranked below every positive seen so far.
  const total = order.filter((id) => positives.has(id)).length;
  for (const id of order) {
    if (positives.has(id)) pos++;
    else {
      correct += pos;
      pairs += total;
    }
  }
  return pairs === 0 ? 0.5 : correct / pairs;
}

const precisionAt = (order: readonly string[], positives: ReadonlySet<string>, n: number) => order.slice(0, n).filter((id) => positives.has(id)).length / n;

function pick<T>(items: readonly T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

export interface EvalOptions {
  readonly ks: readonly number[];
  /** Simulated readers per category and day. */
  readonly readersPerCategory: number;
  /** Day D needs this many earlier days to train on. */
  readonly minHistoryDays: number;
  /** A category is a reader's interest on day D when it has at least this many papers that day. */
  readonly minPositives: number;
  readonly ranker: RankerOptions;
  readonly baselineNegatives: number;
  /** `direct`: rankPapers with the day in view (the upper bound of the stored model). */
  readonly path?: 'model' | 'direct';
  /** Draws the readers (seed + k for each k): another seed, other readers of the same days. */
  readonly seed: number;
  /** Skip the baseline (tuning runs). */
  readonly baseline?: boolean;
}

export const DEFAULT_EVAL: EvalOptions = { ks: [5, 20], readersPerCategory: 3, minHistoryDays: 3, minPositives: 5, ranker: DEFAULT_RANKER, baselineNegatives: 300, seed: 1000 };

export function evaluateRanking(days: readonly EvalDay[], options: EvalOptions = DEFAULT_EVAL): EvalLine[] {
  const cache = new Map();
  return options.ks.map((k) => {
    const random = seededRandom(options.seed + k);
    let readers = 0;
    let aucSum = 0;
    let p10Sum = 0;
    let baseAuc = 0;
    let baseP10 = 0;
    let randomP10 = 0;
    const byCategory: Record<string, { readers: number; auc: number; baselineAuc: number }> = {};
    days.forEach((day, i) => {
      const history = days.slice(Math.max(0, i - 10), i);
      if (history.length < options.minHistoryDays) return;
      const seen = history.flatMap((d) => d.papers);
      const categories = [...new Set(day.papers.map((p) => p.category))];
      for (const category of categories) {
        const positives = new Set(day.papers.filter((p) => p.category === category).map((p) => p.id));
        const pool = seen.filter((p) => p.category === category);
        if (positives.size < options.minPositives || pool.length < k) continue;
        for (let r = 0; r < options.readersPerCategory; r++) {
          const saved = pick(pool, k, random);
          const savedIds = new Set(saved.map((p) => p.id));
          // A daily reader was mailed every one of those days: what they did not save, they passed over.
          const passedOver = seen.filter((p) => !savedIds.has(p.id));
          const strip = (p: RankInput): RankInput => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors });
          const candidates = day.papers.map(strip);
          const training = { saved: saved.map(strip), notForMe: [], passedOver: passedOver.map(strip) };
          // What ships: the compact model trained when the reader clicks, scored on the day's index at send time.
          const model = options.path === 'direct' ? null : trainReaderModel(training, options.ranker);
          const ours = model ? scoreDay(model, indexDay(candidates, options.ranker.features)).map((s) => s.id) : rankPapers(training, candidates, options.ranker, cache).map((s) => s.id);
          const negatives = pick(seen.filter((p) => !savedIds.has(p.id)), options.baselineNegatives, random).map(strip);
          const base = options.baseline === false ? ours : rankLikeArxivSanity(saved.map(strip), negatives, candidates, cache).map((s) => s.id);
          const shuffled = pick(candidates, candidates.length, random).map((p) => p.id);
          readers++;
          const row = (byCategory[category] ??= { readers: 0, auc: 0, baselineAuc: 0 });
          row.readers++;
          row.auc += auc(ours, positives);
          row.baselineAuc += auc(base, positives);
          aucSum += auc(ours, positives);
          p10Sum += precisionAt(ours, positives, 10);
          baseAuc += auc(base, positives);
          baseP10 += precisionAt(base, positives, 10);
          randomP10 += precisionAt(shuffled, positives, 10);
        }
      }
    });
    const avg = (x: number) => (readers ? x / readers : 0);
    for (const row of Object.values(byCategory)) (row.auc /= row.readers), (row.baselineAuc /= row.readers);
    return { byCategory, k, readers, auc: avg(aucSum), p10: avg(p10Sum), baselineAuc: avg(baseAuc), baselineP10: avg(baseP10), randomP10: avg(randomP10) };
  });
}

export const formatEvalLine = (l: EvalLine) =>
  `ranking k=${l.k}: readers ${l.readers}, AUC ${l.auc.toFixed(3)}, P@10 ${l.p10.toFixed(3)}, arxiv-sanity baseline AUC ${l.baselineAuc.toFixed(3)} P@10 ${l.baselineP10.toFixed(3)}, random P@10 ${l.randomP10.toFixed(3)}`;
