import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { escapeHtml, safeUrl } from '../../functions/domain/html.ts';
import { categoryLabelHtml, LANG_TAG, langOfText, type Lang } from '../../functions/domain/language.ts';
import type { Digest, Paper, Section } from '../../functions/domain/model.ts';
import { categoryEnd, categoryStart, defuseTokens, token } from '../../functions/domain/newsletter/markers.ts';
import { theme } from './theme.ts';

/** How much of each paper a compiled variant carries; the personaliser picks the richest that fits. */
export interface ContentLevel {
  /** `null`: whole abstracts; `0`: none; otherwise characters kept (English; Chinese gets half). */
  readonly abstractChars: number | null;
  /** Papers shown per category before "N more on the web". */
  readonly maxPapers: number | null;
}

export interface NewsletterLinks {
  /** The day's archive page ("view in browser"). */
  readonly archiveUrl: string;
  readonly postalAddress: string;
}

/** Escaped, token-proof text for HTML. */
const t = (text: string) => defuseTokens(escapeHtml(text), true);
const u = (url: string) => defuseTokens(escapeHtml(safeUrl(url)), true);
const en = (text: string) => `<span lang="en">${text}</span>`;
const zh = (text: string) => `<span lang="zh-CN">${text}</span>`;
/** A bilingual label is two runs, each in its own language, so a screen reader voices both right. */
const both = (english: string, chinese: string) => `${en(english)} · ${zh(chinese)}`;

/** Every fixed string of the mail, per edition. English and Chinese wording each read as written by a native speaker. */
const L = {
  bi: {
    count: (n: string) => `${both('Papers today', '今日论文')}: <strong>${n}</strong>`,
    contents: both('Contents', '目录'),
    moreOnWeb: (n: number) => both(`${n} more on the web`, `另有 ${n} 篇，请在网页查看`),
    code: both('Code', '代码'),
    view: both('View in browser', '网页版'),
    prefs: both('Preferences', '订阅设置'),
    unsub: both('Unsubscribe', '退订'),
    why: `${en('You receive this because you subscribed to Paperboy and confirmed your address.')} ${zh('您订阅并确认了 Paperboy 每日论文，因此收到此邮件。')}`,
    sentTo: both('Sent to', '收件人'),
  },
  en: {
    count: (n: string) => `Papers in your categories today: <strong>${n}</strong>`,
    contents: 'Contents',
    moreOnWeb: (n: number) => `${n} more on the web`,
    code: 'Code',
    view: 'View in browser',
    prefs: 'Preferences',
    unsub: 'Unsubscribe',
    why: 'You receive this because you subscribed to Paperboy and confirmed your address.',
    sentTo: 'Sent to',
  },
  zh: {
    count: (n: string) => `您订阅的类别今日共 <strong>${n}</strong> 篇论文`,
    contents: '目录',
    moreOnWeb: (n: number) => `另有 ${n} 篇，请在网页查看`,
    code: '代码',
    view: '网页版',
    prefs: '订阅设置',
    unsub: '退订',
    why: '您订阅并确认了 Paperboy 每日论文，因此收到此邮件。',
    sentTo: '收件人',
  },
} as const;

/** "more" after a clipped abstract, in the abstract's own language. */
const MORE = { en: 'more', 'zh-CN': '全文' } as const;

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars).trimEnd()}…`;
}

const label = (section: Pick<Section, 'category'>, lang: Lang) => defuseTokens(categoryLabelHtml(section.category, lang).value, true);

function paperHtml(p: Paper, lang: Lang, level: ContentLevel, archiveUrl: string): string {
  const words = L[lang];
  const zhTitle = p.titleZh;
  const mainTitle = lang === 'zh' && zhTitle ? zhTitle : p.titleEn;
  const mainLang = lang === 'zh' && zhTitle ? LANG_TAG.zh : LANG_TAG.en;
  // Title links are underlined and in the link colour: they are the main way into a paper.
  const parts = [`<h3 lang="${mainLang}" style="margin:0 0 4px;font-size:16px;line-height:1.35"><a class="t" href="${u(p.absUrl)}" style="color:${theme.accent};text-decoration:underline">${t(mainTitle)}</a></h3>`];
  if (lang === 'bi' && zhTitle) parts.push(`<p lang="zh-CN" style="margin:0 0 4px">${t(zhTitle)}</p>`);
  const authors = authorLine(p.authors, p.authorsTruncated);
  parts.push(`<p class="m" lang="${langOfText(authors)}" style="margin:0 0 6px;font-size:13px;color:${theme.muted}">${t(authors)}</p>`);
  if (level.abstractChars !== 0) {
    const abstracts: ['en' | 'zh-CN', string, number | null][] = [];
    if (lang !== 'zh' && p.abstractEn) abstracts.push(['en', p.abstractEn, level.abstractChars]);
    if (lang !== 'en' && p.abstractZh) abstracts.push(['zh-CN', p.abstractZh, level.abstractChars === null ? null : Math.round(level.abstractChars / 2)]);
    if (lang === 'zh' && !p.abstractZh && p.abstractEn) abstracts.push(['en', p.abstractEn, level.abstractChars]);
    for (const [tag, text, limit] of abstracts) {
      const shown = limit === null ? text : clip(text, limit);
      const more = shown === text ? '' : ` <a href="${u(`${archiveUrl}#${p.arxivId}`)}" style="color:${theme.accent}">${MORE[tag]}</a>`;
      parts.push(`<p lang="${tag}" style="margin:0 0 6px;font-size:14px">${t(shown)}${more}</p>`);
    }
  }
  const button = (href: string, text: string) =>
    `<a class="b" href="${u(href)}" style="display:inline-block;margin:2px 6px 2px 0;padding:5px 14px;border-radius:4px;background:${theme.buttonBg};color:${theme.buttonText};text-decoration:none;font-size:13px;font-weight:600">${text}</a>`;
  parts.push(`<p style="margin:4px 0 0">${button(p.pdfUrl, 'PDF')}${p.codeUrl ? button(p.codeUrl, words.code) : ''}</p>`);
  return `<div class="p" style="margin:0 0 18px;padding:0 0 14px;border-bottom:1px solid ${theme.rule}">${parts.join('')}</div>`;
}

function sectionHtml(section: Section, lang: Lang, level: ContentLevel, archiveUrl: string): string {
  const { category, papers } = section;
  const shown = level.maxPapers === null ? papers : papers.slice(0, level.maxPapers);
  const rest = papers.length - shown.length;
  const heading = `<h2 id="c-${category.slug}" style="margin:24px 0 12px;font-size:19px;line-height:1.3;color:${theme.text}">${label(section, lang)} <span class="m" style="color:${theme.muted};font-weight:400">(${papers.length})</span></h2>`;
  const more = rest > 0 ? `<p style="margin:0 0 18px"><a href="${u(`${archiveUrl}#${category.slug}`)}" style="color:${theme.accent};font-weight:600">${L[lang].moreOnWeb(rest)} →</a></p>` : '';
  return `${categoryStart(category.slug)}${heading}${shown.map((p) => paperHtml(p, lang, level, archiveUrl)).join('')}${more}${categoryEnd(category.slug)}`;
}

/**
 * The MJML source of one variant: one language, one content level, every category of the day. Each
 * category's table-of-contents entry and section sit between markers, and personal values are
 * tokens, so the compiled HTML is cut and filled per recipient without compiling again.
 */
export function newsletterMjml(digest: Digest, lang: Lang, level: ContentLevel, links: NewsletterLinks): string {
  const w = L[lang];
  const toc = digest.sections
    .map((s) => `${categoryStart(s.category.slug)}<li style="margin:0 0 4px"><a href="#c-${s.category.slug}" style="color:${theme.accent}">${label(s, lang)}</a> (${s.papers.length})</li>${categoryEnd(s.category.slug)}`)
    .join('');
  const sections = digest.sections.map((s) => sectionHtml(s, lang, level, links.archiveUrl)).join('');
  const dark = theme.dark;
  return `<mjml lang="${LANG_TAG[lang]}">
<mj-head>
<mj-title>Paperboy · ${digest.date}</mj-title>
<mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
<mj-attributes>
<mj-all font-family="${theme.fontStack}" />
<mj-text font-size="15px" line-height="1.55" color="${theme.text}" padding="0 24px" />
<mj-section padding="0" background-color="${theme.card}" />
</mj-attributes>
<mj-style>
:root{color-scheme:light dark;supported-color-schemes:light dark}
a{word-break:break-word}
@media (prefers-color-scheme: dark){
body,.bg{background:${dark.page}!important}
.card,.card td,.card div{background:${dark.card}!important;color:${dark.text}!important}
.card a{color:${dark.accent}!important}
.card h1,.card h2,.card h3{color:${dark.text}!important}
.card .m{color:${dark.muted}!important}
.card a.b{background:${theme.buttonBg}!important;color:${theme.buttonText}!important}
.card .p{border-color:${dark.rule}!important}
.foot,.foot td,.foot div{background:${dark.card}!important}
.foot,.foot td,.foot div,.foot p,.foot a{color:${dark.muted}!important}
}
[data-ogsc] .card a{color:${dark.accent}!important}
[data-ogsc] .card a.b{color:${theme.buttonText}!important}
[data-ogsc] .foot a,[data-ogsc] .foot p{color:${dark.muted}!important}
</mj-style>
</mj-head>
<mj-body background-color="${theme.page}" width="600px" css-class="bg">
<mj-raw><div class="preheader" style="display:none;max-height:0;max-width:0;overflow:hidden;mso-hide:all" aria-hidden="true">${token('preheader')}</div></mj-raw>
<mj-section padding="24px 0 8px" css-class="card">
<mj-column>
<mj-text>
<h1 style="margin:0 0 6px;font-size:24px;line-height:1.25">Paperboy · <time datetime="${digest.date}">${digest.date}</time></h1>
<p class="m" style="margin:0;color:${theme.muted}">${w.count(token('count'))} · <a href="${u(links.archiveUrl)}" style="color:${theme.accent}">${w.view}</a></p>
</mj-text>
</mj-column>
</mj-section>
<mj-section padding="8px 0" css-class="card">
<mj-column>
<mj-text>
<h2 style="margin:12px 0 8px;font-size:17px">${w.contents}</h2>
<ul style="margin:0;padding:0 0 0 20px">${toc}</ul>
</mj-text>
</mj-column>
</mj-section>
<mj-section padding="0 0 8px" css-class="card">
<mj-column>
<mj-text>${sections}</mj-text>
</mj-column>
</mj-section>
<mj-section padding="16px 0 24px" css-class="foot">
<mj-column>
<mj-text font-size="12px" line-height="1.6" color="${theme.muted}" align="center">
<p style="margin:0 0 8px"><a href="${u(links.archiveUrl)}" style="color:${theme.muted}">${w.view}</a> · <a href="${token('preferences')}" style="color:${theme.muted}">${w.prefs}</a> · <a href="${token('unsubscribe')}" style="color:${theme.muted}">${w.unsub}</a></p>
<p style="margin:0 0 8px">${w.why} ${w.sentTo}: <span lang="en">${token('recipient')}</span></p>
<p style="margin:0">Paperboy · <span lang="${langOfText(links.postalAddress)}">${t(links.postalAddress)}</span></p>
</mj-text>
</mj-column>
</mj-section>
</mj-body>
</mjml>`;
}
