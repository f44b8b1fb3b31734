import { html, type SafeHtml } from '../../functions/domain/html.ts';
import { categoryLabelHtml, LANG_LABEL_HTML, LANGS } from '../../functions/domain/language.ts';
import { FEED_FORMATS, sitePaths, type FeedFormat, type FeedVariant } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';
import { searchBox } from './search-box.ts';

export interface IndexCategory {
  readonly slug: string;
  readonly nameEn: string;
  readonly nameZh: string;
  /** One line about it (the taxonomy's). */
  readonly about?: string;
  /** Papers in the newest digest. */
  readonly today: number;
  /** Papers in the feeds' window: a category without any is folded away as quiet. */
  readonly recent?: number;
}

export interface IndexPageModel {
  readonly latestDate: string | null;
  readonly totalToday: number;
  readonly categories: readonly IndexCategory[];
  readonly days: readonly { date: string; papers: number }[];
}

const FORMAT_LABEL: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON' };
const FEED_MIME: Record<FeedFormat, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };

const CODE_LABEL = html`<span lang="en">With code</span> <span lang="zh-CN">有代码</span>`;

/**
 * One way to subscribe to a category: a link per language to its feed's page, which offers the
 * three formats to copy, and the same for the papers with code (six links, not eighteen).
 */
function subscribeLinks(slug: string): SafeHtml {
  const row = (variant: FeedVariant) =>
    html`<div class="subs"><span>${variant === 'code' ? CODE_LABEL : FEED_LABEL}:</span>${LANGS.map((lang, i) => html`${i ? ' · ' : ''}<a href="${sitePaths.feedPreview(slug, lang, variant)}">${LANG_LABEL_HTML[lang]}</a>`)}</div>`;
  return html`${row('all')}${row('code')}`;
}

const FEED_LABEL = html`<span lang="en">Feed</span> <span lang="zh-CN">订阅源</span>`;

function categoryCard(c: IndexCategory): SafeHtml {
  return html`<li id="${c.slug}"><h3>${categoryLabelHtml(c, 'bi')} <span class="count" aria-label="${c.today} papers today">${c.today}</span></h3>${c.about ? html`<p class="about">${c.about}</p>` : ''}${subscribeLinks(c.slug)}</li>`;
}

/** "181 papers · 181 篇论文", each half in its language, the count marked for the eye. */
export function papersHtml(n: number): SafeHtml {
  return html`<span lang="en"><span class="count">${n}</span> ${n === 1 ? 'paper' : 'papers'}</span> · <span lang="zh-CN">${n} 篇论文</span>`;
}

/** The site's front page. Links are relative so the same bytes work under any host. */
export function renderIndexPage(m: IndexPageModel): string {
  // Categories with papers in the feeds first, in the taxonomy's order; the quiet ones folded under one line.
  const alive = m.categories.filter((c) => (c.recent ?? c.today) > 0);
  const quiet = m.categories.filter((c) => (c.recent ?? c.today) === 0);
  const head = html`${FEED_FORMATS.map((f) => html`<link rel="alternate" type="${FEED_MIME[f]}" title="Paperboy · all categories (${FORMAT_LABEL[f]})" href="${sitePaths.feed('all', 'bi', f)}">`)}${m.categories.map(
    (c) => html`<link rel="alternate" type="application/rss+xml" title="Paperboy · ${c.nameZh} / ${c.nameEn}" href="${sitePaths.feed(c.slug, 'bi', 'rss')}">`,
  )}`;
  const body = html`<header><h1>Paperboy <span lang="zh-CN">每日论文</span></h1>
<p>The daily arXiv computer-vision digest, by category, in English and <span lang="zh-CN">中文</span>. <span lang="zh-CN">每日 arXiv 计算机视觉论文，按类别订阅。</span></p>
${m.latestDate ? html`<p>Latest digest <span lang="zh-CN">最新</span>: <a href="${sitePaths.day(m.latestDate)}"><time datetime="${m.latestDate}">${m.latestDate}</time></a> · ${papersHtml(m.totalToday)} · <a href="${sitePaths.status}">Status <span lang="zh-CN">运行状态</span></a></p>` : html`<p>No digest yet. <span lang="zh-CN">暂无内容。</span></p>`}
<p>OPML (every category's feed, for your reader <span lang="zh-CN">导入阅读器</span>): ${LANGS.map((lang, i) => html`${i ? ' · ' : ''}<a href="${sitePaths.opmlFor(lang)}">${LANG_LABEL_HTML[lang]}</a>`)} · <a href="${sitePaths.opml}">all languages <span lang="zh-CN">全部语言</span></a> · <a href="${sitePaths.subscribe}">Get it by e-mail <span lang="zh-CN">邮件订阅</span></a></p>${searchBox('')}</header>
<section aria-labelledby="all-h"><h2 id="all-h">All categories <span lang="zh-CN">全部类别</span></h2>${subscribeLinks('all')}</section>
<section aria-labelledby="cat-h"><h2 id="cat-h">Categories <span lang="zh-CN">类别</span></h2><ul class="cats">${alive.map(categoryCard)}</ul>${
    quiet.length
      ? html`<details class="quiet"><summary>${quiet.length} quiet ${quiet.length === 1 ? 'category' : 'categories'}: no papers in the feeds lately <span lang="zh-CN">${quiet.length} 个类别近期无论文</span></summary><ul class="cats">${quiet.map(categoryCard)}</ul></details>`
      : ''
  }</section>
<section aria-labelledby="days-h"><h2 id="days-h">Archive <span lang="zh-CN">往期</span></h2><nav class="days">${m.days.map(
    (d) => html`<a href="${sitePaths.day(d.date)}">${d.date}</a> <small>(${d.papers})</small>`,
  )}</nav></section>`;
  return page({ title: 'Paperboy · daily arXiv cs.CV 每日论文', lang: 'en', head, body });
}
