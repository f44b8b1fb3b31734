import type { Listing } from '../../domain/arxiv/listing-rss.ts';
import { emptyListingState, listingVerdict, recordListing, type ListingState, type ListingVerdict } from '../../domain/arxiv/listing-freshness.ts';
import type { ArxivListingSource } from '../../domain/ports/arxiv-source.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import { RETRY_POLICIES, updateJson } from '../stored-json.ts';

/**
 * The producer's listing source, remembering every feed it read in this run, so the run can judge
 * the feeds (ListingStale) from what the producer saw, without asking arXiv a second time.
 */
export function watchedListings(inner: ArxivListingSource): { readonly source: ArxivListingSource; readonly seen: () => ReadonlyMap<string, Listing> } {
  const seen = new Map<string, Listing>();
  return {
    source: {
      async listing(category) {
        const listing = await inner.listing(category);
        seen.set(category, listing);
        return listing;
      },
    },
    seen: () => seen,
  };
}

/**
 * Judges each feed this run read against what earlier runs recorded (`state/arxiv-listings.json`),
 * then records it: the verdicts come from the state before this run, so a re-run on the same
 * stale day stays stale, and a fresh day clears it.
 */
export async function watchListings(store: BlobStore, seen: ReadonlyMap<string, Listing>, now: Date, graceHours: number): Promise<ListingVerdict[]> {
  if (seen.size === 0) return [];
  let verdicts: ListingVerdict[] = [];
  await updateJson<ListingState>(store, dataKeys.listingState, {
    empty: emptyListingState(),
    // Judged on the state this write replaces (each retry re-reads it), in the same read.
    change: (state) => {
      verdicts = [...seen].map(([category, listing]) => listingVerdict(category, listing, state.categories[category], now, graceHours));
      return [...seen].reduce((s, [category, listing]) => recordListing(s, category, listing, now), state);
    },
    policy: RETRY_POLICIES.operations,
    space: 1,
  });
  return verdicts;
}

export const formatListingVerdict = (v: ListingVerdict): string => (v.state === 'stale' ? `${v.category}: stale: ${v.why}` : `${v.category}: ${v.state}${v.date ? ` (${v.date}, ${v.papers} paper(s))` : ''}`);
