import { describe, expect, it } from 'vitest';
import { announcementDays, announcementInstant, ARXIV_HOLIDAYS, hasListing, holidaysKnown, isAnnouncementDay, lastAnnouncement, listingDateOf, nextAnnouncement, quietReason } from '../../functions/domain/arxiv/calendar.ts';

/**
 * arXiv's published schedule (info.arxiv.org/help/availability): announcements Sunday to Thursday
 * at 20:00 New York, none Friday or Saturday, none on the year's listed holidays; the listing is
 * dated the next day.
 */
describe("arXiv's announcement calendar", () => {
  it('announces Sunday to Thursday, never Friday or Saturday', () => {
    // A week without holidays: 2024-02-04 (Sunday) .. 2024-02-10 (Saturday).
    expect(['2024-02-04', '2024-02-05', '2024-02-06', '2024-02-07', '2024-02-08', '2024-02-09', '2024-02-10'].map(isAnnouncementDay)).toEqual([true, true, true, true, true, false, false]);
    expect(quietReason('2024-02-09')).toBe('friday');
    expect(quietReason('2024-02-10')).toBe('saturday');
    // Listings are dated the day after: Monday to Friday.
    expect(listingDateOf('2024-02-04')).toBe('2024-02-05');
    expect(['2024-02-05', '2024-02-09', '2024-02-10', '2024-02-11'].map(hasListing)).toEqual([true, true, false, false]);
  });

  it('announces at 20:00 New York: 01:00 UTC in winter, 00:00 UTC in summer, across both daylight-saving changes', () => {
    // 2024: summer time from Sunday 10 March, winter time from Sunday 3 November.
    expect(announcementInstant('2024-03-07').toISOString()).toBe('2024-03-08T01:00:00.000Z');
    expect(announcementInstant('2024-03-10').toISOString()).toBe('2024-03-11T00:00:00.000Z');
    expect(announcementInstant('2024-10-31').toISOString()).toBe('2024-11-01T00:00:00.000Z');
    expect(announcementInstant('2024-11-03').toISOString()).toBe('2024-11-04T01:00:00.000Z');
    // 2025: 9 March and 2 November.
    expect(announcementInstant('2025-03-06').toISOString()).toBe('2025-03-07T01:00:00.000Z');
    expect(announcementInstant('2025-03-09').toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(announcementInstant('2025-11-02').toISOString()).toBe('2025-11-03T01:00:00.000Z');
  });

  it("skips arXiv's 2024 and 2025 holidays, and knows which years it has a table for", () => {
    for (const d of ['2024-01-15', '2024-05-22', '2024-07-04', '2024-10-08', '2024-11-28', '2024-12-25', '2024-12-31', '2025-01-01', '2025-01-20', '2025-06-19', '2025-11-27', '2025-12-30']) expect(quietReason(d), d).toBe('holiday');
    // Thanksgiving 2024 (Thursday): no Friday listing.
    expect(hasListing('2024-11-29')).toBe(false);
    expect(hasListing('2024-11-28')).toBe(true);
    expect(holidaysKnown(2025)).toBe(true);
    expect(holidaysKnown(2031)).toBe(false);
    for (const [year, days] of Object.entries(ARXIV_HOLIDAYS)) for (const d of days) expect(d.startsWith(year), d).toBe(true);
    // 2024 starts on a Monday and has 366 days: 262 days Sunday to Thursday, less its 10 holidays (all on those days).
    expect(announcementDays('2024-01-01', '2024-12-31')).toHaveLength(262 - 10);
  });

  it('finds the next and the last announcement from any instant', () => {
    // Friday noon UTC: the next is Sunday 20:00 New York.
    expect(nextAnnouncement(new Date('2024-02-09T12:00:00Z'))).toEqual({ date: '2024-02-11', at: new Date('2024-02-12T01:00:00Z') });
    // Just before and just after Thursday's announcement.
    expect(nextAnnouncement(new Date('2024-02-09T00:59:00Z')).date).toBe('2024-02-08');
    expect(lastAnnouncement(new Date('2024-02-09T01:01:00Z')).date).toBe('2024-02-08');
    // Over Christmas 2024: Tuesday 24th announces, 25th and 26th do not, Friday and Saturday neither.
    expect(nextAnnouncement(new Date('2024-12-25T12:00:00Z')).date).toBe('2024-12-29');
    expect(lastAnnouncement(new Date('2024-12-28T12:00:00Z')).date).toBe('2024-12-24');
  });
});
