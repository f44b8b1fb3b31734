import type { FeedEntry } from '../../functions/domain/feeds/feed-window.ts';
import { feedTitle } from '../../functions/domain/feeds/render-feeds.ts';
import { html, safeUrl } from '../../functions/domain/html.ts';
import { bilingualHtml, categoryLabelHtml, LANG_TAG, type Lang } from '../../functions/domain/language.ts';
import type { Category } from '../../functions/domain/model.ts';
import { FEED_FORMATS, sitePaths, type FeedFormat, type FeedVariant } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';

const FORMAT_LABEL: Record<FeedFormat, string> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed' };
const FEED_MIME: Record<FeedFormat, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };
/** Items a preview lists: the newest, enough to judge a feed by; the feed itself holds the window. */
export const PREVIEW_ITEMS = 100;

export interface FeedPreview {
  readonly category: Pick<Category, 'slug' | 'nameEn' | 'nameZh'>;
  readonly lang: Lang;
  readonly variant: FeedVariant;
  /** The feed's entries, newest first. */
  readonly entries: readonly FeedEntry[];
  /** The site's address: the feed URLs a reader copies are absolute. */
  readonly baseUrl: string;
}

/**
 * What a browser shows for a feed: the feed's title, its addresses to copy into a reader, and its
 * newest items, each date apart from its title. A plain page built at publish (no XSLT, which
 * browsers are removing); the feeds stay pure XML for readers and name this page as their
 * `alternate` link.
 */
export function renderFeedPreview(p: FeedPreview): string {
  const path = sitePaths.feedPreview(p.category.slug, p.lang, p.variant);
  const up = '../'.repeat(path.split('/').length - 1);
  const feedUrl = (f: FeedFormat) => `${p.baseUrl.replace(/\/+$/, '')}/${sitePaths.feed(p.category.slug, p.lang, f, p.variant)}`;
  const title = feedTitle(p);
  const doc = LANG_TAG[p.lang];
  const shown = p.entries.slice(0, PREVIEW_ITEMS);
  const head = html`${FEED_FORMATS.map((f) => html`<link rel="alternate" type="${FEED_MIME[f]}" title="${title} (${FORMAT_LABEL[f]})" href="${feedUrl(f)}">`)}<style>.items{list-style:none;padding:0}.items li{margin:0 0 .9rem}.items time{display:block;font-size:.85rem}.copy{overflow-wrap:anywhere}</style>`;
  const body = html`<nav class="days" aria-label="Site"><a href="${up}index.html">Paperboy</a> <a href="${up}${sitePaths.search}"><span lang="en">Search</span> <span lang="zh-CN">搜索</span></a></nav>
<h1>${bilingualHtml(title)}</h1>
<p>${bilingualHtml('This is a feed: copy one of its addresses into your feed reader (Feedly, NetNewsWire, Thunderbird, newsboat…). · 这是一个订阅源：将下方任一地址复制到您的 RSS 阅读器中。')}</p>
<ul>${FEED_FORMATS.map((f) => html`<li><span lang="en">${FORMAT_LABEL[f]}</span>: <a class="copy" href="${feedUrl(f)}">${feedUrl(f)}</a></li>`)}</ul>
<h2>${bilingualHtml(`Newest ${shown.length} of ${p.entries.length} · 最新 ${shown.length} 篇（共 ${p.entries.length} 篇）`)}</h2>
${p.entries.length === 0 ? html`<p>${bilingualHtml('Nothing in this feed yet. · 此订阅源暂无内容。')}</p>` : ''}
<ol class="items">${shown.map((e) => {
    const zhTitle = p.lang === 'zh' && e.paper.titleZh;
    return html`<li><time datetime="${e.date}">${e.date}</time><a href="${safeUrl(e.paper.absUrl.replace(/^http:\/\//, 'https://'))}"${zhTitle ? html` lang="zh-CN"` : doc === 'en' ? '' : html` lang="en"`}>${zhTitle ? e.paper.titleZh : e.paper.titleEn}</a>${p.lang === 'bi' && e.paper.titleZh ? html`<br><span lang="zh-CN">${e.paper.titleZh}</span>` : ''} <span class="muted">· ${categoryLabelHtml(e.category, p.lang)}</span></li>`;
  })}</ol>`;
  return page({ title: `${title} · Paperboy`, lang: doc, head, body });
}
