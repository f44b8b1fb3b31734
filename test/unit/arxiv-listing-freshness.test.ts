import { describe, expect, it } from 'vitest';
import { emptyListingState, listingVerdict, recordListing, type ListingState } from '../../functions/domain/arxiv/listing-freshness.ts';
import type { Listing } from '../../functions/domain/arxiv/listing-rss.ts';

/** The rule behind the ListingStale alarm (issue 32.2), on what arXiv's feed can do without an error. */
const listing = (date: string | null, ids: readonly string[]): Listing => ({ date, entries: ids.map((arxivId) => ({ arxivId, version: 1, announceType: 'new' as const })) });
const MONDAY = ['2403.00001', '2403.00002', '2403.00003'];
const TUESDAY = ['2403.00004', '2403.00005'];
// Monday 4 March 2024 is announced on Sunday 3 March at 20:00 New York (01:00 UTC); Tuesday's on Monday evening.
const mondayNoon = new Date('2024-03-04T12:00:00Z');
const tuesdayNoon = new Date('2024-03-05T12:00:00Z');

function run(state: ListingState, l: Listing, now: Date, category = 'cs.CV') {
  const verdict = listingVerdict(category, l, state.categories[category], now, 3);
  return { verdict, state: recordListing(state, category, l, now) };
}

describe('the ListingStale rule', () => {
  it('is fresh when each announcement day brings its own papers', () => {
    let s = emptyListingState();
    const a = run(s, listing('2024-03-04', MONDAY), mondayNoon);
    expect(a.verdict).toMatchObject({ state: 'fresh', date: '2024-03-04', papers: 3 });
    s = a.state;
    const b = run(s, listing('2024-03-05', TUESDAY), tuesdayNoon);
    expect(b.verdict.state).toBe('fresh');
    expect(b.state.categories['cs.CV']).toMatchObject({ latest: { date: '2024-03-05' }, previous: { date: '2024-03-04' } });
  });

  it("fires when a new day carries the previous day's papers, stays firing on a re-run, and clears with a real new day", () => {
    let s = run(emptyListingState(), listing('2024-03-04', MONDAY), mondayNoon).state;
    // The ids in another order and with other versions are still the same batch.
    const repeated = listing('2024-03-05', [...MONDAY].reverse());
    const first = run(s, repeated, tuesdayNoon);
    expect(first.verdict).toMatchObject({ state: 'stale', date: '2024-03-05', why: 'the listing of 2024-03-05 carries the same 3 paper(s) as that of 2024-03-04' });
    s = first.state;
    // Three hours later the feed is unchanged: still stale (compared with Monday, not with itself).
    expect(run(s, repeated, new Date('2024-03-05T15:00:00Z')).verdict.state).toBe('stale');
    // arXiv fixes the feed: Tuesday's own papers.
    expect(run(s, listing('2024-03-05', TUESDAY), new Date('2024-03-05T18:00:00Z')).verdict.state).toBe('fresh');
  });

  it('fires when the feed still shows an older day past the grace after an announcement, not within it', () => {
    const s = run(emptyListingState(), listing('2024-03-04', MONDAY), mondayNoon).state;
    // Monday 20:00 New York = Tuesday 01:00 UTC; with a 3-hour grace, 02:00 UTC is within it.
    expect(run(s, listing('2024-03-04', MONDAY), new Date('2024-03-05T02:00:00Z')).verdict.state).toBe('fresh');
    const late = run(s, listing('2024-03-04', MONDAY), new Date('2024-03-05T05:00:00Z')).verdict;
    expect(late).toMatchObject({ state: 'stale', why: 'the feed still shows the listing of 2024-03-04; arXiv announced that of 2024-03-05 at 2024-03-05T01:00:00.000Z' });
  });

  it('is quiet on a weekend and on a holiday: the last listing stays the expected one, an empty feed is no alarm', () => {
    // Friday 8 March's listing, seen again on Saturday and Sunday (no announcement on Friday or Saturday).
    const s = run(emptyListingState(), listing('2024-03-08', MONDAY), new Date('2024-03-08T12:00:00Z')).state;
    expect(run(s, listing('2024-03-08', MONDAY), new Date('2024-03-09T12:00:00Z')).verdict.state).toBe('fresh');
    expect(run(s, listing('2024-03-08', MONDAY), new Date('2024-03-10T23:00:00Z')).verdict.state).toBe('fresh');
    expect(run(s, listing(null, []), new Date('2024-03-09T12:00:00Z')).verdict).toMatchObject({ state: 'empty', papers: 0 });
    // Thanksgiving 2024 (Thursday 28 November): no Friday listing, Thursday's stays current on Friday.
    const t = run(emptyListingState(), listing('2024-11-28', MONDAY), new Date('2024-11-28T12:00:00Z')).state;
    expect(run(t, listing('2024-11-28', MONDAY), new Date('2024-11-29T15:00:00Z')).verdict.state).toBe('fresh');
  });

  it('keeps categories apart and never goes back to an older day a cached feed served', () => {
    let s = run(emptyListingState(), listing('2024-03-05', TUESDAY), tuesdayNoon).state;
    s = run(s, listing('2024-03-05', MONDAY), tuesdayNoon, 'eess.IV').state;
    expect(Object.keys(s.categories).sort()).toEqual(['cs.CV', 'eess.IV']);
    expect(recordListing(s, 'cs.CV', listing('2024-03-04', MONDAY), tuesdayNoon)).toBe(s);
  });
});
