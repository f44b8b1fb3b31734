/**
 * When the third-party digest is due, learned from what the archive took in from it (issue 32.1):
 * it keeps its own cadence (in 2024 it published on every day of the week, Fridays and Saturdays
 * included, dated by its own query, not by arXiv's announcements), so arXiv's calendar says nothing
 * about it. From its recent days: the weekdays it publishes on, and how long after the start of a
 * day's date (UTC) its digest usually arrived here. Backfilled days (taken in long after their
 * date) say nothing about its hours and are left out.
 */

export interface CadenceSample {
  readonly date: string;
  /** When the archive first took in a version of the day from this source. */
  readonly ingestedAt: string;
}

export interface UpstreamCadence {
  /** UTC weekdays (0 Sunday … 6 Saturday) the source publishes on. */
  readonly weekdays: readonly number[];
  /** Hours after 00:00 UTC of the day's date by which 9 in 10 of its days had arrived. */
  readonly lagHours: number;
  readonly samples: number;
}

const DAY_MS = 86_400_000;
/** A day taken in later than this after its date was a backfill, not a publication. */
const MAX_LAG_HOURS = 72;
/** Fewer days than this teach nothing reliable: the calendar is used instead. */
export const MIN_CADENCE_SAMPLES = 8;

export function learnCadence(samples: readonly CadenceSample[]): UpstreamCadence | null {
  const timely = samples
    .map((s) => ({ date: s.date, lag: (Date.parse(s.ingestedAt) - Date.parse(`${s.date}T00:00:00Z`)) / 3_600_000 }))
    .filter((s) => Number.isFinite(s.lag) && s.lag >= -24 && s.lag <= MAX_LAG_HOURS);
  if (timely.length < MIN_CADENCE_SAMPLES) return null;
  const lags = timely.map((s) => s.lag).sort((a, b) => a - b);
  const lagHours = Math.ceil(lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.9))] ?? 0);
  // A weekday is one it publishes on when it did on at least half of the weeks the samples span.
  const dates = timely.map((s) => Date.parse(`${s.date}T00:00:00Z`));
  const weeks = Math.max(1, Math.round((Math.max(...dates) - Math.min(...dates)) / DAY_MS / 7));
  const perWeekday = new Array<number>(7).fill(0);
  for (const t of new Set(dates)) perWeekday[new Date(t).getUTCDay()]! += 1;
  const weekdays = perWeekday.flatMap((n, day) => (n >= weeks / 2 ? [day] : []));
  return { weekdays, lagHours, samples: timely.length };
}

export interface UpstreamExpectation {
  /** The newest date the source should have published by now. */
  readonly date: string;
  readonly due: Date;
  /** `in` once a digest of that date or a later one is here (a day the source skipped is not waited for). */
  readonly state: 'in' | 'missing';
}

/** The newest day whose learned hour plus the grace has passed at `now`. */
export function expectedUpstreamDigest(now: Date, cadence: UpstreamCadence, newestDigest: string | null, graceHours: number): UpstreamExpectation | null {
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  for (let i = 0; i < 14; i++) {
    const t = today - i * DAY_MS;
    if (!cadence.weekdays.includes(new Date(t).getUTCDay())) continue;
    const due = new Date(t + (cadence.lagHours + graceHours) * 3_600_000);
    if (due > now) continue;
    const date = new Date(t).toISOString().slice(0, 10);
    return { date, due, state: newestDigest !== null && newestDigest >= date ? 'in' : 'missing' };
  }
  return null;
}
