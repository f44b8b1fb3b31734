import type { Digest, Paper, Section } from '../model.ts';
import type { Weekday } from '../subscribers/subscriber.ts';
import { hasListing, quietListingDays, type QuietListingDay } from '../arxiv/calendar.ts';

const DAY_MS = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): Weekday {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

/** The week a weekly mail sent on `date` covers: the seven days before it. */
export function weekBefore(date: string): { readonly from: string; readonly to: string; readonly dates: readonly string[] } {
  const dates = Array.from({ length: 7 }, (_, i) => shift(date, i - 7));
  return { from: dates[0] ?? date, to: dates[6] ?? date, dates };
}

/** What a weekly mail covers: its first and last day, the days arXiv had no listing, and listing days no digest came for. */
export interface WeekSpan {
  readonly from: string;
  readonly to: string;
  readonly quiet?: readonly QuietListingDay[];
  readonly missing?: readonly string[];
}

/** The week of a weekly mail sent on `date`, with `mailed` the days whose digest it merges. */
export function weekSpan(date: string, mailed: ReadonlySet<string>): WeekSpan {
  const range = weekBefore(date);
  return { from: range.from, to: range.to, quiet: quietListingDays(range.dates), missing: range.dates.filter((d) => hasListing(d) && !mailed.has(d)) };
}

/**
 * A week's digests as one: every arXiv id once, in its newest listing (its latest version), papers
 * of one category together (categories in the order they first appear, newest day first), newest
 * days first within a category.
 */
export function mergeWeek(days: readonly Digest[], date: string): Digest {
  const seen = new Set<string>();
  const sections = new Map<string, { section: Section; papers: Paper[] }>();
  for (const day of [...days].sort((a, b) => b.date.localeCompare(a.date))) {
    for (const s of day.sections) {
      for (const p of s.papers) {
        if (seen.has(p.arxivId)) continue;
        seen.add(p.arxivId);
        let into = sections.get(s.category.slug);
        if (!into) sections.set(s.category.slug, (into = { section: s, papers: [] }));
        into.papers.push(p);
      }
    }
  }
  const range = weekBefore(date);
  return {
    date,
    source: `week ${range.from}..${range.to}`,
    headerStyle: 'modern',
    format: days.every((d) => d.format === 'table') ? 'table' : 'detailed',
    sections: [...sections.values()].map(({ section, papers }) => ({ category: section.category, papers: papers.map((p, i) => ({ ...p, index: i + 1 })) })),
  };
}
