import { announcementDays, announcementInstant, ARXIV_HOLIDAYS, listingDateOf } from '../arxiv/calendar.ts';
import type { ListingState } from '../arxiv/listing-freshness.ts';
import type { RunTotals } from '../ports/delivery-ledger.ts';

/**
 * What the status page says, from the archive alone: the days ingested lately (source, papers,
 * versions quarantined) and arXiv's announcements around the newest day. Nothing here depends on
 * the time of the publish, so publishing the same data twice writes the same bytes; the page works
 * out "now" (today's verdict, the next announcement) in the reader's browser from this.
 */
export interface StatusDay {
  readonly date: string;
  /** Papers of the published version; 0 when only quarantined versions exist. */
  readonly papers: number;
  /** Empty when unknown: the page's data holds no nulls. */
  readonly source: string;
  readonly ingestedAt: string;
  readonly quarantined: number;
}

/** The last send run that completed (written by the sender whose batch completed it). */
export interface LastSend {
  /** The run's key, e.g. `2024-03-04` or `week#2024-03-04`. */
  readonly run: string;
  readonly completedAt: string;
  readonly totals: RunTotals;
}

/** The latest day the producer saw in one arXiv category's listing feed. */
export interface StatusListing {
  readonly category: string;
  readonly date: string;
  readonly papers: number;
  readonly seenAt: string;
}

export interface StatusInput {
  readonly days: readonly StatusDay[];
  readonly listings?: ListingState;
  readonly lastSend?: LastSend;
  readonly graceHours?: number;
}

export interface SiteStatus {
  /** Absent before the first digest. */
  readonly newest?: StatusDay;
  /** The last 14 days with a version, newest first. */
  readonly recent: readonly StatusDay[];
  /** arXiv's announcements from a week before the newest day to 60 days after: New York date, the listing's date, the instant. */
  readonly announcements: readonly { readonly date: string; readonly listing: string; readonly at: string }[];
  /** The last year arXiv's holiday table covers. */
  readonly holidaysKnownThrough: number;
  /** Hours after an announcement within which its day's digest is expected (`paperboy:digestGraceHours`). */
  readonly graceHours: number;
  /** The producer's arXiv feeds, by category; empty when the producer is off. */
  readonly listings: readonly StatusListing[];
  /** Absent before the first completed send run. */
  readonly lastSend?: LastSend;
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function siteStatus({ days, listings, lastSend, graceHours = 3 }: StatusInput): SiteStatus {
  const sorted = [...days].sort((a, b) => b.date.localeCompare(a.date));
  const newest = sorted.find((d) => d.papers > 0);
  const around = newest?.date ?? sorted[0]?.date ?? null;
  const announcements = around ? announcementDays(shift(around, -7), shift(around, 60)).map((date) => ({ date, listing: listingDateOf(date), at: announcementInstant(date).toISOString() })) : [];
  const feeds = Object.entries(listings?.categories ?? {})
    .map(([category, seen]) => ({ category, date: seen.latest.date, papers: seen.latest.ids.length, seenAt: seen.latest.seenAt }))
    .sort((a, b) => a.category.localeCompare(b.category));
  return { ...(newest ? { newest } : {}), recent: sorted.slice(0, 14), announcements, holidaysKnownThrough: Math.max(...Object.keys(ARXIV_HOLIDAYS).map(Number)), graceHours, listings: feeds, ...(lastSend ? { lastSend } : {}) };
}
