import { describe, expect, it } from 'vitest';
import { recentListingDates, sourceKind, upstreamCoverage, type SourceKind } from '../../functions/domain/arxiv/source-coverage.ts';
import { expectedUpstreamDigest, learnCadence, MIN_CADENCE_SAMPLES, type CadenceSample } from '../../functions/domain/upstream-cadence.ts';

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Three weeks of a source publishing every day of the week (as the third party did in 2024), 1-5 hours after 00:00 UTC of the date. */
function everyDay(from: string, days: number): CadenceSample[] {
  return Array.from({ length: days }, (_, i) => ({ date: shift(from, i), ingestedAt: new Date(Date.parse(`${shift(from, i)}T00:00:00Z`) + (1 + (i % 5)) * 3_600_000).toISOString() }));
}

describe("the third party's learned hours (DigestMissing, url mode)", () => {
  it('learns every weekday and the hour by which 9 in 10 of its days arrived, ignoring backfilled days', () => {
    const backfilled = [{ date: '2024-01-01', ingestedAt: '2024-06-01T10:00:00Z' }, { date: '2024-01-02', ingestedAt: '2024-06-01T10:00:05Z' }];
    const cadence = learnCadence([...everyDay('2024-02-01', 21), ...backfilled]);
    expect(cadence).toEqual({ weekdays: [0, 1, 2, 3, 4, 5, 6], lagHours: 5, samples: 21 });
  });

  it('learns a weekday cadence when the source skips weekends', () => {
    const weekdaysOnly = everyDay('2024-02-05', 28).filter((s) => ![0, 6].includes(new Date(`${s.date}T00:00:00Z`).getUTCDay()));
    expect(learnCadence(weekdaysOnly)?.weekdays).toEqual([1, 2, 3, 4, 5]);
  });

  it('needs enough days before it trusts what it learned', () => {
    expect(learnCadence(everyDay('2024-02-01', MIN_CADENCE_SAMPLES - 1))).toBeNull();
  });

  it('expects the newest day past its hour and the grace, and waits for no day the source skipped', () => {
    const cadence = { weekdays: [1, 2, 3, 4, 5], lagHours: 5, samples: 20 };
    // Tuesday 5 March 2024 at 07:00 UTC: Tuesday's is due at 05:00 + 3 h grace = 08:00, so Monday's is the one expected.
    expect(expectedUpstreamDigest(new Date('2024-03-05T07:00:00Z'), cadence, '2024-03-04', 3)).toMatchObject({ date: '2024-03-04', state: 'in' });
    expect(expectedUpstreamDigest(new Date('2024-03-05T09:00:00Z'), cadence, '2024-03-04', 3)).toMatchObject({ date: '2024-03-05', state: 'missing', due: new Date('2024-03-05T08:00:00Z') });
    // Sunday: Friday's stays expected; a Saturday digest is not waited for.
    expect(expectedUpstreamDigest(new Date('2024-03-10T12:00:00Z'), cadence, '2024-03-08', 3)).toMatchObject({ date: '2024-03-08', state: 'in' });
    // A later day in the archive covers a day the source never published.
    expect(expectedUpstreamDigest(new Date('2024-03-06T09:00:00Z'), { ...cadence, weekdays: [0, 1, 2, 3, 4, 5, 6] }, '2024-03-06', 3)?.state).toBe('in');
  });
});

describe('the UpstreamQuiet rule (both mode)', () => {
  it('tells the sources apart as the day index records them', () => {
    expect(sourceKind('https://example.org/data/2024-03/2024-03-04.md')).toBe('upstream');
    expect(sourceKind('s3://paperboy-data/incoming/arxiv/2024-03-04.md')).toBe('producer');
    expect(sourceKind('s3://paperboy-data/incoming/2024-03-04.md')).toBe('upload');
  });

  it("takes the last announcement days past their grace, skipping weekends and arXiv's holidays", () => {
    // Friday 29 November 2024, 15:00 UTC: Thanksgiving (Thursday) left no Friday listing.
    expect(recentListingDates(new Date('2024-11-29T15:00:00Z'), 3, 3)).toEqual(['2024-11-28', '2024-11-27', '2024-11-26']);
    // Monday 2 December, 02:00 UTC: Monday's listing (announced 01:00) is within its grace, so Wednesday's and Tuesday's close the list.
    expect(recentListingDates(new Date('2024-12-02T02:00:00Z'), 3, 3)).toEqual(['2024-11-28', '2024-11-27', '2024-11-26']);
    expect(recentListingDates(new Date('2024-12-02T05:00:00Z'), 3, 3)).toEqual(['2024-12-02', '2024-11-28', '2024-11-27']);
  });

  it('fires when the third party covered none of the days and the producer did; not when either is missing alone', () => {
    const days = ['2024-12-18', '2024-12-17', '2024-12-16'];
    const of = (map: Record<string, SourceKind[]>) => (d: string) => new Set(map[d] ?? []);
    expect(upstreamCoverage(days, of({ '2024-12-18': ['producer'], '2024-12-17': ['producer'], '2024-12-16': ['producer'] })).quiet).toBe(true);
    expect(upstreamCoverage(days, of({ '2024-12-18': ['producer'], '2024-12-17': ['producer'], '2024-12-16': ['upstream'] }))).toMatchObject({ quiet: false, upstream: ['2024-12-16'], producer: ['2024-12-18', '2024-12-17'] });
    // Nothing from either: DigestMissing's business, not this alarm's.
    expect(upstreamCoverage(days, of({})).quiet).toBe(false);
  });
});
