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
  incomingPrefix: 'incoming/',
  /** Abstracts and translations added after the digest was published (arXiv, translator). */
  enrichment: (date: string) => `enrichment/${date}.json`,
  /** Each mailed day as readers' personal feeds read it (the readable digest the edition was compiled from). */
  mailedDay: (date: string) => `editions/days/${date}.json`,
  mailedDaysPrefix: 'editions/days/',
} as const;

/** Date folder for a digest whose header could not be read. */
export const UNDATED = 'undated';

export function dateFromDayIndexKey(key: string): string | null {
  const m = /^index\/days\/(\d{4}-\d{2}-\d{2})\.json$/.exec(key);
  return m?.[1] ?? null;
}
