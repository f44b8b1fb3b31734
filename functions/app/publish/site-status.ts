import { renderStatusPage } from '../../../templates/site/status-page.ts';
import { emptyListingState, type ListingState } from '../../domain/arxiv/listing-freshness.ts';
import { currentVersion, type DayIndex } from '../../domain/day-index.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import type { RunTotals } from '../../domain/ports/delivery-ledger.ts';
import type { RunKey } from '../../domain/sending/run-key.ts';
import { CACHE_CONTROL, CONTENT_TYPE, sitePaths } from '../../domain/site/paths.ts';
import { siteStatus, type LastSend, type StatusDay, type StatusInput } from '../../domain/site/status.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import { recentDayIndexes } from '../ingest/ingest.ts';
import { hashOf, type Manifest } from './site-manifest.ts';
import { RETRY_POLICIES, readJson, updateJson } from '../stored-json.ts';

/**
 * The status page's inputs and files. The page is a function of what is stored (the day indexes,
 * the producer's listing record, the last completed send), never of the clock at build time, so
 * the publisher and a sender that completes a run build the same bytes from the same state: the
 * publisher rebuilds it with the site, the sender rebuilds the two files alone.
 */

/** Days the status page's table and its newest-day line read. */
const STATUS_DAYS = 30;

export interface StatusFile {
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** What each of the last days took in, quarantined versions counted (indexes in date order). */
export function statusDays(indexes: readonly DayIndex[]): StatusDay[] {
  return indexes.slice(-STATUS_DAYS).map((index) => {
    const version = currentVersion(index);
    const last = version ?? index.versions[index.versions.length - 1];
    return { date: index.date, papers: version?.papers ?? 0, source: last?.source ?? '', ingestedAt: last?.ingestedAt ?? '', quarantined: index.versions.filter((v) => v.status === 'quarantined').length };
  });
}

/** The stored state beside the days: the producer's feeds and the last send. */
export async function statusInput(data: BlobStore, days: readonly StatusDay[], graceHours: number): Promise<StatusInput> {
  const [listings, lastSend] = await Promise.all([readJson<ListingState>(data, dataKeys.listingState), readJson<LastSend>(data, dataKeys.lastSend)]);
  return { days, listings: listings?.value ?? emptyListingState(), ...(lastSend ? { lastSend: lastSend.value } : {}), graceHours };
}

export function statusFiles(input: StatusInput): StatusFile[] {
  const status = siteStatus(input);
  return [
    { path: sitePaths.status, body: renderStatusPage(status), contentType: CONTENT_TYPE.html, cacheControl: CACHE_CONTROL.page },
    { path: sitePaths.statusJson, body: `${JSON.stringify(status, null, 1)}\n`, contentType: CONTENT_TYPE.data, cacheControl: CACHE_CONTROL.page },
  ];
}

/** Records a completed send run; a run that completed earlier than the one stored does not replace it. */
export async function recordSend(data: BlobStore, run: RunKey, totals: RunTotals, at: Date): Promise<LastSend> {
  // The ledger's totals row carries its own keys too; the page shows the counts only.
  const next: LastSend = { run, completedAt: at.toISOString(), totals: { planned: totals.planned, sent: totals.sent, skipped: totals.skipped, suppressed: totals.suppressed, failed: totals.failed } };
  return updateJson<LastSend | null>(data, dataKeys.lastSend, {
    empty: null,
    change: (current) => (current && current.completedAt > next.completedAt ? current : next),
    policy: RETRY_POLICIES.operations,
    space: 1,
  }) as Promise<LastSend>;
}

/**
 * Rebuilds status.html and status.json from the stored state alone (a sender, after its run
 * completed), and records their hashes in the site's manifest, so the next publish sees them as
 * they are. The manifest is written If-Match: a publish that read it before loses its write and
 * rebuilds, as it does against another publish.
 */
export async function publishStatus(data: BlobStore, site: BlobStore, graceHours: number): Promise<void> {
  const files = statusFiles(await statusInput(data, statusDays(await recentDayIndexes(data, STATUS_DAYS)), graceHours));
  for (const file of files) await site.put(file.path, file.body, { contentType: file.contentType, cacheControl: file.cacheControl });
  await updateJson<Manifest>(site, sitePaths.manifest, {
    empty: {},
    change: (manifest) => (files.every((f) => manifest[f.path] === hashOf(f.body)) ? manifest : { ...manifest, ...Object.fromEntries(files.map((f) => [f.path, hashOf(f.body)])) }),
    policy: RETRY_POLICIES.siteManifest,
    space: 1,
  });
}
