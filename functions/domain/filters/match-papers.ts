import { BoundedMap } from '../bounded-map.ts';
import { foldText, hasCjk } from './fold.ts';
import type { Filters } from './filter-terms.ts';

/** What a filter reads of a paper: both titles, both abstracts, the authors. */
export interface MatchablePaper {
  readonly titleEn: string;
  readonly titleZh: string | null;
  readonly abstractEn: string | null;
  readonly abstractZh: string | null;
  readonly authors: readonly string[];
}

/** A letter or digit that continues an English word (CJK characters do not: "使用3D和" holds the word 3D). */
const WORD = '(?:(?![\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}])[\\p{L}\\p{N}])';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The regular expression a term is looked for with, in folded text. English: whole words (a
 * trailing `*` leaves the end open), spaces and hyphens inside a phrase match either; with CJK
 * characters: anywhere.
 */
export function termPattern(term: string): string {
  const folded = foldText(term.trim());
  const prefix = folded.endsWith('*');
  const body = prefix ? folded.slice(0, -1) : folded;
  const joined = body
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRe)
    .join('[\\s-]+');
  if (hasCjk(body)) return joined;
  return `(?<!${WORD})${joined}${prefix ? '' : `(?!${WORD})`}`;
}

/** The longest run of letters or digits a match must contain: a cheap test before the expression. */
function literalOf(term: string): string {
  const words = foldText(term).replace(/\*$/, '').split(/[^\p{L}\p{N}]+/u);
  return words.reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** Distinct terms a cache keeps: more than a day's readers share, few enough (a few MB) that no stream of new terms exhausts a container. */
export const TERM_CACHE_LIMIT = 8192;

/**
 * One day's papers, folded once, with every term's hits kept: a day's subscribers share most of
 * their terms, so each term is looked for once per edition, not once per subscriber.
 */
export class PaperIndex {
  private readonly texts: readonly string[];
  private readonly names: readonly (readonly string[])[];
  // Bounded: a warm API container keeps a day's index while readers preview any terms they like.
  private readonly keywordCache: BoundedMap<string, ReadonlySet<number>>;
  private readonly authorCache: BoundedMap<string, ReadonlySet<number>>;

  constructor(papers: readonly MatchablePaper[], cacheLimit = TERM_CACHE_LIMIT) {
    this.keywordCache = new BoundedMap(cacheLimit);
    this.authorCache = new BoundedMap(cacheLimit);
    this.texts = papers.map((p) => foldText([p.titleEn, p.titleZh ?? '', p.abstractEn ?? '', p.abstractZh ?? ''].join('\n')));
    this.names = papers.map((p) => p.authors.map(foldText));
  }

  get size(): number {
    return this.texts.length;
  }

  /** How many term lookups are kept (bounded by TERM_CACHE_LIMIT per kind). */
  get cachedTerms(): number {
    return this.keywordCache.size + this.authorCache.size;
  }

  /** Papers (by position) whose titles or abstracts hold the keyword. */
  keyword(term: string): ReadonlySet<number> {
    const known = this.keywordCache.get(term);
    if (known) return known;
    const key = foldText(term);
    const same = this.keywordCache.get(key);
    if (same) {
      this.keywordCache.set(term, same);
      return same;
    }
    const re = new RegExp(termPattern(term), 'u');
    const literal = literalOf(term);
    const hits = new Set<number>();
    this.texts.forEach((text, i) => {
      if (text.includes(literal) && re.test(text)) hits.add(i);
    });
    this.keywordCache.set(key, hits);
    this.keywordCache.set(term, hits);
    return hits;
  }

  /** Papers with an author whose name holds the followed name as whole words. */
  author(name: string): ReadonlySet<number> {
    const known = this.authorCache.get(name);
    if (known) return known;
    const key = foldText(name);
    const re = new RegExp(`(?<!${WORD})${key.split(/[\s.-]+/).filter(Boolean).map(escapeRe).join('[\\s.-]+')}(?!${WORD})`, 'u');
    const hits = new Set<number>();
    this.names.forEach((names, i) => {
      if (names.some((n) => re.test(n))) hits.add(i);
    });
    this.authorCache.set(name, hits);
    return hits;
  }
}

export interface Selection {
  /** Papers matching an include term or by a followed author, and no exclude term, in reading order. */
  readonly matches: readonly number[];
  /** Papers holding an exclude term: shown nowhere in the mail. */
  readonly excluded: ReadonlySet<number>;
}

export function selectPapers(index: PaperIndex, filters: Filters): Selection {
  const excluded = new Set<number>();
  for (const term of filters.exclude) for (const i of index.keyword(term)) excluded.add(i);
  const wanted = new Set<number>();
  for (const term of filters.include) for (const i of index.keyword(term)) wanted.add(i);
  for (const name of filters.authors) for (const i of index.author(name)) wanted.add(i);
  const matches = [...wanted].filter((i) => !excluded.has(i)).sort((a, b) => a - b);
  return { matches, excluded };
}

/** The terms to mark in a paper: a reader's keywords and followed authors that this paper holds. */
export function termsIn(index: PaperIndex, filters: Filters, paper: number): string[] {
  return [...filters.include.filter((t) => index.keyword(t).has(paper)), ...filters.authors.filter((a) => index.author(a).has(paper))];
}
