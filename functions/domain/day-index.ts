/** The per-day index entry: every version of a day ever seen, and which one is published. */

export type VersionStatus = 'published' | 'quarantined';

export interface DayVersion {
  readonly hash: string;
  readonly status: VersionStatus;
  readonly source: string;
  readonly rawKey: string;
  /** Parsed JSON for a published version, error report for a quarantined one. */
  readonly resultKey: string;
  readonly papers: number;
  readonly ingestedAt: string;
}

export interface DayIndex {
  readonly schemaVersion: 1;
  readonly date: string;
  /** Hash of the version feeds and mail are built from; `null` while only quarantined versions exist. */
  readonly current: string | null;
  readonly versions: readonly DayVersion[];
}

export function emptyDayIndex(date: string): DayIndex {
  return { schemaVersion: 1, date, current: null, versions: [] };
}

export function withVersion(index: DayIndex, version: DayVersion): DayIndex {
  if (index.versions.some((v) => v.hash === version.hash)) return index;
  return {
    ...index,
    current: version.status === 'published' ? version.hash : index.current,
    versions: [...index.versions, version],
  };
}

export function currentVersion(index: DayIndex): DayVersion | null {
  return index.versions.find((v) => v.hash === index.current) ?? null;
}
