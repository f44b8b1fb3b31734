import type { Lang } from '../language.ts';

/**
 * The public URL scheme (documented in the README, "URL scheme"). Paths are relative to the site
 * root: the CloudFront distribution in AWS, the local static server in `npm start`.
 */
export type FeedFormat = 'rss' | 'atom' | 'json';
/** `code`: only the papers that link their code, for readers who want to run what they read. */
export type FeedVariant = 'all' | 'code';
export const FEED_VARIANTS: readonly FeedVariant[] = ['all', 'code'];
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

const EXTENSION: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

export const sitePaths = {
  index: 'index.html',
  day: (date: string) => `days/${date}.html`,
  /** The day's papers as BibTeX, beside its page. */
  dayBib: (date: string) => `days/${date}.bib`,
  /** The search page; its index, one Pagefind bundle per half-month, under search/{YYYY-MM-1|2}/. */
  search: 'search.html',
  /** Whether today's digest is in, late, or there was no announcement; and what the archive last took in. */
  status: 'status.html',
  statusJson: 'status.json',
  /** The page a missing path answers with (status 404). */
  notFound: '404.html',
  searchShard: (month: string) => `search/${month}/`,
  /**
   * Bilingual feeds sit directly under feeds/, language variants under feeds/en/ and feeds/zh/;
   * the with-code feeds in a code/ folder under each.
   */
  feed: (slug: string, lang: Lang, format: FeedFormat, variant: FeedVariant = 'all') =>
    `feeds/${lang === 'bi' ? '' : `${lang}/`}${variant === 'code' ? 'code/' : ''}${slug}.${EXTENSION[format]}`,
  opml: 'feeds.opml',
  /** One language's feeds (both variants), for a reader who reads in that language only. */
  opmlFor: (lang: Lang) => `feeds.${lang}.opml`,
  /** A feed's page for browsers (its addresses and newest items): the feed's `alternate` link. */
  feedPreview: (slug: string, lang: Lang, variant: FeedVariant = 'all') => `feeds/${lang === 'bi' ? '' : `${lang}/`}${variant === 'code' ? 'code/' : ''}${slug}.html`,
  /** The feeds' <image>, <logo> and <icon>; 144 pixels, the widest RSS allows. */
  feedIcon: 'icon.png',
  favicon: 'favicon.ico',
  manifest: '.paperboy/manifest.json',
  /** The ALTCHA widget of the subscribe form (its script, styles and worker). */
  altcha: 'assets/altcha/',
  /** The subscription API's form, served under the same host (CloudFront /api/* in AWS). */
  subscribe: 'api/subscribe',
} as const;

/** A feed path's parts (the inverse of `sitePaths.feed`), or null for a path that is no feed. */
export function feedPathParts(path: string): { readonly slug: string; readonly lang: Lang; readonly format: FeedFormat; readonly variant: FeedVariant } | null {
  const m = /^feeds\/(?:(en|zh)\/)?(code\/)?([a-z0-9-]+)\.(rss\.xml|atom\.xml|feed\.json)$/.exec(path);
  if (!m) return null;
  const format = (Object.entries(EXTENSION) as [FeedFormat, string][]).find(([, ext]) => ext === m[4])![0];
  return { slug: m[3]!, lang: (m[1] ?? 'bi') as Lang, format, variant: m[2] ? 'code' : 'all' };
}

/** Whether a site path is one of the RSS, Atom or JSON feeds (what a WebSub hub is told about). */
export function isFeedPath(path: string): boolean {
  return path.startsWith('feeds/') && /\.(rss\.xml|atom\.xml|feed\.json)$/.test(path);
}

export const CONTENT_TYPE: Record<FeedFormat | 'html' | 'opml' | 'xsl' | 'json' | 'png' | 'ico' | 'bib' | 'data', string> = {
  bib: 'application/x-bibtex; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  /** Plain JSON data (status.json), not a feed. */
  data: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  xsl: 'text/xsl; charset=utf-8',
  png: 'image/png',
  ico: 'image/x-icon',
};

/**
 * Feeds change once a day (and at most every three hours while a late day is caught up): an hour's
 * max-age spares the origin the polls of impatient readers, and ETag/Last-Modified make the polls
 * after it cheap. Pages link the newest day, so they stay fresher.
 */
export const CACHE_CONTROL = {
  feed: 'public, max-age=3600',
  page: 'public, max-age=300',
  asset: 'public, max-age=86400',
} as const;

export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}
