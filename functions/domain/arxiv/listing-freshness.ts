import { lastAnnouncement, listingDateOf } from './calendar.ts';
import type { Listing } from './listing-rss.ts';

/**
 * Whether arXiv's listing feed of a category is stale (the `ListingStale` alarm): arXiv's feed has
 * served a batch again under a new date, and has gone on showing the previous announcement's batch
 * after a new announcement, both without any error. Two rules, from what the last runs saw:
 * - the feed names a new day but lists exactly the papers it listed under the previous day;
 * - arXiv has announced a newer listing (per its calendar) more than the grace ago, and the feed
 *   still shows an older day.
 * An empty feed is not stale: arXiv's feeds are empty on days without an announcement.
 */

/** What one run saw of a category's feed. */
export interface ListingSeen {
  readonly date: string;
  /** The listed arXiv ids, sorted, each once (versions left out: a replacement is the same paper). */
  readonly ids: readonly string[];
  readonly seenAt: string;
}

export interface CategoryListings {
  /** The newest day seen. */
  readonly latest: ListingSeen;
  /** The day seen before it, if any: what a new day must differ from. */
  readonly previous?: ListingSeen;
}

export interface ListingState {
  readonly schemaVersion: 1;
  readonly categories: Readonly<Record<string, CategoryListings>>;
}

export const emptyListingState = (): ListingState => ({ schemaVersion: 1, categories: {} });

export type ListingVerdict =
  | { readonly category: string; readonly state: 'fresh' | 'empty'; readonly date: string | null; readonly papers: number }
  | { readonly category: string; readonly state: 'stale'; readonly date: string; readonly papers: number; readonly why: string };

export function seenOf(listing: Listing, at: Date): ListingSeen | null {
  if (listing.date === null) return null;
  return { date: listing.date, ids: [...new Set(listing.entries.map((e) => e.arxivId))].sort(), seenAt: at.toISOString() };
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

/** The verdict on a category's feed as seen at `now`, against what earlier runs recorded. */
export function listingVerdict(category: string, listing: Listing, before: CategoryListings | undefined, now: Date, graceHours: number): ListingVerdict {
  const seen = seenOf(listing, now);
  if (!seen) return { category, state: 'empty', date: null, papers: 0 };
  const papers = seen.ids.length;
  // The day the feed is compared with: the one before this day (a re-run on the same day compares with the same one).
  const earlier = before && before.latest.date !== seen.date ? before.latest : before?.previous;
  if (earlier && earlier.date < seen.date && sameIds(earlier.ids, seen.ids)) {
    return { category, state: 'stale', date: seen.date, papers, why: `the listing of ${seen.date} carries the same ${papers} paper(s) as that of ${earlier.date}` };
  }
  const last = lastAnnouncement(now);
  const expected = listingDateOf(last.date);
  if (seen.date < expected && now.getTime() >= last.at.getTime() + graceHours * 3_600_000) {
    return { category, state: 'stale', date: seen.date, papers, why: `the feed still shows the listing of ${seen.date}; arXiv announced that of ${expected} at ${last.at.toISOString()}` };
  }
  return { category, state: 'fresh', date: seen.date, papers };
}

/** The state after a run saw `listing`: a new day moves the latest to previous; the same day replaces it. */
export function recordListing(state: ListingState, category: string, listing: Listing, now: Date): ListingState {
  const seen = seenOf(listing, now);
  if (!seen) return state;
  const before = state.categories[category];
  let next: CategoryListings;
  if (!before) next = { latest: seen };
  else if (before.latest.date === seen.date) next = { latest: seen, ...(before.previous ? { previous: before.previous } : {}) };
  else if (before.latest.date < seen.date) next = { latest: seen, previous: before.latest };
  // An older day than already seen (a feed served from a stale cache): keep the newer record.
  else return state;
  return { ...state, categories: { ...state.categories, [category]: next } };
}
