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
