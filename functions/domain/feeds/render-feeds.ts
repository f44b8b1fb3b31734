import { Feed, type Item } from 'feed';
import { generateJsonFeed } from 'feedsmith';
import { escapeHtml, safeUrl, xmlSafeText } from '../html.ts';
import { categoryLabel, LANG_TAG, paperTitle, type Lang } from '../language.ts';
import type { Category } from '../model.ts';
import { absoluteUrl, sitePaths, type FeedFormat } from '../site/paths.ts';
import { authorLine, entryContentHtml, entrySummary } from './entry-html.ts';
import type { FeedEntry } from './feed-window.ts';

export interface FeedSpec {
  readonly baseUrl: string;
  /** `null` for the feed of every category. */
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

/**
 * Plain text for a CDATA section written by `feed` (through xml-js), which splits only the first
 * `]]>`; splitting the later ones here leaves that first one for xml-js, so every one ends up split.
 */
function cdataText(text: string): string {
  const clean = xmlSafeText(text);
  const first = clean.indexOf(']]>');
  if (first < 0) return clean;
  const head = clean.slice(0, first + 3);
  return head + clean.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}

/** Category labels go into XML attributes that `feed` only half escapes; keep them to safe characters. */
function attributeSafe(text: string): string {
  return text.replace(/[<>&"]/g, ' ');
}

function buildFeed(spec: FeedSpec, format: 'rss' | 'atom'): Feed {
  const home = absoluteUrl(spec.baseUrl, sitePaths.index);
  const feed = new Feed({
    id: url(spec, 'atom'),
    title: feedTitle(spec),
    description: feedDescription(spec),
    link: home,
    language: LANG_TAG[spec.lang],
    updated: new Date(`${spec.updated}T00:00:00Z`),
    generator: GENERATOR,
    ttl: 60,
    stylesheet: absoluteUrl(spec.baseUrl, sitePaths.feedStylesheet),
    feedLinks: { rss: url(spec, 'rss'), atom: url(spec, 'atom'), json: url(spec, 'json') },
    author: { name: 'Paperboy', link: home },
    copyright: 'Paper metadata from arXiv; translations from the daily digest.',
  });
  for (const entry of spec.entries) {
    const p = entry.paper;
    const item: Item = {
      // Atom titles are type="html" (escape them); RSS titles are plain text in CDATA.
      title: format === 'atom' ? escapeHtml(paperTitle(p, spec.lang)) : cdataText(paperTitle(p, spec.lang)),
      id: entryId(spec, entry),
      link: safeUrl(p.absUrl),
      date: new Date(`${entry.date}T00:00:00Z`),
      published: new Date(`${entry.firstSeen}T00:00:00Z`),
      description: escapeHtml(entrySummary(entry, spec.lang)),
      content: entryContentHtml(entry, spec.lang).value,
      category: [{ name: attributeSafe(categoryLabel(entry.category, spec.lang)), term: entry.category.slug }],
    };
    if (format === 'atom') item.author = p.authors.map((name) => ({ name: attributeSafe(name) }));
    // RSS <author> must be an e-mail address; Dublin Core's creator is the field readers show for names.
    else item.extensions = [{ name: 'dc:creator', objects: { _text: authorLine(p.authors, p.authorsTruncated) } }];
    feed.addItem(item);
  }
  return feed;
}

export function renderRss(spec: FeedSpec): string {
  return buildFeed(spec, 'rss').rss2();
}

export function renderAtom(spec: FeedSpec): string {
  return buildFeed(spec, 'atom').atom1();
}

/** JSON Feed 1.1 through feedsmith: `feed` v6 only emits version 1 (single `author`, no `language`). */
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
      return {
        id: entryId(spec, entry),
        url: safeUrl(p.absUrl),
        ...(p.codeUrl ? { external_url: safeUrl(p.codeUrl) } : {}),
        title: paperTitle(p, spec.lang),
        content_html: entryContentHtml(entry, spec.lang).value,
        summary: entrySummary(entry, spec.lang),
        date_published: new Date(`${entry.firstSeen}T00:00:00Z`),
        date_modified: new Date(`${entry.date}T00:00:00Z`),
        authors: p.authors.map((name) => ({ name })),
        tags: [categoryLabel(entry.category, spec.lang)],
        attachments: [{ url: safeUrl(p.pdfUrl), mime_type: 'application/pdf', title: 'PDF' }],
      };
    }),
  });
  return `${JSON.stringify(doc, null, 2)}\n`;
}
