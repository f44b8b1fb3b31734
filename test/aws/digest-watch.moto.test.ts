import { describe, expect, it } from 'vitest';
import { watchCoverage, watchDigest } from '../../functions/app/ingest/digest-watch.ts';
import { watchListings } from '../../functions/app/ingest/listing-watch.ts';
import type { Listing } from '../../functions/domain/arxiv/listing-rss.ts';
import type { DayIndex } from '../../functions/domain/day-index.ts';
import type { BlobStore } from '../../functions/domain/ports/blob-store.ts';
import { dataKeys } from '../../functions/domain/storage-layout.ts';
import { ingestDigest } from '../../functions/app/ingest/ingest.ts';
import { expectedDigest } from '../../functions/domain/arxiv/expected-digest.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

/** The rule behind the DigestMissing alarm (issue 32.2), and the watch that reads the archive for it. */
describe('the DigestMissing rule', () => {
  it("expects the last announcement's listing within the grace, and nothing new on a quiet day", () => {
    const none = () => false;
    // Sunday 3 March 2024, 20:00 New York (01:00 UTC Monday): the listing of Monday 4 March.
    expect(expectedDigest(new Date('2024-03-04T02:00:00Z'), none, 3)).toMatchObject({ date: '2024-03-04', state: 'pending', due: new Date('2024-03-04T04:00:00Z') });
    expect(expectedDigest(new Date('2024-03-04T04:00:00Z'), none, 3).state).toBe('missing');
    expect(expectedDigest(new Date('2024-03-04T09:00:00Z'), (d) => d === '2024-03-04', 3).state).toBe('in');
    // Saturday: no announcement since Thursday's, whose Friday listing stays the one expected.
    expect(expectedDigest(new Date('2024-03-09T12:00:00Z'), (d) => d === '2024-03-08', 3)).toMatchObject({ date: '2024-03-08', state: 'in' });
    // Thanksgiving 2024 (Thursday): no Friday listing; Wednesday's Thursday listing stays expected.
    expect(expectedDigest(new Date('2024-11-29T15:00:00Z'), (d) => d === '2024-11-28', 3)).toMatchObject({ date: '2024-11-28', state: 'in' });
  });

  it('fires on the archive in S3 (moto) while the day is missing, and clears once its digest is ingested', async () => {
    const store = await freshMotoBucket(motoS3(), 'watch');
    const late = new Date('2024-03-04T06:00:00Z');
    expect(await watchDigest(store, late, 3)).toMatchObject({ date: '2024-03-04', state: 'missing' });
    const outcome = await ingestDigest({ store, events: new CollectingEventSink() }, { bytes: fixtureBytes('2024-03-04'), source: '2024-03-04.md', dateHint: '2024-03-04' });
    expect(outcome.status).toBe('ingested');
    expect(await watchDigest(store, late, 3)).toMatchObject({ date: '2024-03-04', state: 'in' });
  });
});

/** A day index as the ingest writes it, with one published version from `source` taken in at `ingestedAt`. */
async function putDay(store: BlobStore, date: string, source: string, ingestedAt: string): Promise<void> {
  const index: DayIndex = { schemaVersion: 1, date, current: 'h', versions: [{ hash: 'h', status: 'published', source, rawKey: `raw/${date}/h.md`, resultKey: `parsed/${date}/h.json`, papers: 120, ingestedAt, format: 'table' }] };
  await store.put(dataKeys.dayIndex(date), JSON.stringify(index), { contentType: 'application/json' });
}
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('the ListingStale watch on S3 (moto)', () => {
  const feed = (date: string, ids: readonly string[]): Listing => ({ date, entries: ids.map((arxivId) => ({ arxivId, version: 1, announceType: 'new' as const })) });
  it("fires when a category's new day repeats the previous day's papers, and clears on the next run that sees new ones", async () => {
    const store = await freshMotoBucket(motoS3(), 'listings');
    const monday = new Map([['cs.CV', feed('2024-03-04', ['2403.1', '2403.2'])], ['eess.IV', feed('2024-03-04', ['2403.9'])]]);
    expect((await watchListings(store, monday, new Date('2024-03-04T12:00:00Z'), 3)).map((v) => v.state)).toEqual(['fresh', 'fresh']);
    // Tuesday: cs.CV's feed names the new day with Monday's papers; eess.IV's is new.
    const stale = new Map([['cs.CV', feed('2024-03-05', ['2403.2', '2403.1'])], ['eess.IV', feed('2024-03-05', ['2403.8'])]]);
    const fired = await watchListings(store, stale, new Date('2024-03-05T06:00:00Z'), 3);
    expect(fired.map((v) => [v.category, v.state])).toEqual([['cs.CV', 'stale'], ['eess.IV', 'fresh']]);
    // The next run (3 hours on) still sees it, then arXiv's feed is right again.
    expect((await watchListings(store, stale, new Date('2024-03-05T09:00:00Z'), 3))[0]?.state).toBe('stale');
    const cleared = await watchListings(store, new Map([['cs.CV', feed('2024-03-05', ['2403.3'])]]), new Date('2024-03-05T12:00:00Z'), 3);
    expect(cleared[0]?.state).toBe('fresh');
    // What was recorded is the status page's "last listing seen".
    const state = JSON.parse(new TextDecoder().decode((await store.get(dataKeys.listingState))!.body)) as { categories: Record<string, { latest: { date: string; ids: string[] } }> };
    expect(state.categories['cs.CV']?.latest).toMatchObject({ date: '2024-03-05', ids: ['2403.3'] });
  });
});

describe('the UpstreamQuiet watch on S3 (moto)', () => {
  it('fires when only the producer gave the last announcement days, and clears once the third party covers one again', async () => {
    const store = await freshMotoBucket(motoS3(), 'coverage');
    const produced = (d: string) => `s3://${store.bucket}/${dataKeys.produced(d)}`;
    for (const d of ['2024-12-16', '2024-12-17', '2024-12-18']) await putDay(store, d, produced(d), `${d}T03:00:00Z`);
    const thursday = new Date('2024-12-18T12:00:00Z');
    expect(await watchCoverage(store, thursday, 3, 3)).toMatchObject({ days: ['2024-12-18', '2024-12-17', '2024-12-16'], upstream: [], quiet: true });
    await putDay(store, '2024-12-19', 'https://example.org/data/2024-12/2024-12-19.md', '2024-12-19T02:00:00Z');
    expect(await watchCoverage(store, new Date('2024-12-19T12:00:00Z'), 3, 3)).toMatchObject({ upstream: ['2024-12-19'], quiet: false });
  });
});

describe("DigestMissing by the third party's own hours (url mode, moto)", () => {
  it('learns the hours from the archive, fires when a day passes them, clears when it comes', async () => {
    const store = await freshMotoBucket(motoS3(), 'cadence');
    // Three weeks of a digest every day of the week, taken in 2-4 hours after 00:00 UTC of its date.
    for (let i = 0; i < 21; i++) {
      const d = shift('2024-12-01', i);
      await putDay(store, d, `https://example.org/data/2024-12/${d}.md`, new Date(Date.parse(`${d}T00:00:00Z`) + (2 + (i % 3)) * 3_600_000).toISOString());
    }
    // Sunday 22 December: its digest is due by 04:00 + 3 h grace. A Sunday has no arXiv announcement, but this source publishes.
    expect(await watchDigest(store, new Date('2024-12-22T06:00:00Z'), 3, 'url')).toMatchObject({ date: '2024-12-21', state: 'in' });
    const late = await watchDigest(store, new Date('2024-12-22T08:00:00Z'), 3, 'url');
    expect(late).toMatchObject({ date: '2024-12-22', state: 'missing' });
    expect(late.basis).toContain('learned from 21 day(s)');
    await putDay(store, '2024-12-22', 'https://example.org/data/2024-12/2024-12-22.md', '2024-12-22T09:00:00Z');
    expect((await watchDigest(store, new Date('2024-12-22T09:30:00Z'), 3, 'url')).state).toBe('in');
  });

  it("falls back to arXiv's calendar while the archive holds too few of the source's days", async () => {
    const store = await freshMotoBucket(motoS3(), 'cadence');
    await putDay(store, '2024-03-01', 'https://example.org/data/2024-03/2024-03-01.md', '2024-03-01T02:00:00Z');
    const watch = await watchDigest(store, new Date('2024-03-04T06:00:00Z'), 3, 'url');
    expect(watch).toMatchObject({ date: '2024-03-04', state: 'missing' });
    expect(watch.basis).toContain("arXiv's calendar (too few");
  });
});
