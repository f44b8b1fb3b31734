import { expectedDigest, type DigestExpectation } from '../../domain/arxiv/expected-digest.ts';
import { currentVersion } from '../../domain/day-index.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { readDayIndex } from './ingest.ts';

/** The expectation for the last announcement's digest, against the archive's day index of that date. */
export async function watchDigest(store: BlobStore, now: Date, graceHours: number): Promise<DigestExpectation> {
  const probe = expectedDigest(now, () => false, graceHours);
  const index = (await readDayIndex(store, probe.date)).value;
  return expectedDigest(now, () => currentVersion(index) !== null, graceHours);
}
