import type { Lang } from '../language.ts';

/**
 * The public URL scheme (documented in the README, "URL scheme"). Paths are relative to the site
 * root: the CloudFront distribution in AWS, the local static server in `npm start`.
 */
export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

const EXTENSION: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

export const sitePaths = {
  index: 'index.html',
  day: (date: string) => `days/${date}.html`,
  /** Bilingual feeds sit directly under feeds/; language variants under feeds/en/ and feeds/zh/. */
  feed: (slug: string, lang: Lang, format: FeedFormat) => (lang === 'bi' ? `feeds/${slug}.${EXTENSION[format]}` : `feeds/${lang}/${slug}.${EXTENSION[format]}`),
  opml: 'feeds.opml',
  feedStylesheet: 'feeds/feed.xsl',
  manifest: '.paperboy/manifest.json',
  /** The subscription API's form, served under the same host (CloudFront /api/* in AWS). */
  subscribe: 'api/subscribe',
} as const;

export const CONTENT_TYPE: Record<FeedFormat | 'html' | 'opml' | 'xsl' | 'json', string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  xsl: 'text/xsl; charset=utf-8',
};

/** Feeds are polled; a short max-age keeps them fresh while conditional GETs make polls cheap. */
export const CACHE_CONTROL = {
  feed: 'public, max-age=900',
  page: 'public, max-age=300',
  asset: 'public, max-age=86400',
} as const;

export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}
