import { lastAnnouncement, listingDateOf } from './calendar.ts';

/**
 * Whether the digest arXiv's last announcement calls for is in: the announcement of day A (20:00
 * New York) makes the listing of A+1, whose digest is due `graceHours` after it. Before then it is
 * pending; after, without a digest of that date, missing. A Friday, a Saturday or a holiday adds no
 * announcement, so the last one's digest stays the one expected: a quiet day is quiet by design.
 */
export interface DigestExpectation {
  /** The listing date whose digest is expected. */
  readonly date: string;
  readonly announcedAt: Date;
  readonly due: Date;
  readonly state: 'in' | 'pending' | 'missing';
}

export function expectedDigest(now: Date, hasDigest: (date: string) => boolean, graceHours: number): DigestExpectation {
  const last = lastAnnouncement(now);
  const date = listingDateOf(last.date);
  const due = new Date(last.at.getTime() + graceHours * 3_600_000);
  const state = hasDigest(date) ? 'in' : now < due ? 'pending' : 'missing';
  return { date, announcedAt: last.at, due, state };
}
