import type { ParseResult } from './parse-digest.ts';

/**
 * A digest is quarantined instead of published when more than this share of its paper records had
 * to be skipped, or when it names more papers than it yields by more than this share: past that
 * point the day is more likely mangled (or in a format the parser does not read) than a paper or
 * two being odd.
 */
export const MAX_SKIPPED_SHARE = 0.05;
/** One bad record is always tolerated, so a small day is not held back by a single typo. */
export const ALWAYS_TOLERATED = 1;

export type Verdict = { readonly publish: true } | { readonly publish: false; readonly reason: string };

function limitFor(count: number): number {
  return Math.max(ALWAYS_TOLERATED, Math.floor(count * MAX_SKIPPED_SHARE));
}

/**
 * Two independent checks. Records: malformed records the parser saw and skipped. Names: the distinct
 * arXiv ids linked anywhere in the bytes (counted by a plain pattern, not by the parser) against the
 * distinct papers parsed, which catches what the parser did not recognise as a record at all — a
 * changed format, a mangled table. A file that names papers and yields none is never published.
 */
export function judgeParse(result: ParseResult): Verdict {
  const { skipped, records, namedIds } = result;
  if (result.damage.length > 0) return { publish: false, reason: result.damage.join('; ') };
  const parsed = result.digest.sections.reduce((n, s) => n + s.papers.length, 0);
  if (namedIds > 0 && parsed === 0) {
    return { publish: false, reason: `the file links ${namedIds} arXiv papers but none could be read (${records} paper records recognised)` };
  }
  const missing = namedIds - parsed;
  if (missing > limitFor(namedIds)) {
    return { publish: false, reason: `the file links ${namedIds} arXiv papers but only ${parsed} could be read (limit ${limitFor(namedIds)} missing, ${MAX_SKIPPED_SHARE * 100}%)` };
  }
  if (skipped > limitFor(records)) {
    return { publish: false, reason: `${skipped} of ${records} paper records are malformed (limit ${limitFor(records)}, ${MAX_SKIPPED_SHARE * 100}%)` };
  }
  return { publish: true };
}

/**
 * A new version replaces the day readers have only if it is not much smaller: a publisher's
 * correction changes a paper or two, while a file that lost a tenth of the day's papers is far more
 * likely truncated or broken. Such a version is kept and reported, and the current one stays.
 */
export const MAX_LOST_SHARE = 0.1;

export function judgeReplacement(currentPapers: number | null, candidatePapers: number): Verdict {
  if (currentPapers === null || currentPapers === 0) return { publish: true };
  const lost = currentPapers - candidatePapers;
  if (lost > currentPapers * MAX_LOST_SHARE) {
    return { publish: false, reason: `it has ${candidatePapers} papers where the current version has ${currentPapers}: losing ${lost} (more than ${MAX_LOST_SHARE * 100}%) looks like a broken copy, so the current version stays (force it with --force or the incoming/force/ prefix)` };
  }
  return { publish: true };
}

/**
 * The last day a digest may carry: tomorrow in the source's time zone (a publisher ahead of UTC
 * dates its day before UTC does). A later date is a mistake that would slide every feed's window
 * past the real days.
 */
export function latestAcceptableDate(now: Date, timeZone: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
