import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.ts';
import { currentVersion } from '../domain/day-index.ts';
import { DEFAULT_WINDOW, type WindowOptions } from '../domain/feeds/feed-window.ts';
import { readDayIndex } from './ingest.ts';
import { loadDigest } from './load-digest.ts';
import type { Digest } from '../domain/model.ts';
import { buildSite, type SiteFile } from '../domain/site/build-site.ts';
import { sitePaths } from '../domain/site/paths.ts';
import { dataKeys, dateFromDayIndexKey } from '../domain/storage-layout.ts';

export interface PublishDeps {
  readonly data: BlobStore;
  readonly site: BlobStore;
}

export interface PublishOptions {
  readonly baseUrl: string;
  readonly window?: WindowOptions;
  /** Rebuild every day's archive page, not only the window's. */
  readonly allPages?: boolean;
}

export interface PublishSummary {
  readonly files: number;
  readonly uploaded: readonly string[];
  readonly unchanged: number;
  readonly newestDay: string | null;
}

/** sha256 of every published file, so a run uploads only what changed (S3 ETags are not content hashes under KMS). */
type Manifest = Record<string, string>;

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Rebuilds the public site from the data bucket. Idempotent: run twice on the same data, the second
 * run uploads nothing, so it can follow every DigestReady event and every rebuild command.
 */
export async function publishSite(deps: PublishDeps, options: PublishOptions): Promise<PublishSummary> {
  const window = options.window ?? DEFAULT_WINDOW;
  const dates = (await deps.data.list(dataKeys.dayIndexPrefix)).map(dateFromDayIndexKey).filter((d): d is string => d !== null).sort();
  const published = (await mapLimit(dates, 16, async (d) => currentVersion((await readDayIndex(deps.data, d)).value)))
    .map((version, i) => (version ? { date: dates[i] ?? '', version } : null))
    .filter((v) => v !== null);
  const newest = published[published.length - 1]?.date;
  const cutoff = newest ? new Date(Date.parse(`${newest}T00:00:00Z`) - (window.days - 1) * 86_400_000).toISOString().slice(0, 10) : '';
  const toLoad = options.allPages ? published : published.filter((p) => p.date >= cutoff);
  const digests: Digest[] = await mapLimit(toLoad, 8, async (p) => loadDigest(deps.data, p.version.resultKey));

  const files = buildSite({ baseUrl: options.baseUrl, digests, days: published.map((p) => ({ date: p.date, papers: p.version.papers })), window });
  const uploaded = await uploadChanged(deps.site, files);
  return { files: files.length, uploaded, unchanged: files.length - uploaded.length, newestDay: newest ?? null };
}

export async function uploadChanged(site: BlobStore, files: readonly SiteFile[]): Promise<string[]> {
  const stored = await site.get(sitePaths.manifest);
  const previous: Manifest = stored ? (JSON.parse(new TextDecoder().decode(stored.body)) as Manifest) : {};
  const next: Manifest = { ...previous };
  const uploaded: string[] = [];
  for (const file of files) {
    const hash = createHash('sha256').update(file.body).digest('hex');
    if (previous[file.path] === hash) continue;
    await site.put(file.path, file.body, { contentType: file.contentType, cacheControl: file.cacheControl });
    next[file.path] = hash;
    uploaded.push(file.path);
  }
  if (uploaded.length) await site.put(sitePaths.manifest, JSON.stringify(next, null, 1), { contentType: 'application/json' });
  return uploaded;
}
