import { looksForMatches, NO_FILTERS, type Filters } from './filter-terms.ts';
import { selectPapers, type MatchablePaper, type PaperIndex } from './match-papers.ts';

/** A day's papers as filters see them, each with the category it is listed under. */
export type ListedPaper = MatchablePaper & { readonly category: string };

export interface MailSelection {
  /** Matches first (papers from any category), in reading order. */
  readonly matches: readonly number[];
  /** Then the rest of the chosen categories: neither a match nor excluded; empty when the reader wants only matches. */
  readonly rest: readonly number[];
  readonly excluded: ReadonlySet<number>;
}

/**
 * Which of a day's papers one reader's mail holds: the one rule the mail, the preferences preview
 * and the tests share.
 */
export function mailSelection(index: PaperIndex, categoryOf: readonly string[], prefs: { readonly categories: 'all' | readonly string[]; readonly filters?: Filters }): MailSelection {
  const filters = prefs.filters ?? NO_FILTERS;
  const { matches, excluded } = selectPapers(index, filters);
  const wantsOnlyMatches = looksForMatches(filters) && filters.rest === 'none';
  const chosen = prefs.categories === 'all' ? null : new Set(prefs.categories);
  const matched = new Set(matches);
  const rest: number[] = [];
  if (!wantsOnlyMatches) categoryOf.forEach((slug, i) => (chosen === null || chosen.has(slug)) && !matched.has(i) && !excluded.has(i) && rest.push(i));
  return { matches, rest, excluded };
}
