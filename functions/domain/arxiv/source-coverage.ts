import { dataKeys } from '../storage-layout.ts';
import { lastAnnouncement, listingDateOf, announcementDateOf, isAnnouncementDay } from './calendar.ts';

/**
 * Which configured source carried each recent announcement day (the `UpstreamQuiet` alarm): in
 * `both` mode the third-party digest is taken first and the producer fills the days it leaves; when
 * the third party has covered none of the last N announcement days while the producer did, the
 * operator should know which source is carrying the project (the third party stopped, or moved).
 */

export type SourceKind = 'upstream' | 'producer' | 'upload';

/** A version's source as the day index records it: a URL (the third party), the producer's key, or an upload. */
export function sourceKind(source: string): SourceKind {
  if (/^https?:\/\//i.test(source)) return 'upstream';
  // The producer's files are ingested from the bucket: `s3://<bucket>/incoming/arxiv/<date>.md`.
  return source.includes(`/${dataKeys.producedPrefix}`) || source.startsWith(dataKeys.producedPrefix) ? 'producer' : 'upload';
}

/** The last `n` listing dates whose announcement and grace have passed at `now`, newest first. */
export function recentListingDates(now: Date, n: number, graceHours: number): string[] {
  let last = lastAnnouncement(now);
  // The newest announcement still within its grace is not judged yet.
  if (now.getTime() < last.at.getTime() + graceHours * 3_600_000) last = lastAnnouncement(new Date(last.at.getTime() - 1));
  const out: string[] = [listingDateOf(last.date)];
  let date = last.date;
  while (out.length < n) {
    date = announcementDateOf(date);
    if (isAnnouncementDay(date)) out.push(listingDateOf(date));
  }
  return out;
}

export interface Coverage {
  readonly days: readonly string[];
  /** Days among them with a version from the third-party digest. */
  readonly upstream: readonly string[];
  readonly producer: readonly string[];
  readonly quiet: boolean;
}

/** `kindsOf(date)`: the kinds of source that gave `date` a version (any status: a quarantined third-party day still came). */
export function upstreamCoverage(days: readonly string[], kindsOf: (date: string) => ReadonlySet<SourceKind>): Coverage {
  const upstream = days.filter((d) => kindsOf(d).has('upstream'));
  const producer = days.filter((d) => kindsOf(d).has('producer'));
  return { days, upstream, producer, quiet: upstream.length === 0 && producer.length > 0 };
}
