/**
 * Where everything lives in the data bucket (documented in the README, "Storage layout").
 * Raw and parsed keys are content-addressed by the SHA-256 of the raw bytes: a re-publication with
 * other bytes is a new key, so nothing is ever overwritten and the same bytes twice change nothing.
 */
export const dataKeys = {
  raw: (date: string, hash: string) => `raw/${date}/${hash}.md`,
  parsed: (date: string, hash: string) => `parsed/${date}/${hash}.json`,
  quarantineReport: (date: string, hash: string) => `quarantine/${date}/${hash}.report.json`,
  dayIndex: (date: string) => `index/days/${date}.json`,
  dayIndexPrefix: 'index/days/',
  /** Uploads here are ingested by the S3 trigger (the stack's notification filter uses this prefix). */
  incomingPrefix: 'incoming/',
  /** Uploads here are the operator's say-so: taken even if much smaller than the day's current version. */
  forcePrefix: 'incoming/force/',
  /** The producer's own digest of a day, in the detailed format, ingested like an upload. */
  produced: (date: string) => `incoming/arxiv/${date}.md`,
  producedPrefix: 'incoming/arxiv/',
  /** Abstracts and translations added after the digest was published (arXiv, translator). */
  enrichment: (date: string) => `enrichment/${date}.json`,
  /** Each mailed day as readers' personal feeds read it (the readable digest the edition was compiled from). */
  mailedDay: (date: string) => `editions/days/${date}.json`,
  mailedDaysPrefix: 'editions/days/',
  /**
   * The compiled edition of one parsed digest, beside `parsed/{date}/{hash}.json`. The folder names
   * the stored format: a sender of a new format never finds an edition an older planner compiled
   * (v1 had no paper markers for filters).
   */
  edition: (date: string, hash: string) => `editions/v2/${date}/${hash}.json`,
  /** A weekly edition, for the mail sent on `date`. */
  weeklyEdition: (date: string) => `editions/v2/weeks/${date}.json`,
  /** What the producer saw of arXiv's listing feeds lately, per category (the ListingStale rule reads it). */
  listingState: 'state/arxiv-listings.json',
  /** The last send run that completed, with its totals (the status page shows it). */
  lastSend: 'state/last-send.json',
} as const;

/** Date folder for a digest whose header could not be read. */
export const UNDATED = 'undated';

export function dateFromDayIndexKey(key: string): string | null {
  const m = /^index\/days\/(\d{4}-\d{2}-\d{2})\.json$/.exec(key);
  return m?.[1] ?? null;
}
