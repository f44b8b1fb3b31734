import * as pagefind from 'pagefind';
import type { Digest } from '../../domain/model.ts';
import { SEARCH_LANGUAGE, searchRecords, searchShardOf } from '../../domain/search/search-records.ts';
import type { SiteFile } from './build-site.ts';
import { CACHE_CONTROL, sitePaths } from '../../domain/site/paths.ts';

/**
 * Builds one shard's Pagefind index (npm `pagefind`, its Node API driving the extended binary,
 * which segments Chinese). In Lambda the binary for the function's architecture is bundled beside
 * the handler and named by PAGEFIND_EXTENDED_BINARY_PATH (infra/pagefind-binary.ts); locally the
 * package's own platform binary runs.
 *
 * Why shards: a full index of a year (26,700 papers with both abstracts) takes Pagefind 3 minutes
 * on this machine's cores, ~1 GB of memory per month of papers, and grows with the archive; half a
 * month takes ~6 s. The search page merges the shards in the browser (Pagefind's mergeIndex, which
 * reuses the first index's wasm).
 */

// The search page has its own bilingual UI on pagefind.js: Pagefind's UI bundles are not published.
const UNUSED = /^pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/;

function contentType(path: string): string {
  if (path.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (path.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}

/**
 * Files named by their content hash never change; the entry file (which names the current hashes)
 * and the unhashed scripts change with a rebuild or a Pagefind upgrade, so they stay fresh.
 */
function cacheControl(path: string): string {
  return path === 'pagefind-entry.json' || path.endsWith('.js') ? CACHE_CONTROL.page : CACHE_CONTROL.asset;
}

export class SearchIndexError extends Error {
  constructor(shard: string, errors: readonly string[]) {
    super(`search index for ${shard} failed: ${errors.join('; ')}`);
    this.name = 'SearchIndexError';
  }
}

// pagefind runs one binary per process, shared by every index, and each build ends by stopping it
// (below): builds in one process (overlapping publishes in a test or a script) take turns.
let turn: Promise<unknown> = Promise.resolve();

/** Every file of one shard's index, under search/{shard}/. The same digests always give the same bytes. */
export function buildSearchShard(shard: string, digests: readonly Digest[]): Promise<SiteFile[]> {
  const mine = turn.then(() => buildShardNow(shard, digests));
  turn = mine.catch(() => undefined);
  return mine;
}

async function buildShardNow(shard: string, digests: readonly Digest[]): Promise<SiteFile[]> {
  const days = digests.filter((d) => searchShardOf(d.date) === shard).sort((a, b) => a.date.localeCompare(b.date));
  const { index, errors } = await pagefind.createIndex({ forceLanguage: SEARCH_LANGUAGE });
  if (!index) throw new SearchIndexError(shard, errors);
  try {
    // The service answers in order; sending every record before awaiting saves a round trip each.
    const added = await Promise.all(days.flatMap(searchRecords).map((r) => index.addCustomRecord({ url: r.url, content: r.content, language: SEARCH_LANGUAGE, meta: { ...r.meta } })));
    const failed = added.flatMap((a) => a.errors);
    if (failed.length) throw new SearchIndexError(shard, failed);
    const { files, errors: fileErrors } = await index.getFiles();
    if (fileErrors.length) throw new SearchIndexError(shard, fileErrors);
    return files
      .filter((f) => !UNUSED.test(f.path))
      .map((f) => ({ path: `${sitePaths.searchShard(shard)}${f.path}`, body: f.content, contentType: contentType(f.path), cacheControl: cacheControl(f.path) }))
      .sort((a, b) => a.path.localeCompare(b.path));
  } finally {
    // The service keeps memory it has used (1 GB after a year of shards in one process, measured):
    // a fresh binary per shard keeps each build to one shard's worth.
    await index.deleteIndex();
    await pagefind.close();
  }
}

/** Stops the Pagefind binary, so a script or test can exit. */
export async function closeSearchIndexer(): Promise<void> {
  await pagefind.close();
}
