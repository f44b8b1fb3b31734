import { hasFilters, looksForMatches, type Filters } from '../filters/filter-terms.ts';
import { mailSelection } from '../filters/mail-selection.ts';
import { PaperIndex } from '../filters/match-papers.ts';
import type { Edition } from './edition.ts';
import { CONTENTS_REGION, FORYOU_REGION, LIBRARY_REGION, MATCHES_REGION, UPDATED_REGION } from './markers.ts';

/** What one reader's mail keeps of a compiled variant. */
export interface View {
  /** Categories shown; null: every one. */
  readonly categories: ReadonlySet<string> | null;
  /** The "Matches" region (readers with keywords or authors). */
  readonly matches: boolean;
  /** The "For you" region (readers whose model ranked the day). */
  readonly forYou: boolean;
  /** The "Your library" region: saved papers listed again with a change. */
  readonly library: boolean;
  /** Every paper's save link (its action links): on when the mail has room for them, decided after the papers fit. */
  readonly actions: boolean;
  /** The contents heading (left out when no category is shown). */
  readonly contents: boolean;
  /** Papers left out of their categories: moved to the matches, or excluded. */
  readonly hidden: ReadonlySet<number> | null;
  /** Papers in the "Updated" list; null: no list. */
  readonly updated: ReadonlySet<number> | null;
  /** Each shown category's count as this mail lists it; null: the whole day's. */
  readonly counts: ReadonlyMap<string, number> | null;
  /** Each shown category's papers past its cap that the mail does not list elsewhere (its "more on the web"); null: the whole day's. */
  readonly more: ReadonlyMap<string, number> | null;
  /** Each listed paper's number in the text part (1..n in its section); null: its place in the whole day's section. */
  readonly numbers: ReadonlyMap<number, number> | null;
}

/** Whether a region (a category, the matches, the contents heading, the Updated list) is in the mail. */
export const shows = (view: View, slug: string): boolean =>
  slug === MATCHES_REGION ? view.matches : slug === FORYOU_REGION ? view.forYou : slug === LIBRARY_REGION ? view.library : slug === CONTENTS_REGION ? view.contents : slug === UPDATED_REGION ? (view.updated?.size ?? 0) > 0 : view.categories === null || view.categories.has(slug);

/** What decides a reader's view: everything but their address and links. */
export interface ViewChoice {
  readonly categories: 'all' | readonly string[];
  readonly filters?: Filters;
  /** Papers of this edition (indices) the reader was mailed before. */
  readonly repeated: readonly number[];
  readonly repeats?: 'updated' | 'omit';
  /** The day's papers (indices) as the reader's model ranks them, best first; the section takes the first `forYouSize` of them that are new and not excluded. */
  readonly forYou?: readonly number[];
  readonly forYouSize?: number;
  /** Saved papers of this edition (indices) listed again with a change: in "Your library", nowhere else. */
  readonly library?: readonly number[];
}

export interface Selected {
  readonly view: View;
  /** Papers in the mail as new, matches included. */
  readonly papers: number;
  readonly matches: readonly number[];
  /** Papers in "For you", best first. */
  readonly forYou: readonly number[];
  /** Papers in "Your library". */
  readonly library: readonly number[];
  /** Categories with a paper to show, in the day's order. */
  readonly shownCategories: Edition['categories'];
  /** Papers the reader had before (in the "Updated" list or left out). */
  readonly repeats: number;
}

const indexes = new WeakMap<Edition, PaperIndex>();
/** The edition's papers indexed for filters, once per edition. */
export function indexOf(edition: Edition): PaperIndex {
  let index = indexes.get(edition);
  if (!index) indexes.set(edition, (index = new PaperIndex(edition.papers)));
  return index;
}

const categoryLists = new WeakMap<Edition, readonly string[]>();
/** Each paper's category slug, by paper index. */
export function categoryOf(edition: Edition): readonly string[] {
  let list = categoryLists.get(edition);
  if (!list) categoryLists.set(edition, (list = edition.papers.map((p) => p.category)));
  return list;
}

const positions = new WeakMap<Edition, readonly number[]>();
/** Each paper's 1-based place in its category (a content level shows the first N). */
export function positionsOf(edition: Edition): readonly number[] {
  let list = positions.get(edition);
  if (!list) {
    const count = new Map<string, number>();
    positions.set(edition, (list = edition.papers.map((p) => count.set(p.category, (count.get(p.category) ?? 0) + 1).get(p.category) ?? 0)));
  }
  return list;
}

/**
 * The edition's papers (indices, in order) the reader was mailed before. A reader's 30 days of ids
 * are thousands; what shapes their mail is only the few of them listed again today and, without
 * filters, only those of their categories (the others would make readers who get the same mail
 * look different).
 */
export function repeatedIn(edition: Edition, r: { readonly seen?: ReadonlySet<string>; readonly categories: 'all' | readonly string[]; readonly filters?: Filters }): readonly number[] {
  const seen = r.seen;
  if (!seen?.size) return NONE;
  const mine = r.categories === 'all' || hasFilters(r.filters) ? null : r.categories;
  const cats = categoryOf(edition);
  const repeated: number[] = [];
  edition.papers.forEach((p, n) => seen.has(p.arxivId) && (mine === null || mine.includes(cats[n] ?? '')) && repeated.push(n));
  return repeated;
}
const NONE: readonly number[] = [];

/** A reader's categories as a key, in one order whatever order their record has them in. */
export function categoriesKey(categories: 'all' | readonly string[]): string {
  if (categories === 'all') return '*';
  for (let i = 1; i < categories.length; i++) if (categories[i - 1]! > categories[i]!) return [...categories].sort().join(',');
  return categories.join(',');
}

/**
 * Which regions and papers a reader gets: their categories, or with filters the matches first and
 * the rest after; a paper they were mailed before is not shown as new but listed under "Updated".
 */
export function selectView(edition: Edition, choice: ViewChoice): Selected {
  const chosen = choice.categories === 'all' ? null : new Set(choice.categories);
  const filtered = hasFilters(choice.filters);
  const ranked = choice.forYou ?? [];
  const updated = choice.library ?? [];
  if ((!filtered && choice.repeated.length === 0 && ranked.length === 0 && updated.length === 0) || edition.papers.length === 0) {
    const shownCategories = edition.categories.filter((c) => chosen === null || chosen.has(c.category.slug));
    return { view: { categories: chosen, matches: false, forYou: false, library: false, actions: false, contents: true, hidden: null, updated: null, counts: null, more: null, numbers: null }, papers: shownCategories.reduce((n, c) => n + c.papers, 0), matches: [], forYou: [], library: [], shownCategories, repeats: 0 };
  }
  // A saved paper listed again with a change is told in "Your library", and listed nowhere else.
  const inLibrary = new Set(updated);
  const seen = new Set([...choice.repeated, ...updated]);
  const isSeen = (n: number) => seen.has(n);
  const sel = mailSelection(indexOf(edition), categoryOf(edition), { categories: choice.categories, ...(choice.filters ? { filters: choice.filters } : {}) });
  // "For you" takes the best-ranked papers that are new to the reader and not excluded, from any category.
  const excluded = new Set(sel.excluded);
  const forYou: number[] = [];
  for (const n of ranked) {
    if (forYou.length >= (choice.forYouSize ?? 0)) break;
    if (!isSeen(n) && !excluded.has(n) && !forYou.includes(n)) forYou.push(n);
  }
  const recommended = new Set(forYou);
  const matches = sel.matches.filter((n) => !isSeen(n) && !recommended.has(n));
  const rest = sel.rest.filter((n) => !isSeen(n) && !recommended.has(n));
  const repeats = [...sel.matches, ...sel.rest].filter((n) => isSeen(n) && !inLibrary.has(n)).sort((a, b) => a - b);
  const withRest = new Set(rest.map((n) => edition.papers[n]?.category ?? ''));
  const shownCategories = edition.categories.filter((c) => withRest.has(c.category.slug));
  const hidden = new Set<number>([...sel.excluded, ...sel.matches, ...repeats, ...forYou, ...updated]);
  return {
    view: {
      categories: new Set(shownCategories.map((c) => c.category.slug)),
      matches: looksForMatches(choice.filters) && matches.length > 0,
      forYou: forYou.length > 0,
      library: updated.length > 0,
      actions: false,
      contents: shownCategories.length > 0,
      hidden,
      updated: choice.repeats === 'omit' || repeats.length === 0 ? null : new Set(repeats),
      counts: null,
      more: null,
      numbers: null,
    },
    papers: forYou.length + matches.length + rest.length,
    matches,
    forYou,
    library: updated,
    shownCategories,
    repeats: repeats.length,
  };
}
