import { Feed, type FeedOptions, type Item } from 'feed';
import { generateJsonFeed } from 'feedsmith';
import { safeUrl } from '../html.ts';
import { categoryLabel, paperTitle, type Lang } from '../language.ts';
import { versionedId, type Category } from '../model.ts';
import { absoluteUrl, sitePaths, type FeedFormat, type FeedVariant } from '../site/paths.ts';
import { authorLine, entryContentHtml, entrySummary, type EntryDetail } from './entry-html.ts';
import { forCdata, forXmlText, plainForHtmlCdata } from './feed-input-guard.ts';
import type { FeedEntry } from './feed-window.ts';

/**
 * RSS 2.0 and Atom 1.0 come from `feed`, every value through the input guard (feed-input-guard.ts);
 * JSON Feed 1.1 from feedsmith (feed writes JSON Feed 1.0 only).
 *
 * What `feed` cannot express is left out rather than patched into its output: the Atom feed's
 * `xml:lang` (each item's HTML says its language instead), the Atom "related" PDF link (its
 * enclosures force an `image/*` type; the PDF link is in the item body), and category labels in
 * Atom (labels are attributes, where `feed` does not escape `<` or `&`; the term is the slug).
 */

export interface FeedSpec {
  readonly baseUrl: string;
  readonly category: Pick<Category, 'slug' | 'nameEn' | 'nameZh'>;
  readonly lang: Lang;
  /** Newest first. */
  readonly entries: readonly FeedEntry[];
  /** Newest digest date: the feed's `updated`, so the same digests give the same bytes. */
  readonly updated: string;
  /** The newest this many entries carry whole abstracts, the rest only a summary (all when absent). */
  readonly fullEntries?: number;
  /** A WebSub hub announced in every feed, when the operator runs one. */
  readonly hub?: string;
  /** `code`: the feed holds only papers with a code link (the caller filters), and says so. */
  readonly variant?: FeedVariant;
  /** A reader's private feed: its own title and addresses instead of a category's. */
  readonly personal?: PersonalFeedHead;
}

export interface PersonalFeedHead {
  readonly title: string;
  readonly description: string;
  readonly urls: Readonly<Record<'rss' | 'atom', string>>;
}

const GENERATOR = 'Paperboy';

/** The feed's language: a bilingual feed holds two, which BCP 47 spells `mul`. */
export const FEED_LANGUAGE: Record<Lang, string> = { bi: 'mul', en: 'en', zh: 'zh-CN' };

/**
 * Minutes a reader may keep a copy: feeds change once a day, and at most every three hours when the
 * catch-up ingest completes a late day, so polling more often than that only costs bandwidth.
 */
export const FEED_TTL_MINUTES = 180;

/**
 * Stable across versions, so a revision updates the item instead of adding one. It names the feed
 * too: newsboat (and other readers with one global item table) keeps a GUID in a single feed only,
 * so a paper in both "all" and its category feed needs two ids to show in both.
 */
export function entryId(spec: Pick<FeedSpec, 'category' | 'lang' | 'variant' | 'personal'>, entry: FeedEntry): string {
  if (spec.personal) return `tag:paperboy,2024:mine/${spec.lang}/${entry.paper.arxivId}`;
  return `tag:paperboy,2024:${spec.variant === 'code' ? 'code/' : ''}${spec.category.slug}/${spec.lang}/${entry.paper.arxivId}`;
}

const WITH_CODE = { en: 'with code', zh: '有代码' } as const;

/** What marks a with-code feed, in the feed's language: "with code", "有代码", "with code · 有代码". */
export function withCodeLabel(lang: Lang): string {
  return lang === 'bi' ? `${WITH_CODE.en} · ${WITH_CODE.zh}` : WITH_CODE[lang];
}

/** "Paperboy · 生成模型 / Generative", and for a with-code feed "… · with code · 有代码". */
export function feedTitle(spec: Pick<FeedSpec, 'category' | 'lang' | 'variant'>): string {
  const base = `Paperboy · ${categoryLabel(spec.category, spec.lang)}`;
  return spec.variant === 'code' ? `${base} · ${withCodeLabel(spec.lang)}` : base;
}

function feedDescription(spec: FeedSpec): string {
  const name = categoryLabel(spec.category, spec.lang);
  const code = spec.variant === 'code';
  if (spec.lang === 'zh') return `每日 arXiv cs.CV ${code ? '有代码的' : ''}论文：${name}`;
  if (spec.lang === 'en') return `Daily arXiv cs.CV papers${code ? ' with code' : ''}: ${name}`;
  // Two halves around " · ", each in one language, so the feed's page can tag them.
  return `Daily arXiv cs.CV papers${code ? ' with code' : ''}: ${spec.category.nameEn} · 每日 arXiv cs.CV ${code ? '有代码的' : ''}论文：${spec.category.nameZh}`;
}

function url(spec: Pick<FeedSpec, 'baseUrl' | 'category' | 'lang' | 'variant'>, format: FeedFormat): string {
  return absoluteUrl(spec.baseUrl, sitePaths.feed(spec.category.slug, spec.lang, format, spec.variant));
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** Everything about one entry in one language that does not depend on the feed it is in. */
export interface PreparedEntry {
  readonly title: string;
  readonly contentHtml: string;
  readonly summary: string;
  /** The shorter summary a lean item carries. */
  readonly leanSummary: string;
  readonly label: string;
  readonly authors: string;
  readonly absUrl: string;
  readonly pdfUrl: string;
}

const LEAN_SUMMARY_CHARS = 200;

// One entry appears in "all" and in its category feed, in three formats: prepare it once per language.
const prepared = new WeakMap<FeedEntry, Map<Lang, PreparedEntry>>();
export function prepareEntry(entry: FeedEntry, lang: Lang): PreparedEntry {
  let cache = prepared.get(entry);
  if (!cache) prepared.set(entry, (cache = new Map()));
  const hit = cache.get(lang);
  if (hit) return hit;
  const p = entry.paper;
  const absUrl = safeUrl(p.absUrl);
  const result: PreparedEntry = {
    title: paperTitle(p, lang),
    contentHtml: entryContentHtml(entry, lang).value,
    summary: entrySummary(entry, lang),
    leanSummary: entrySummary(entry, lang, LEAN_SUMMARY_CHARS),
    label: categoryLabel(entry.category, lang),
    authors: authorLine(p.authors, p.authorsTruncated),
    // `feed` parses every link with `new URL`; a link that is not http(s) falls back to arXiv's own page.
    absUrl: absUrl === '#' ? `https://arxiv.org/abs/${versionedId(p)}` : absUrl,
    pdfUrl: safeUrl(p.pdfUrl),
  };
  cache.set(lang, result);
  return result;
}

function detailOf(spec: FeedSpec, index: number): EntryDetail {
  return spec.fullEntries === undefined || index < spec.fullEntries ? 'full' : 'lean';
}

function iconUrls(spec: FeedSpec): Pick<FeedOptions, 'image' | 'favicon'> {
  return { image: absoluteUrl(spec.baseUrl, sitePaths.feedIcon), favicon: absoluteUrl(spec.baseUrl, sitePaths.favicon) };
}

function newFeed(spec: FeedSpec, format: 'rss' | 'atom'): Feed {
  const home = absoluteUrl(spec.baseUrl, sitePaths.index);
  const self = spec.personal ? spec.personal.urls[format] : url(spec, format);
  // The feed's page for people: its preview (a private feed has none: the site's front page).
  const alternate = spec.personal ? home : absoluteUrl(spec.baseUrl, sitePaths.feedPreview(spec.category.slug, spec.lang, spec.variant ?? 'all'));
  return new Feed({
    id: self,
    title: forXmlText(spec.personal ? spec.personal.title : feedTitle(spec)),
    description: forXmlText(spec.personal ? spec.personal.description : feedDescription(spec)),
    link: alternate,
    updated: day(spec.updated),
    generator: GENERATOR,
    language: FEED_LANGUAGE[spec.lang],
    ttl: FEED_TTL_MINUTES,
    feedLinks: { [format]: self },
    author: { name: GENERATOR, link: home },
    ...iconUrls(spec),
    ...(spec.hub ? { hub: spec.hub } : {}),
  });
}

/** What an RSS item and an Atom entry share: ids, links, dates and the bodies, guarded for `feed`. */
function itemFields(spec: FeedSpec, entry: FeedEntry, i: number): { e: PreparedEntry; item: Omit<Item, 'title'> } {
  const e = prepareEntry(entry, spec.lang);
  const full = detailOf(spec, i) === 'full';
  return {
    e,
    item: {
      id: entryId(spec, entry),
      link: e.absUrl,
      date: day(entry.date),
      published: day(entry.firstSeen),
      description: plainForHtmlCdata(full ? e.summary : e.leanSummary),
      ...(full ? { content: forCdata(e.contentHtml) } : {}),
    },
  };
}

export function renderRss(spec: FeedSpec): string {
  const feed = newFeed(spec, 'rss');
  // RSS's syndication module says "once a day" in the words aggregators know; `feed` cannot declare
  // a namespace on the root, so each element declares its own (the same XML, namespace-wise).
  const sy = { 'xmlns:sy': 'http://purl.org/rss/1.0/modules/syndication/' };
  feed.addExtension({ name: 'sy:updatePeriod', objects: { _attributes: sy, _text: 'daily' } });
  feed.addExtension({ name: 'sy:updateFrequency', objects: { _attributes: sy, _text: '1' } });
  spec.entries.forEach((entry, i) => {
    const { e, item } = itemFields(spec, entry, i);
    feed.addItem({
      ...item,
      // RSS item titles are plain text to newsboat (feedparser sniffs them): not HTML-escaped.
      title: forCdata(e.title),
      category: [{ name: forXmlText(e.label) }],
      // RSS's <author> is an e-mail address; Dublin Core's creator takes names.
      extensions: [{ name: 'dc:creator', objects: { _text: forXmlText(e.authors) } }],
    });
  });
  return `${feed.rss2()}\n`;
}

export function renderAtom(spec: FeedSpec): string {
  const feed = newFeed(spec, 'atom');
  spec.entries.forEach((entry, i) => {
    const { e, item } = itemFields(spec, entry, i);
    feed.addItem({
      ...item,
      title: plainForHtmlCdata(e.title),
      author: entry.paper.authors.map((name) => ({ name: forXmlText(name) })),
      category: [{ term: entry.category.slug }],
    });
  });
  return `${feed.atom1()}\n`;
}

/** JSON Feed 1.1 through feedsmith. */
export function renderJsonFeed(spec: FeedSpec): string {
  const doc = generateJsonFeed({
    title: feedTitle(spec),
    home_page_url: absoluteUrl(spec.baseUrl, sitePaths.index),
    feed_url: url(spec, 'json'),
    description: feedDescription(spec),
    language: FEED_LANGUAGE[spec.lang],
    icon: absoluteUrl(spec.baseUrl, sitePaths.feedIcon),
    favicon: absoluteUrl(spec.baseUrl, sitePaths.favicon),
    authors: [{ name: GENERATOR }],
    ...(spec.hub ? { hubs: [{ type: 'WebSub', url: spec.hub }] } : {}),
    items: spec.entries.map((entry, i) => {
      const p = entry.paper;
      const ready = prepareEntry(entry, spec.lang);
      const full = detailOf(spec, i) === 'full';
      return {
        id: entryId(spec, entry),
        url: ready.absUrl,
        ...(p.codeUrl ? { external_url: safeUrl(p.codeUrl) } : {}),
        title: ready.title,
        ...(full ? { content_html: ready.contentHtml, summary: ready.summary } : { content_text: ready.leanSummary }),
        date_published: day(entry.firstSeen),
        date_modified: day(entry.date),
        authors: p.authors.map((name) => ({ name })),
        tags: [ready.label],
        attachments: [{ url: ready.pdfUrl, mime_type: 'application/pdf', title: 'PDF' }],
      };
    }),
  });
  // feedsmith leaves an empty `items` array out, but JSON Feed 1.1 requires it (an empty day's
  // category feed has none): put it back until feedsmith writes it.
  // Written without indentation: readers parse it either way, and a busy window is a third smaller.
  return `${JSON.stringify({ ...(doc as Record<string, unknown>), items: (doc as { items?: unknown[] }).items ?? [] })}\n`;
}
