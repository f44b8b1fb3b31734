/**
 * arXiv's announcement calendar: announcements Sunday to Thursday at 20:00 America/New_York (so
 * 00:00 or 01:00 UTC the next day, across daylight-saving changes), none on Friday or Saturday, none
 * on arXiv's holidays. A day here is the announcement's own date in New York (the date arXiv's
 * listing carries). No network: the holidays are a table.
 *
 * The table is arXiv's published one (info.arxiv.org/help/availability, "On Deferred Mailings"; its
 * source is the arxiv-docs repository, source/help/availability.md, whose history holds each
 * year's final list). To add a year: copy that year's list below once arXiv publishes it (usually
 * in December for the next year, with late additions during the year, as 2024's 22 May and 8
 * October were), and add a test day from it. A year missing from the table is assumed to have no
 * holidays, and `holidaysKnown` says so, so a status page can say "holidays not yet known".
 */
export const ARXIV_HOLIDAYS: Readonly<Record<number, readonly string[]>> = {
  2023: ['2023-01-16', '2023-06-14', '2023-06-19', '2023-07-04', '2023-08-17', '2023-09-04', '2023-11-23', '2023-12-25', '2023-12-27'],
  2024: ['2024-01-15', '2024-05-22', '2024-06-19', '2024-07-04', '2024-09-02', '2024-10-08', '2024-11-28', '2024-12-25', '2024-12-26', '2024-12-31'],
  2025: ['2025-01-01', '2025-01-20', '2025-06-19', '2025-07-06', '2025-09-01', '2025-11-27', '2025-12-25', '2025-12-30'],
  2026: ['2026-01-01', '2026-01-19', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25', '2026-12-29', '2026-12-31'],
};

const HOLIDAYS = new Set(Object.values(ARXIV_HOLIDAYS).flat());
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ANNOUNCEMENT_ZONE = 'America/New_York';
/** 20:00 in New York. */
const ANNOUNCEMENT_HOUR = 20;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const dateOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

export const holidaysKnown = (year: number): boolean => year in ARXIV_HOLIDAYS;

/** Why a day has no announcement, or null when it has one. */
export function quietReason(date: string): 'friday' | 'saturday' | 'holiday' | null {
  const day = weekdayOf(date);
  if (day === 'Friday') return 'friday';
  if (day === 'Saturday') return 'saturday';
  return HOLIDAYS.has(date) ? 'holiday' : null;
}

export const isAnnouncementDay = (date: string): boolean => quietReason(date) === null;

/** The offset of New York from UTC at `instant`, in minutes (−240 in summer, −300 in winter). */
function newYorkOffsetMinutes(instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ANNOUNCEMENT_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - instant.getTime()) / 60_000);
}

/** The instant of the announcement on `date` (20:00 in New York), whether or not arXiv announces that day. */
export function announcementInstant(date: string): Date {
  // 20:00 New York is 00:00 or 01:00 UTC the next day; the offset at that hour decides which.
  const guess = new Date(Date.parse(`${date}T${String(ANNOUNCEMENT_HOUR).padStart(2, '0')}:00:00Z`) + 5 * 3_600_000);
  return new Date(Date.parse(`${date}T${String(ANNOUNCEMENT_HOUR).padStart(2, '0')}:00:00Z`) - newYorkOffsetMinutes(guess) * 60_000);
}

/** The date in New York at `instant`. */
export function newYorkDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ANNOUNCEMENT_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The first announcement at or after `instant`: its date and when it is. */
export function nextAnnouncement(instant: Date): { readonly date: string; readonly at: Date } {
  let n = dayNumber(newYorkDate(instant));
  for (let i = 0; i < 30; i++, n++) {
    const date = dateOf(n);
    const at = announcementInstant(date);
    if (isAnnouncementDay(date) && at.getTime() >= instant.getTime()) return { date, at };
  }
  throw new Error(`no arXiv announcement in the 30 days after ${instant.toISOString()}: the holiday table is wrong`);
}

/** The last announcement at or before `instant`. */
export function lastAnnouncement(instant: Date): { readonly date: string; readonly at: Date } {
  let n = dayNumber(newYorkDate(instant));
  for (let i = 0; i < 30; i++, n--) {
    const date = dateOf(n);
    const at = announcementInstant(date);
    if (isAnnouncementDay(date) && at.getTime() <= instant.getTime()) return { date, at };
  }
  throw new Error(`no arXiv announcement in the 30 days before ${instant.toISOString()}: the holiday table is wrong`);
}

/** The announcement days from `from` to `to` (inclusive, New York dates). */
export function announcementDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) if (isAnnouncementDay(dateOf(n))) out.push(dateOf(n));
  return out;
}

/**
 * arXiv's listings are dated the day after the announcement (Sunday 20:00's is Monday's listing),
 * and so are Paperboy's own digests: a listing day is Monday to Friday, its announcement the evening
 * before.
 */
export const listingDateOf = (announcementDate: string): string => dateOf(dayNumber(announcementDate) + 1);
export const announcementDateOf = (listingDate: string): string => dateOf(dayNumber(listingDate) - 1);

/** Whether arXiv publishes a listing dated `listingDate` (its announcement the evening before took place). */
export const hasListing = (listingDate: string): boolean => isAnnouncementDay(announcementDateOf(listingDate));

/** A date without an arXiv listing, and why: no announcement the evening before (Friday, Saturday), or arXiv's holiday. */
export interface QuietListingDay {
  readonly date: string;
  readonly reason: 'weekend' | 'holiday';
}

/** The dates among `dates` with no arXiv listing (a weekly mail names them, so a short week is not a puzzle). */
export function quietListingDays(dates: readonly string[]): QuietListingDay[] {
  return dates.flatMap((date) => {
    const why = quietReason(announcementDateOf(date));
    return why === null ? [] : [{ date, reason: why === 'holiday' ? ('holiday' as const) : ('weekend' as const) }];
  });
}
