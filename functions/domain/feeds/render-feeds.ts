import { generateJsonFeed } from 'feedsmith';
import { escapeHtml as esc, safeUrl } from '../html.ts';
import { categoryLabel, LANG_TAG, paperTitle, type Lang } from '../language.ts';
import type { Category } from '../model.ts';
import { absoluteUrl, sitePaths, type FeedFormat } from '../site/paths.ts';
import { authorLine, entryContentHtml, entrySummary } from './entry-html.ts';
import type { FeedEntry } from './feed-window.ts';

/**
 * RSS 2.0 and Atom 1.0 are written here as escaped text rather than through `feed`: measured on a
 * 30-day window (~3,000 papers, 162 feeds), feed's xml-js backend took ~690 ms against a 200 ms goal,
 * split only the first `]]>` of a CDATA section and left `<` and `&` unescaped in attributes. Every
 * value below goes through `esc`, so no text can end an element or a CDATA section early.
 */

export interface FeedSpec {
  readonly baseUrl: string;
  readonly category: Pick<Category, 'slug' | 'nameEn' | 'nameZh'>;
  readonly lang: Lang;
  readonly entries: readonly FeedEntry[];
  /** Newest digest date: the feed's `updated`, so the same digests give the same bytes. */
  readonly updated: string;
}

const GENERATOR = 'Paperboy';

/**
 * Stable across versions, so a revision updates the item instead of adding one. It names the feed
 * too: newsboat (and other readers with one global item table) keeps a GUID in a single feed only,
 * so a paper in both "all" and its category feed needs two ids to show in both.
 */
export function entryId(spec: Pick<FeedSpec, 'category' | 'lang'>, entry: FeedEntry): string {
  return `tag:paperboy,2024:${spec.category.slug}/${spec.lang}/${entry.paper.arxivId}`;
}

function feedTitle(spec: FeedSpec): string {
  return `Paperboy · ${categoryLabel(spec.category, spec.lang)}`;
}

function feedDescription(spec: FeedSpec): string {
  const name = categoryLabel(spec.category, spec.lang);
  return spec.lang === 'zh' ? `每日 arXiv cs.CV 论文：${name}` : `Daily arXiv cs.CV papers: ${name}`;
}

function url(spec: FeedSpec, format: FeedFormat): string {
  return absoluteUrl(spec.baseUrl, sitePaths.feed(spec.category.slug, spec.lang, format));
}

const iso = (date: string) => `${date}T00:00:00Z`;
const rfc822 = (date: string) => new Date(iso(date)).toUTCString();

/** Everything about one entry in one language that does not depend on the feed it is in, escaped once. */
interface PreparedEntry {
  readonly title: string;
  readonly contentHtml: string;
  readonly summary: string;
  readonly label: string;
  readonly absUrl: string;
  readonly pdfUrl: string;
  readonly rss: string;
  readonly atom: string;
}

// One entry appears in "all" and in its category feed, in three formats: prepare it once per language.
const prepared = new WeakMap<FeedEntry, Map<Lang, PreparedEntry>>();
function prepare(entry: FeedEntry, lang: Lang): PreparedEntry {
  let byLang = prepared.get(entry);
  if (!byLang) prepared.set(entry, (byLang = new Map()));
  const hit = byLang.get(lang);
  if (hit) return hit;
  const p = entry.paper;
  const title = paperTitle(p, lang);
  const contentHtml = entryContentHtml(entry, lang).value;
  const summary = entrySummary(entry, lang);
  const label = categoryLabel(entry.category, lang);
  const absUrl = safeUrl(p.absUrl);
  const pdfUrl = safeUrl(p.pdfUrl);
  const escTitle = esc(title);
  const escSummary = esc(summary);
  const escContent = esc(contentHtml);
  const rss =
    `<title>${escTitle}</title><link>${esc(absUrl)}</link><pubDate>${rfc822(entry.firstSeen)}</pubDate><description>${escSummary}</description>` +
    `<content:encoded>${escContent}</content:encoded><category>${esc(label)}</category><dc:creator>${esc(authorLine(p.authors, p.authorsTruncated))}</dc:creator><dc:date>${iso(entry.date)}</dc:date>`;
  const atom =
    `<title type="text">${escTitle}</title><link rel="alternate" type="text/html" href="${esc(absUrl)}"/><link rel="related" type="application/pdf" title="PDF" href="${esc(pdfUrl)}"/>` +
    `<published>${iso(entry.firstSeen)}</published><updated>${iso(entry.date)}</updated>${p.authors.map((a) => `<author><name>${esc(a)}</name></author>`).join('')}` +
    `<category term="${esc(entry.category.slug)}" label="${esc(label)}"/><summary type="text">${escSummary}</summary><content type="html">${escContent}</content>`;
  const result: PreparedEntry = { title, contentHtml, summary, label, absUrl, pdfUrl, rss, atom };
  byLang.set(lang, result);
  return result;
}

function stylesheet(spec: FeedSpec): string {
  return `<?xml-stylesheet href="${esc(absoluteUrl(spec.baseUrl, sitePaths.feedStylesheet))}" type="text/xsl"?>`;
}

export function renderRss(spec: FeedSpec): string {
  const home = absoluteUrl(spec.baseUrl, sitePaths.index);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    stylesheet(spec),
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${esc(feedTitle(spec))}</title>`,
    `<link>${esc(home)}</link>`,
    `<description>${esc(feedDescription(spec))}</description>`,
    `<language>${LANG_TAG[spec.lang]}</language>`,
    `<lastBuildDate>${rfc822(spec.updated)}</lastBuildDate>`,
    `<generator>${GENERATOR}</generator>`,
    '<ttl>60</ttl>',
    `<atom:link href="${esc(url(spec, 'rss'))}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const entry of spec.entries) {
    out.push(`<item><guid isPermaLink="false">${esc(entryId(spec, entry))}</guid>${prepare(entry, spec.lang).rss}</item>`);
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

export function renderAtom(spec: FeedSpec): string {
  const home = absoluteUrl(spec.baseUrl, sitePaths.index);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    stylesheet(spec),
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${LANG_TAG[spec.lang]}">`,
    `<id>${esc(url(spec, 'atom'))}</id>`,
    `<title>${esc(feedTitle(spec))}</title>`,
    `<subtitle>${esc(feedDescription(spec))}</subtitle>`,
    `<updated>${iso(spec.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${esc(url(spec, 'atom'))}"/>`,
    `<link rel="alternate" type="text/html" href="${esc(home)}"/>`,
    `<author><name>Paperboy</name><uri>${esc(home)}</uri></author>`,
    `<generator>${GENERATOR}</generator>`,
  ];
  for (const entry of spec.entries) {
    out.push(`<entry><id>${esc(entryId(spec, entry))}</id>${prepare(entry, spec.lang).atom}</entry>`);
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/** JSON Feed 1.1 through feedsmith. */
export function renderJsonFeed(spec: FeedSpec): string {
  const doc = generateJsonFeed({
    title: feedTitle(spec),
    home_page_url: absoluteUrl(spec.baseUrl, sitePaths.index),
    feed_url: url(spec, 'json'),
    description: feedDescription(spec),
    language: LANG_TAG[spec.lang],
    authors: [{ name: 'Paperboy' }],
    items: spec.entries.map((entry) => {
      const p = entry.paper;
      const ready = prepare(entry, spec.lang);
      return {
        id: entryId(spec, entry),
        url: ready.absUrl,
        ...(p.codeUrl ? { external_url: safeUrl(p.codeUrl) } : {}),
        title: ready.title,
        content_html: ready.contentHtml,
        summary: ready.summary,
        date_published: new Date(iso(entry.firstSeen)),
        date_modified: new Date(iso(entry.date)),
        authors: p.authors.map((name) => ({ name })),
        tags: [ready.label],
        attachments: [{ url: ready.pdfUrl, mime_type: 'application/pdf', title: 'PDF' }],
      };
    }),
  });
  // feedsmith leaves an empty `items` array out, but JSON Feed 1.1 requires it (an empty day's
  // category feed has none): put it back until feedsmith writes it.
  return `${JSON.stringify({ ...(doc as Record<string, unknown>), items: (doc as { items?: unknown[] }).items ?? [] }, null, 2)}\n`;
}
