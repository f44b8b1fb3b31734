import { phraseText, phrasesOf, wordsOf } from '../../functions/domain/classifier/phrases.ts';
import { classify } from '../../functions/domain/classifier/keyword-rules.ts';
import type { KeywordModel, RuleCategory } from '../../functions/domain/classifier/keyword-rules.ts';

/**
 * Learns ordered keyword rules from papers the publisher labelled. The publisher's rule (the first
 * category in its order with a matching keyword wins) gives two kinds of evidence for a phrase of
 * category c: papers of c that contain it (support), and papers the rules checked against c before
 * giving them a later category, that contain it (contradictions: had the phrase been one of c's
 * keywords, c would have taken them). Each category, in order, greedily takes the phrases that cover
 * most of its still-uncovered papers for the fewest contradictions.
 */

export interface LabelledPaper {
  readonly title: string;
  readonly abstract: string | null;
  /** The slug of the category the publisher put it in. */
  readonly slug: string;
  /** The categories the publisher's rules tried before this paper's own, on its day. */
  readonly before: readonly string[];
}

export interface LearnOptions {
  /** Category slugs in the rules' order, the fallback last. */
  readonly order: readonly string[];
  readonly names: Readonly<Record<string, string>>;
  /** A phrase must occur in at least this many of its category's papers… */
  readonly minSupport: number;
  /** …and in at least this share of them, so a large category does not learn from coincidences. */
  readonly minSupportShare: number;
  /** At most this share of a phrase's occurrences may contradict it. */
  readonly maxContradiction: number;
  /** What one contradiction costs against one covered paper when choosing phrases. */
  readonly contradictionCost: number;
  readonly maxWords: number;
  /** Shortest stem tried as a prefix rule (`segment*`); 0 turns prefix rules off. */
  readonly minPrefixLength: number;
  readonly trainedOn: KeywordModel['trainedOn'];
}

export const DEFAULT_LEARN = { minSupport: 6, minSupportShare: 0.01, maxContradiction: 0.05, contradictionCost: 1, maxWords: 3, minPrefixLength: 4 } as const;

interface Example {
  readonly text: string;
  readonly phrases: Set<string>;
  readonly words: Set<string>;
  readonly slug: string;
  readonly before: ReadonlySet<string>;
}

/** Which examples contain each phrase, computed once and shared by every category. */
class Occurrences {
  private readonly exact = new Map<string, number[]>();
  private readonly prefix = new Map<string, number[]>();
  private readonly vocabulary: string[];

  constructor(private readonly examples: readonly Example[]) {
    examples.forEach((e, i) => {
      for (const p of e.phrases) {
        const ids = this.exact.get(p);
        if (ids) ids.push(i);
        else this.exact.set(p, [i]);
      }
    });
    this.vocabulary = [...new Set(examples.flatMap((e) => [...e.words]))].sort();
  }

  of(phrase: string): readonly number[] {
    if (!phrase.endsWith('*')) return this.exact.get(phrase) ?? [];
    const cached = this.prefix.get(phrase);
    if (cached) return cached;
    const stem = phrase.slice(0, -1);
    const ids = new Set<number>();
    for (let i = lowerBound(this.vocabulary, stem); i < this.vocabulary.length; i++) {
      const word = this.vocabulary[i] ?? '';
      if (!word.startsWith(stem)) break;
      for (const id of this.exact.get(word) ?? []) ids.add(id);
    }
    const sorted = [...ids].sort((a, b) => a - b);
    this.prefix.set(phrase, sorted);
    return sorted;
  }

  /** True when the stem matches more than the one word it spells, i.e. the prefix rule says something new. */
  widens(stem: string): boolean {
    const i = lowerBound(this.vocabulary, stem);
    const first = this.vocabulary[i];
    const second = this.vocabulary[i + 1];
    return first !== undefined && first.startsWith(stem) && (first !== stem || (second?.startsWith(stem) ?? false));
  }

  get size(): number {
    return this.examples.length;
  }
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function learnRules(papers: readonly LabelledPaper[], options: LearnOptions): KeywordModel {
  const known = new Set(options.order);
  const examples: Example[] = papers
    .filter((p) => known.has(p.slug))
    .map((p) => {
      const text = phraseText(p.title, p.abstract);
      return { text, phrases: phrasesOf(text, options.maxWords), words: new Set(wordsOf(text)), slug: p.slug, before: new Set(p.before) };
    });
  const occurrences = new Occurrences(examples);
  /** Examples an earlier category's rules already take: neither support nor contradiction any more. */
  const claimed = new Uint8Array(occurrences.size);

  const categories: RuleCategory[] = [];
  for (const slug of options.order.slice(0, -1)) {
    const ownIds = examples.flatMap((e, i) => (e.slug === slug && !claimed[i] ? [i] : []));
    const tried = new Set<string>();
    for (const i of ownIds) {
      const e = examples[i];
      if (!e) continue;
      for (const p of e.phrases) tried.add(p);
      if (options.minPrefixLength > 0) for (const w of e.words) if (w.length >= options.minPrefixLength && occurrences.widens(w)) tried.add(`${w}*`);
    }
    const own = new Set(ownIds);
    const minSupport = Math.max(options.minSupport, Math.ceil(options.minSupportShare * ownIds.length));
    const candidates: { phrase: string; ids: readonly number[]; contradictions: number }[] = [];
    for (const phrase of tried) {
      const ids = occurrences.of(phrase);
      if (ids.length < minSupport) continue;
      let support = 0;
      let contradictions = 0;
      for (const id of ids) {
        if (claimed[id]) continue;
        if (own.has(id)) support++;
        else if (examples[id]?.before.has(slug)) contradictions++;
      }
      if (support < minSupport || contradictions > options.maxContradiction * (support + contradictions)) continue;
      candidates.push({ phrase, ids, contradictions });
    }

    const uncovered = new Set(ownIds);
    const chosen: string[] = [];
    for (;;) {
      let best: (typeof candidates)[number] | null = null;
      let bestScore = 0;
      for (const c of candidates) {
        let gain = 0;
        for (const id of c.ids) if (uncovered.has(id)) gain++;
        const score = gain - options.contradictionCost * c.contradictions;
        // Ties go to the shorter, then the alphabetically first phrase: the model is reproducible.
        if (score > bestScore || (score === bestScore && best !== null && isSimpler(c.phrase, best.phrase))) {
          best = c;
          bestScore = score;
        }
      }
      if (best === null || bestScore < 1) break;
      chosen.push(best.phrase);
      for (const id of best.ids) {
        uncovered.delete(id);
        claimed[id] = 1;
      }
      candidates.splice(candidates.indexOf(best), 1);
    }
    categories.push({ name: options.names[slug] ?? slug, slug, phrases: chosen });
  }
  const fallbackSlug = options.order[options.order.length - 1] ?? 'other';
  return { schemaVersion: 1, trainedOn: options.trainedOn, categories, fallback: { name: options.names[fallbackSlug] ?? fallbackSlug, slug: fallbackSlug } };
}

function isSimpler(a: string, b: string): boolean {
  return a.length < b.length || (a.length === b.length && a < b);
}

/** Share of papers the model puts where the publisher did, overall and per category. */
export function agreement(
  model: KeywordModel,
  papers: readonly LabelledPaper[],
  /** Labels in a coarser scheme: a predicted category's parent in it (the 2024 days' labels). */
  parentOf: Readonly<Record<string, string>> = {},
): { papers: number; agreed: number; perCategory: Record<string, { papers: number; agreed: number }>; predicted: Record<string, number> } {
  const perCategory: Record<string, { papers: number; agreed: number }> = {};
  const predicted: Record<string, number> = {};
  let agreed = 0;
  for (const p of papers) {
    const row = (perCategory[p.slug] ??= { papers: 0, agreed: 0 });
    row.papers++;
    const slug = classify(model, p.title, p.abstract).slug;
    predicted[slug] = (predicted[slug] ?? 0) + 1;
    if ((parentOf[slug] ?? slug) === p.slug) {
      row.agreed++;
      agreed++;
    }
  }
  return { papers: papers.length, agreed, perCategory, predicted };
}

