import { isRealDate } from './digest-fields.ts';

/**
 * Ceilings no real day approaches, so that a wrong or hostile file can never be published or fill
 * the bucket: the busiest cs.CV day of 2024 was ~0.6 MB and ~400 papers in the publisher's digest.
 * A file past a ceiling is kept and reported (quarantined), never parsed into feeds and mail.
 */
export interface IngestLimits {
  /** Bytes of one digest file. */
  readonly maxBytes: number;
  /** Papers one day may carry. */
  readonly maxPapers: number;
  /** Parser warnings kept with a version (the rest are counted): 100k stray lines must not store 100k warnings. */
  readonly keptWarnings: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxBytes: 10 * 1024 * 1024, maxPapers: 2000, keptWarnings: 100 };

/** A date a day folder may be named by: a real calendar date, in the years a digest can have. */
export function isPlausibleDay(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !isRealDate(iso)) return false;
  const year = Number(iso.slice(0, 4));
  // arXiv began in 1991; a year far ahead is a typo or an attack, never a digest.
  return year >= 1991 && year <= 2100;
}

/** The warnings kept with a version: the first few, with a count of all when some were left out. */
export function keptProblems<P>(all: readonly P[], limits: IngestLimits): { readonly problems: readonly P[]; readonly problemsTotal?: number } {
  const problems = all.slice(0, limits.keptWarnings);
  return all.length > problems.length ? { problems, problemsTotal: all.length } : { problems };
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
export const tooLarge = (bytes: number, limits: IngestLimits) => `the file is ${MB(bytes)}, over the ${MB(limits.maxBytes)} a digest may have (INGEST_MAX_BYTES): it was kept and not read`;
export const tooManyPapers = (papers: number, limits: IngestLimits) => `it has ${papers} papers, over the ${limits.maxPapers} a day may have (INGEST_MAX_PAPERS)`;
