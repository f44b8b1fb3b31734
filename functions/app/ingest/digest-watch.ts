import { expectedDigest } from '../../domain/arxiv/expected-digest.ts';
import { recentListingDates, sourceKind, upstreamCoverage, type Coverage } from '../../domain/arxiv/source-coverage.ts';
import { currentVersion } from '../../domain/day-index.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { expectedUpstreamDigest, learnCadence } from '../../domain/upstream-cadence.ts';
import { readDayIndex, recentDayIndexes } from './ingest.ts';

export type WatchedSource = 'url' | 'arxiv' | 'both';

export interface DigestWatch {
  /** The date whose digest is expected. */
  readonly date: string;
  readonly due: Date;
  readonly state: 'in' | 'pending' | 'missing';
  /** What the expectation rests on, in words for the log line. */
  readonly basis: string;
}

/** Days the third party's hours are learned from. */
const CADENCE_DAYS = 42;

/**
 * The expectation behind DigestMissing. With arXiv as a source (`arxiv`, `both`), the last
 * announcement's listing is due within the grace, from any source. The third-party digest alone
 * (`url`) keeps its own cadence: it is due at the hour it usually arrived, learned from the
 * archive's recent days; until enough days are there, arXiv's calendar stands in.
 */
export async function watchDigest(store: BlobStore, now: Date, graceHours: number, source: WatchedSource = 'arxiv'): Promise<DigestWatch> {
  if (source === 'url') {
    const indexes = await recentDayIndexes(store, CADENCE_DAYS);
    const samples = indexes.flatMap((index) => {
      const first = index.versions.find((v) => sourceKind(v.source) === 'upstream');
      return first ? [{ date: index.date, ingestedAt: first.ingestedAt }] : [];
    });
    const cadence = learnCadence(samples);
    const newest = [...indexes].reverse().find((i) => currentVersion(i) !== null)?.date ?? null;
    const expectation = cadence ? expectedUpstreamDigest(now, cadence, newest, graceHours) : null;
    if (cadence && expectation) return { ...expectation, basis: `the source's own hours, learned from ${cadence.samples} day(s): within ${cadence.lagHours} h of the date, on UTC weekdays ${cadence.weekdays.join(',')}` };
  }
  const probe = expectedDigest(now, () => false, graceHours);
  const index = (await readDayIndex(store, probe.date)).value;
  const calendar = expectedDigest(now, () => currentVersion(index) !== null, graceHours);
  return { date: calendar.date, due: calendar.due, state: calendar.state, basis: source === 'url' ? "arXiv's calendar (too few of the source's days to learn its hours)" : "arXiv's calendar" };
}

/** Which sources gave the last `days` announcement days (the UpstreamQuiet rule, `both` mode). */
export async function watchCoverage(store: BlobStore, now: Date, days: number, graceHours: number): Promise<Coverage> {
  const dates = recentListingDates(now, days, graceHours);
  const kinds = new Map<string, Set<ReturnType<typeof sourceKind>>>();
  for (const date of dates) kinds.set(date, new Set((await readDayIndex(store, date)).value.versions.map((v) => sourceKind(v.source))));
  return upstreamCoverage(dates, (d) => kinds.get(d) ?? new Set());
}
