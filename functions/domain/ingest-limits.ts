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

/** The limits from the environment (INGEST_MAX_BYTES, INGEST_MAX_PAPERS), defaults for what is unset; a value that is not a positive whole number is refused by name. */
export function ingestLimitsFrom(env: Readonly<Record<string, string | undefined>>): IngestLimits {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${raw} is not a positive whole number`);
    return n;
  };
  return { maxBytes: read('INGEST_MAX_BYTES', DEFAULT_INGEST_LIMITS.maxBytes), maxPapers: read('INGEST_MAX_PAPERS', DEFAULT_INGEST_LIMITS.maxPapers), keptWarnings: DEFAULT_INGEST_LIMITS.keptWarnings };
}

/** A date a day folder may be named by: a real calendar date, in the years a digest can have. */
export function isPlausibleDay(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(iso)) return false;
  const year = d.getUTCFullYear();
  // arXiv began in 1991; a year far ahead is a typo or an attack, never a digest.
  return year >= 1991 && year <= 2100;
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
export const tooLarge = (bytes: number, limits: IngestLimits) => `the file is ${MB(bytes)}, over the ${MB(limits.maxBytes)} a digest may have (INGEST_MAX_BYTES): it was kept and not read`;
export const tooManyPapers = (papers: number, limits: IngestLimits) => `it has ${papers} papers, over the ${limits.maxPapers} a day may have (INGEST_MAX_PAPERS)`;
