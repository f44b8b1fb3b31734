import type { DigestFormat } from './model.ts';

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
  /** Absent on versions recorded before the table format was read: those were all `detailed`. */
  readonly format?: DigestFormat;
  /** False from the moment a published version is recorded until its DigestReady is sent; absent on older records (sent). */
  readonly announced?: boolean;
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

/**
 * A table-format copy of a day whose current version is detailed adds nothing (no abstracts, the
 * same papers: 318 of 322 days of 2024 list the same count in both) and is not taken as a second
 * version. Any other new readable version becomes current, as publishers' corrections should.
 */
export function supersedingVersion(index: DayIndex, format: DigestFormat): DayVersion | null {
  const current = currentVersion(index);
  if (format === 'table' && current && (current.format ?? 'detailed') === 'detailed') return current;
  return null;
}

/** A published version whose DigestReady may not have gone out: a retry must send it. */
export function isUnannounced(index: DayIndex, hash: string): boolean {
  const v = index.versions.find((x) => x.hash === hash);
  return v?.status === 'published' && v.announced === false;
}

export function markAnnounced(index: DayIndex, hash: string): DayIndex {
  if (!isUnannounced(index, hash)) return index;
  return { ...index, versions: index.versions.map((v) => (v.hash === hash ? { ...v, announced: true } : v)) };
}

export function currentVersion(index: DayIndex): DayVersion | null {
  return index.versions.find((v) => v.hash === index.current) ?? null;
}
