import type { StatusInput } from '../../domain/site/status.ts';
import { statusFiles } from './site-status.ts';
import { renderDayPage } from '../../../templates/site/day-page.ts';
import { renderFeedPreview } from '../../../templates/site/feed-preview-page.ts';
import { faviconIco, iconPng } from '../../../templates/site/icons.ts';
import { renderIndexPage } from '../../../templates/site/index-page.ts';
import { renderNotFoundPage } from '../../../templates/site/not-found-page.ts';
import { renderSearchPage } from '../../../templates/site/search-page.ts';
import { searchShardOf } from '../../domain/search/search-records.ts';
import { ALL_SLUG, categoryOfSlug, inTaxonomy, knownCategories } from '../../domain/categories.ts';
import { currentSlug } from '../../domain/legacy-slugs.ts';
import { OTHER_SLUG, taxonomyCategory } from '../../domain/taxonomy.ts';
import { dayBibtex } from '../../domain/citations/bibtex.ts';
import { collectEntries, DEFAULT_WINDOW, digestsInWindow, type WindowOptions } from '../../domain/feeds/feed-window.ts';
import { fitFeed } from '../../domain/feeds/fit-feed.ts';
import { renderOpml } from '../../domain/feeds/opml.ts';
import { renderAtom, renderJsonFeed, renderRss, type FeedSpec } from '../../domain/feeds/render-feeds.ts';
import { LANGS } from '../../domain/language.ts';
import { readableDigest } from '../../domain/latex-text.ts';
import type { Category, Digest } from '../../domain/model.ts';
import { CACHE_CONTROL, CONTENT_TYPE, FEED_VARIANTS, feedPathParts, sitePaths, type FeedFormat } from '../../domain/site/paths.ts';

export interface SiteFile {
  readonly path: string;
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface SiteInput {
  readonly baseUrl: string;
  /** Every digest the feeds may draw on; only the window is used for feeds. */
  readonly digests: readonly Digest[];
  /** Every ingested day with its paper count, for the archive list (may reach past `digests`). */
  readonly days: readonly { date: string; papers: number }[];
  /** Days whose archive page to (re)build; defaults to every digest given. */
  readonly pageDays?: readonly string[];
  readonly window?: WindowOptions;
  /** A WebSub hub the feeds announce (`paperboy:websubHub`). */
  readonly hub?: string;
  /** Every path the site ever published (its manifest): a feed among them keeps answering. */
  readonly publishedPaths?: readonly string[];
  /** The last days' ingest records and the runs' state: the status page (absent: no status page). */
  readonly status?: StatusInput;
}

type FeedCategory = Pick<Category, 'slug' | 'nameEn' | 'nameZh'>;
const ALL: FeedCategory = { slug: ALL_SLUG, nameEn: 'All categories', nameZh: '全部类别' };

/** The taxonomy's categories in its one order (a digest read in the taxonomy has no others). */
function feedCategories(window: readonly Digest[]): Category[] {
  const bySlug = new Map<string, Category>(knownCategories().map((c) => [c.slug, c]));
  for (const d of [...window].reverse()) for (const s of d.sections) if (!bySlug.has(s.category.slug)) bySlug.set(s.category.slug, s.category);
  return [...bySlug.values()];
}

/** Every public file, as bytes: the same digests and options always give the same files. */
export function buildSite(raw: SiteInput): SiteFile[] {
  // Readers see simple LaTeX as Unicode in every feed and page; the stored digests stay as published.
  // …and in the taxonomy's names and order, however the digests were read.
  const input = { ...raw, digests: raw.digests.map((d) => readableDigest(inTaxonomy(d))) };
  const options = input.window ?? DEFAULT_WINDOW;
  const window = digestsInWindow(input.digests, options.days);
  const newest = window[window.length - 1];
  const updated = newest?.date ?? '1970-01-01';
  const entries = collectEntries(window);
  const categories = feedCategories(window);
  const files: SiteFile[] = [];

  const withCode = entries.filter((e) => e.paper.codeUrl !== null);
  for (const variant of FEED_VARIANTS) {
    const pool = variant === 'code' ? withCode : entries;
    for (const category of [ALL, ...categories]) {
      const mine = category.slug === ALL_SLUG ? pool : pool.filter((e) => e.category.slug === category.slug);
      for (const lang of LANGS) {
        const spec: FeedSpec = { baseUrl: input.baseUrl, category, lang, entries: mine, updated, variant, ...(input.hub ? { hub: input.hub } : {}) };
        const feed = (format: FeedFormat, render: (spec: FeedSpec) => string): SiteFile => ({
          path: sitePaths.feed(category.slug, lang, format, variant),
          body: fitFeed(spec, render, options.maxFeedBytes).body,
          contentType: CONTENT_TYPE[format],
          cacheControl: CACHE_CONTROL.feed,
        });
        files.push(feed('rss', renderRss), feed('atom', renderAtom), feed('json', renderJsonFeed));
        files.push({ path: sitePaths.feedPreview(category.slug, lang, variant), body: renderFeedPreview({ category, lang, variant, entries: mine, baseUrl: input.baseUrl }), contentType: CONTENT_TYPE.html, cacheControl: CACHE_CONTROL.feed });
      }
    }
  }

  // Feeds Paperboy published before its taxonomy (a name it did not know had a slug of its own) keep
  // answering, with the feed of the category the name is filed under now (a slug whose name the
  // table does not hold, with "other"'s): the same bytes, so the feed's own link and
  // id (and every item's) are the category's, and a reader holding both sees no duplicates. Object
  // storage serves no redirect for a file, so the answer is a copy.
  const current = new Map(files.map((f) => [f.path, f]));
  for (const path of input.publishedPaths ?? []) {
    const parts = feedPathParts(path);
    if (!parts || current.has(path)) continue;
    const now = current.get(sitePaths.feed(categoryOfSlug(currentSlug(parts.slug))?.slug ?? OTHER_SLUG, parts.lang, parts.format, parts.variant));
    if (now) files.push({ ...now, path });
  }

  files.push({ path: sitePaths.opml, body: renderOpml(input.baseUrl, [ALL, ...categories], updated), contentType: CONTENT_TYPE.opml, cacheControl: CACHE_CONTROL.feed });
  for (const lang of LANGS) files.push({ path: sitePaths.opmlFor(lang), body: renderOpml(input.baseUrl, [ALL, ...categories], updated, [lang]), contentType: CONTENT_TYPE.opml, cacheControl: CACHE_CONTROL.feed });
  files.push({ path: sitePaths.feedIcon, body: iconPng(144), contentType: CONTENT_TYPE.png, cacheControl: CACHE_CONTROL.asset });
  files.push({ path: sitePaths.favicon, body: faviconIco(), contentType: CONTENT_TYPE.ico, cacheControl: CACHE_CONTROL.asset });

  const todayCounts = new Map(newest?.sections.map((s) => [s.category.slug, s.papers.length]) ?? []);
  const recentCounts = new Map<string, number>();
  for (const e of entries) recentCounts.set(e.category.slug, (recentCounts.get(e.category.slug) ?? 0) + 1);
  files.push({
    path: sitePaths.index,
    body: renderIndexPage({
      latestDate: newest?.date ?? null,
      totalToday: [...todayCounts.values()].reduce((a, b) => a + b, 0),
      categories: categories.map((c) => ({ slug: c.slug, nameEn: c.nameEn, nameZh: c.nameZh, about: taxonomyCategory(c.slug)?.about ?? '', today: todayCounts.get(c.slug) ?? 0, recent: recentCounts.get(c.slug) ?? 0 })),
      days: [...input.days].sort((a, b) => b.date.localeCompare(a.date)),
    }),
    contentType: CONTENT_TYPE.html,
    cacheControl: CACHE_CONTROL.page,
  });

  // Every month that has a published day has a search shard (the publisher builds it beside the pages).
  files.push({ path: sitePaths.notFound, body: renderNotFoundPage(), contentType: CONTENT_TYPE.html, cacheControl: CACHE_CONTROL.page });
  if (input.status) files.push(...statusFiles(input.status));
  files.push({ path: sitePaths.search, body: renderSearchPage([...new Set(input.days.map((d) => searchShardOf(d.date)))], [...input.days].sort((a, b) => b.date.localeCompare(a.date)).slice(0, 7)), contentType: CONTENT_TYPE.html, cacheControl: CACHE_CONTROL.page });

  const pageDays = new Set(input.pageDays ?? input.digests.map((d) => d.date));
  // Every day of the archive, for each page's previous and next (the window's pages are rebuilt on each publish, so a new day links back at once).
  const archive = [...new Set([...input.days.map((d) => d.date), ...input.digests.map((d) => d.date)])].sort();
  for (const digest of input.digests) {
    if (!pageDays.has(digest.date)) continue;
    const at = archive.indexOf(digest.date);
    const neighbours = { previous: archive[at - 1] ?? null, next: archive[at + 1] ?? null };
    files.push({ path: sitePaths.day(digest.date), body: renderDayPage(digest, neighbours), contentType: CONTENT_TYPE.html, cacheControl: CACHE_CONTROL.page });
    files.push({ path: sitePaths.dayBib(digest.date), body: dayBibtex(digest), contentType: CONTENT_TYPE.bib, cacheControl: CACHE_CONTROL.page });
  }
  return files;
}
