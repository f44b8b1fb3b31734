import { statusDays, statusInput } from './site-status.ts';
import { hashOf, type Manifest } from './site-manifest.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { RETRY_POLICIES, readJsonOr, retryOnConflict } from '../stored-json.ts';
import { currentVersion } from '../../domain/day-index.ts';
import { DEFAULT_WINDOW, type WindowOptions } from '../../domain/feeds/feed-window.ts';
import { readDayIndex } from '../ingest/ingest.ts';
import { loadDigest } from '../archive/load-digest.ts';
import type { Digest } from '../../domain/model.ts';
import { buildSite, type SiteFile } from './build-site.ts';
import { altchaAssets } from './altcha-assets.ts';
import { absoluteUrl, isFeedPath, sitePaths } from '../../domain/site/paths.ts';
import { dataKeys, dateFromDayIndexKey } from '../../domain/storage-layout.ts';
import { searchShardOf } from '../../domain/search/search-records.ts';
import { buildSearchShard } from './search-index.ts';

export interface PublishDeps {
  readonly data: BlobStore;
  readonly site: BlobStore;
  /** Announces changed feeds to the WebSub hub, when one is configured. */
  readonly notifyHub?: (feedUrls: readonly string[]) => Promise<void>;
}

export interface PublishOptions {
  readonly baseUrl: string;
  readonly window?: WindowOptions;
  /** The WebSub hub the feeds name (`<link rel="hub">`). */
  readonly hub?: string;
  /** Hours within which a day's digest is expected after arXiv's announcement (the status page says so). */
  readonly graceHours?: number;
  /** Rebuild every day's archive page, not only the window's. */
  readonly allPages?: boolean;
  /** Build the archive search index (default on; off for tests that are about something else). */
  readonly search?: boolean;
  /**
   * Month shards one publish may (re)build, newest first (default 6): the first publish of a long
   * archive stays within the function's timeout, and each later publish builds the next ones.
   */
  readonly maxSearchShards?: number;
  /** Attempts when another publish wrote the manifest meanwhile (each one a fresh rebuild). */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where the bundle keeps the ALTCHA widget's files (the Publish function); unset: node_modules. */
  readonly altchaDir?: string;
}

export interface PublishSummary {
  readonly files: number;
  readonly uploaded: readonly string[];
  readonly unchanged: number;
  readonly newestDay: string | null;
  /** Rebuilds because another publish changed the manifest first (its conditional write lost: 412). */
  readonly conflicts: number;
  /** Months whose search index was rebuilt. */
  readonly searchShards: readonly string[];
}


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
 *
 * Publishes may overlap (two events, a rebuild, EventBridge retries) and no concurrency limit keeps
 * them apart (a reserved concurrency would block `cdk deploy` on new accounts). The manifest is the
 * lock: each attempt reads it (ETag) before it reads the data, and writes it back only if nobody
 * wrote it meanwhile (If-Match). A publish that loses rebuilds from fresh data and rewrites every
 * file it wrote in any attempt, since a loser may have overwritten newer files with stale ones.
 * So the last publish to write the manifest has built from data at least as new as anyone's, and
 * every file a stale attempt touched is rewritten by that publisher's own later attempt.
 */
export async function publishSite(deps: PublishDeps, options: PublishOptions): Promise<PublishSummary> {
  const policy = { ...RETRY_POLICIES.siteManifest, ...(options.attempts ? { attempts: options.attempts } : {}) };
  /** Every path this publish wrote, in any attempt: rewritten on a retry whatever the manifest says. */
  const uploadedAll = new Set<string>();
  return retryOnConflict(
    policy,
    async (attempt) => {
      const manifest = await readJsonOr<Manifest>(deps.site, sitePaths.manifest, {});
      // A shard this publish wrote in a lost attempt is rebuilt from fresh data and rewritten whole,
      // even if its days did not change: the lost attempt may have replaced its entry file.
      const touched = [...uploadedAll].filter((p) => p.startsWith('search/')).map((p) => p.split('/')[1] ?? '');
      const { files, newestDay, searchShards } = await buildFromData(deps.data, options, manifest.value, new Set(touched));
      const uploaded = await uploadChanged(deps.site, files, manifest.value, new Set(uploadedAll));
      for (const path of uploaded) uploadedAll.add(path);
      // A rebuilt shard's old chunks are named by old hashes and nothing points at them any more.
      const stale = staleShardFiles(manifest.value, files, searchShards);
      if (uploaded.length || stale.length) await deps.site.put(sitePaths.manifest, JSON.stringify(nextManifest(manifest.value, files, stale), null, 1), { contentType: 'application/json', ifMatch: manifest.etag });
      // Only once the manifest no longer lists them: a publish that lost its race never deletes.
      if (stale.length) await deps.site.delete(stale);
      const changedFeeds = [...uploadedAll].filter(isFeedPath).sort().map((p) => absoluteUrl(options.baseUrl, p));
      if (changedFeeds.length && deps.notifyHub) await deps.notifyHub(changedFeeds);
      return { files: files.length, uploaded: [...uploadedAll], unchanged: files.length - uploaded.length, newestDay, conflicts: attempt - 1, searchShards };
    },
    options.sleep,
  );
}

async function buildFromData(data: BlobStore, options: PublishOptions, manifest: Manifest, mustRebuild: ReadonlySet<string> = new Set()): Promise<{ files: SiteFile[]; newestDay: string | null; searchShards: string[] }> {
  const window = options.window ?? DEFAULT_WINDOW;
  const dates = (await data.list(dataKeys.dayIndexPrefix)).map(dateFromDayIndexKey).filter((d): d is string => d !== null).sort();
  const indexes = await mapLimit(dates, 16, async (d) => (await readDayIndex(data, d)).value);
  const published = indexes
    .map((index, i) => {
      const version = currentVersion(index);
      return version ? { date: dates[i] ?? '', version } : null;
    })
    .filter((v) => v !== null);
  const status = await statusInput(data, statusDays(indexes), options.graceHours ?? 3);
  const newest = published[published.length - 1]?.date;
  const cutoff = newest ? new Date(Date.parse(`${newest}T00:00:00Z`) - (window.days - 1) * 86_400_000).toISOString().slice(0, 10) : '';
  // The window's days feed the feeds; a day older than the window whose page was never published
  // (a backfill, a late upload) is loaded for its page alone.
  const toLoad = options.allPages ? published : published.filter((p) => p.date >= cutoff || !(sitePaths.day(p.date) in manifest));
  const digests: Digest[] = await mapLimit(toLoad, 8, async (p) => loadDigest(data, p.version.resultKey));
  const files = buildSite({ baseUrl: options.baseUrl, digests, days: published.map((p) => ({ date: p.date, papers: p.version.papers })), window, publishedPaths: Object.keys(manifest), status, ...(options.hub ? { hub: options.hub } : {}) });
  files.push(...altchaAssets(options.altchaDir));
  if (options.search === false) return { files, newestDay: newest ?? null, searchShards: [] };

  // A shard's index is rebuilt when one of its day pages changed (the page shows everything the
  // index holds) or when it was never built; its other days are loaded for it.
  const byPath = new Map(files.map((f) => [f.path, f]));
  const changedDays = published.map((p) => p.date).filter((d) => {
    const page = byPath.get(sitePaths.day(d));
    return page !== undefined && manifest[page.path] !== hashOf(page.body);
  });
  const months = [...new Set(published.map((p) => searchShardOf(p.date)))];
  const shards = months
    .filter((m) => changedDays.some((d) => searchShardOf(d) === m) || !(`${sitePaths.searchShard(m)}pagefind-entry.json` in manifest))
    .sort()
    .reverse()
    .slice(0, options.maxSearchShards ?? 6);
  for (const m of mustRebuild) if (months.includes(m) && !shards.includes(m)) shards.push(m);
  shards.sort();
  const loaded = new Map(digests.map((d) => [d.date, d]));
  for (const shard of shards) {
    const missing = published.filter((p) => searchShardOf(p.date) === shard && !loaded.has(p.date));
    for (const d of await mapLimit(missing, 8, async (p) => loadDigest(data, p.version.resultKey))) loaded.set(d.date, d);
    files.push(...(await buildSearchShard(shard, [...loaded.values()].filter((d) => searchShardOf(d.date) === shard))));
  }
  return { files, newestDay: newest ?? null, searchShards: shards };
}

/** Files the manifest lists under a rebuilt shard that the rebuild no longer has. */
function staleShardFiles(manifest: Manifest, files: readonly SiteFile[], shards: readonly string[]): string[] {
  if (!shards.length) return [];
  const current = new Set(files.map((f) => f.path));
  const prefixes = shards.map((s) => sitePaths.searchShard(s));
  return Object.keys(manifest).filter((path) => prefixes.some((p) => path.startsWith(p)) && !current.has(path)).sort();
}


function nextManifest(previous: Manifest, files: readonly SiteFile[], removed: readonly string[] = []): Manifest {
  const next: Manifest = { ...previous };
  for (const path of removed) delete next[path];
  for (const file of files) next[file.path] = hashOf(file.body);
  return next;
}

/** Uploads the files whose content differs from the manifest, and every path in `rewrite` whatever the manifest says. */
export async function uploadChanged(site: BlobStore, files: readonly SiteFile[], manifest: Manifest, rewrite: ReadonlySet<string> = new Set()): Promise<string[]> {
  const uploaded: string[] = [];
  await mapLimit(files, 8, async (file) => {
    if (manifest[file.path] === hashOf(file.body) && !rewrite.has(file.path)) return;
    await site.put(file.path, file.body, { contentType: file.contentType, ...(file.cacheControl ? { cacheControl: file.cacheControl } : {}) });
    uploaded.push(file.path);
  });
  return uploaded.sort();
}
