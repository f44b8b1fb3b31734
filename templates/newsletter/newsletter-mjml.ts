import type { ContentLevel } from '../../functions/domain/newsletter/edition.ts';
import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { escapeHtml, safeUrl } from '../../functions/domain/html.ts';
import { bilingualHtml, categoryLabelHtml, LANG_LABEL_HTML, LANG_TAG, LANGS, langOfText, type Lang } from '../../functions/domain/language.ts';
import type { Digest, Paper, Section } from '../../functions/domain/model.ts';
import { firstSentence } from '../../functions/domain/first-sentence.ts';
import { abstractEnd, abstractStart, actionEnd, actionStart, categoryEnd, categoryStart, CONTENTS_REGION, countMark, defuseTokens, moreEnd, moreMark, moreStart, FORYOU_REGION, LIBRARY_REGION, lineEnd, lineStart, MATCHES_REGION, paperEnd, paperStart, token, UPDATED_REGION } from '../../functions/domain/newsletter/markers.ts';
import { saveActionPath } from '../../functions/domain/library/actions.ts';
import { theme } from './theme.ts';
import type { WeekSpan } from '../../functions/domain/sending/week.ts';
import { weekNote } from './week-note.ts';

export interface NewsletterLinks {
  /** The day's archive page ("view in browser"); for a weekly mail, the archive's index. */
  readonly archiveUrl: string;
  readonly postalAddress: string;
  /** A weekly mail: the days it covers, those arXiv had no listing, those no digest came for. */
  readonly week?: WeekSpan;
  /** The site's status page (whether today's digest is in, late, or there was no announcement); absent: no link. */
  readonly statusUrl?: string;
}

/** What the mail's heading names: the day, or the week's first and last day. */
export const periodLabel = (digest: Pick<Digest, 'date'>, links: Pick<NewsletterLinks, 'week'>) => (links.week ? `${links.week.from} – ${links.week.to}` : digest.date);

/** Escaped, token-proof text for HTML. */
const t = (text: string) => defuseTokens(escapeHtml(text), true);
const u = (url: string) => defuseTokens(escapeHtml(safeUrl(url)), true);
const en = (text: string) => `<span lang="en">${text}</span>`;
const zh = (text: string) => `<span lang="zh-CN">${text}</span>`;
/** A bilingual label is two runs, each in its own language, so a screen reader voices both right. */
const both = (english: string, chinese: string) => bilingualHtml(`${english} · ${chinese}`).value;

/** Every fixed string of the mail, per edition. English and Chinese wording each read as written by a native speaker. */
const L = {
  bi: {
    count: (n: string) => `${both('Papers today', '今日论文')}: <strong>${n}</strong>`,
    countWeek: (n: string) => `${both('Papers this week', '本周论文')}: <strong>${n}</strong>`,
    contents: both('Contents', '目录'),
    matches: both('Matches', '匹配'),
    forYou: both('For you', '为你推荐'),
    library: both('Your library', '你的收藏'),
    updated: both('Updated', '已更新'),
    updatedWhy: both('Papers you already received, listed again: a new version or a new listing.', '您此前已收到的论文再次出现：新版本或重新列出。'),
    moreOnWeb: (n: number) => both(`${n} more on the web`, `另有 ${n} 篇，请在网页查看`),
    code: both('Code', '代码'),
    view: both('View in browser', '网页版'),
    prefs: both('Preferences', '订阅设置'),
    readIn: both('Read in', '切换语言'),
    feed: both('Your feed', '您的订阅源'),
    unsub: both('Unsubscribe', '退订'),
    status: both('Status', '运行状态'),
    why: `${en('You receive this because you subscribed to Paperboy and confirmed your address.')} ${zh('您订阅并确认了 Paperboy 每日论文，因此收到此邮件。')}`,
    sentTo: both('Sent to', '收件人'),
  },
  en: {
    count: (n: string) => `Papers in your categories today: <strong>${n}</strong>`,
    countWeek: (n: string) => `Papers in your categories this week: <strong>${n}</strong>`,
    contents: 'Contents',
    matches: 'Matches',
    forYou: 'For you',
    library: 'Your library',
    updated: 'Updated',
    updatedWhy: 'Papers you already received, listed again: a new version or a new listing.',
    moreOnWeb: (n: number) => `${n} more on the web`,
    code: 'Code',
    view: 'View in browser',
    prefs: 'Preferences',
    readIn: 'Read in',
    feed: 'Your feed',
    unsub: 'Unsubscribe',
    status: 'Status',
    why: 'You receive this because you subscribed to Paperboy and confirmed your address.',
    sentTo: 'Sent to',
  },
  zh: {
    count: (n: string) => `您订阅的类别今日共 <strong>${n}</strong> 篇论文`,
    countWeek: (n: string) => `您订阅的类别本周共 <strong>${n}</strong> 篇论文`,
    contents: '目录',
    matches: '匹配',
    forYou: '为你推荐',
    library: '你的收藏',
    updated: '已更新',
    updatedWhy: '您此前已收到的论文再次出现：新版本或重新列出。',
    moreOnWeb: (n: number) => `另有 ${n} 篇，请在网页查看`,
    code: '代码',
    view: '网页版',
    prefs: '订阅设置',
    readIn: '切换语言',
    feed: '您的订阅源',
    unsub: '退订',
    status: '运行状态',
    why: '您订阅并确认了 Paperboy 每日论文，因此收到此邮件。',
    sentTo: '收件人',
  },
} as const;

/** The code button: one short word, in the edition's first language (a bilingual label would double it 200 times). */
const CODE: Record<Lang, string> = { bi: 'Code', en: 'Code', zh: '代码' };

/**
 * The save link: one per paper, short (the reader's action base and the arXiv id). Its page offers
 * "Not for me" too; a second link per paper would cost another 90 bytes a paper, 20 KB of abstracts
 * on a 220-paper day (npm run bench, newsletter coverage). "For you" papers carry both.
 */
const SAVE: Record<Lang, string> = { bi: '☆ Save', en: '☆ Save', zh: '☆ 收藏' };

/** "more" after a first sentence, in the abstract's own language. */
const MORE = { en: 'more', 'zh-CN': '全文' } as const;

const label = (section: Pick<Section, 'category'>, lang: Lang) => defuseTokens(categoryLabelHtml(section.category, lang).value, true);
/** A lang attribute only where it differs from the document's: every byte counts on a 200-paper day. */
const langAttr = (tag: string, docLang: string) => (tag === docLang ? '' : ` lang="${tag}"`);
/** arXiv serves every page over https; the digest prints some links as http. */
export const httpsArxiv = (url: string) => url.replace(/^http:\/\/arxiv\.org\//, 'https://arxiv.org/');

/**
 * One paper in as few bytes as it can be said (the look lives in the stylesheet, by class): title
 * link, Chinese title, authors, its abstract in two alternatives (whole, first sentence) between
 * markers, PDF and code links.
 */
function paperHtml(p: Paper, n: number, lang: Lang, archiveUrl: string): string {
  const doc = LANG_TAG[lang];
  const zhTitle = p.titleZh;
  const mainTitle = lang === 'zh' && zhTitle ? zhTitle : p.titleEn;
  const mainLang = lang === 'zh' && zhTitle ? LANG_TAG.zh : LANG_TAG.en;
  const parts = [`<h3${langAttr(mainLang, doc)}><a href="${u(httpsArxiv(p.absUrl))}">${t(mainTitle)}</a></h3>`];
  if (lang === 'bi' && zhTitle) parts.push(`<p lang="zh-CN">${t(zhTitle)}</p>`);
  const authors = authorLine(p.authors, p.authorsTruncated);
  const authorsLang = langOfText(authors);
  // The links sit on the line under the authors, drawn as buttons by the stylesheet (`.m a`): on a
  // 200-paper day every byte of markup per paper is 200 bytes of the 100 KB budget.
  const link = (href: string, text: string) => `<a href="${u(href)}">${text}</a>`;
  const code = CODE[lang] === 'Code' || authorsLang === LANG_TAG.zh ? CODE[lang] : `<span lang="zh-CN">${CODE[lang]}</span>`;
  // As the code button: the Chinese word in its own language run when the line around it is English.
  const saveLabel = lang === 'zh' && authorsLang !== LANG_TAG.zh ? `<span lang="zh-CN">${SAVE.zh}</span>` : SAVE[lang];
  const save = `<a href="${token('act')}${escapeHtml(saveActionPath(p.arxivId))}">${saveLabel}</a>`;
  const links = `<br>${link(httpsArxiv(p.pdfUrl), 'PDF')}${p.codeUrl ? ` ${link(p.codeUrl, code)}` : ''}${actionStart} ${save}${actionEnd}`;
  const abstracts: ['en' | 'zh-CN', string][] = [];
  if (lang !== 'zh' && p.abstractEn) abstracts.push(['en', p.abstractEn]);
  if (lang !== 'en' && p.abstractZh) abstracts.push(['zh-CN', p.abstractZh]);
  if (lang === 'zh' && !p.abstractZh && p.abstractEn) abstracts.push(['en', p.abstractEn]);
  if (abstracts.length) {
    const whole = abstracts.map(([tag, text]) => `<p class="a"${langAttr(tag, doc)}>${t(text)}</p>`).join('');
    const sentences = abstracts.map(([tag, text]) => {
      const first = firstSentence(text);
      const more = first === null ? '' : ` <a href="${u(`${archiveUrl}#${p.arxivId}`)}">${MORE[tag]}</a>`;
      return `<p class="a"${langAttr(tag, doc)}>${t(first ?? text)}${more}</p>`;
    });
    parts.push(`${abstractStart(n, 'w')}${whole}${abstractEnd(n, 'w')}${abstractStart(n, 's')}${sentences.join('')}${abstractEnd(n, 's')}`);
  }
  parts.splice(1 + (lang === 'bi' && zhTitle ? 1 : 0), 0, `<p class="m"${langAttr(authorsLang, doc)}>${t(authors)}${links}</p>`);
  return parts.join('');
}

function sectionHtml(section: Section, first: number, lang: Lang, level: ContentLevel, archiveUrl: string): string {
  const { category, papers } = section;
  const shown = level.maxPapers === null ? papers : papers.slice(0, level.maxPapers);
  const rest = papers.length - shown.length;
  const heading = `<h2 id="c-${category.slug}">${label(section, lang)} <span class="m">(${countMark(category.slug, papers.length)})</span></h2>`;
  // The label's number (its only digits) is the reader's: their papers past the cap.
  const more = rest > 0 ? `${moreStart}<p><a class="o" href="${u(`${archiveUrl}#${category.slug}`)}">${L[lang].moreOnWeb(rest).replaceAll(String(rest), moreMark(category.slug, rest))} →</a></p>${moreEnd}` : '';
  return `${categoryStart(category.slug)}${heading}${shown.map((p, i) => `${paperStart(first + i)}${paperHtml(p, first + i, lang, archiveUrl)}${paperEnd(first + i)}`).join('')}${more}${categoryEnd(category.slug)}`;
}

/** A paper already mailed, in one line: its title (in the mail's first language), linked, and its version. */
function updatedLine(p: Paper, n: number, lang: Lang): string {
  const zhTitle = lang === 'zh' && p.titleZh;
  const title = zhTitle ? `<a href="${u(httpsArxiv(p.absUrl))}">${t(p.titleZh ?? '')}</a>` : `<a href="${u(httpsArxiv(p.absUrl))}"${langAttr(LANG_TAG.en, LANG_TAG[lang])}>${t(p.titleEn)}</a>`;
  return `${lineStart(n)}<li>${title}${p.version ? ` <span class="m">v${p.version}</span>` : ''}</li>${lineEnd(n)}`;
}

/** The number of each section's first paper, counting through the day: the abstracts' marker ids. */
export function paperNumbers(digest: Digest): number[] {
  let n = 0;
  return digest.sections.map((s) => {
    const first = n;
    n += s.papers.length;
    return first;
  });
}

/**
 * The MJML source of one variant: one language, one content level, every category of the day. Each
 * category's table-of-contents entry and section sit between markers, and personal values are
 * tokens, so the compiled HTML is cut and filled per recipient without compiling again.
 */
export function newsletterMjml(digest: Digest, lang: Lang, level: ContentLevel, links: NewsletterLinks): string {
  const w = L[lang];
  const note = links.week ? weekNote(links.week, lang) : '';
  const toc = digest.sections
    .map((s) => `${categoryStart(s.category.slug)}<li><a href="#c-${s.category.slug}">${label(s, lang)}</a> (${countMark(s.category.slug, s.papers.length)})</li>${categoryEnd(s.category.slug)}`)
    .join('');
  const firsts = paperNumbers(digest);
  const sections = digest.sections.map((s, i) => sectionHtml(s, firsts[i] ?? 0, lang, level, links.archiveUrl)).join('');
  const dark = theme.dark;
  return `<mjml lang="${LANG_TAG[lang]}">
<mj-head>
<mj-title>Paperboy · ${periodLabel(digest, links)}</mj-title>
<mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
<mj-attributes>
<mj-all font-family="${theme.fontStack}" />
<mj-text font-size="15px" line-height="1.55" color="${theme.text}" padding="0 24px" />
<mj-section padding="0" background-color="${theme.card}" />
</mj-attributes>
<mj-style>
:root{color-scheme:light dark;supported-color-schemes:light dark}
a{word-break:break-word}
.c h2{margin:24px 0 12px;font-size:19px;line-height:1.3;color:${theme.text}}
.c h3{margin:16px 0 4px;padding-top:14px;border-top:1px solid ${theme.rule};font-size:16px;line-height:1.35}
.c h2+h3{border-top:0;padding-top:0}
.c h2 .m{font-size:15px}
.c h3 a{color:${theme.accent};text-decoration:underline}
.c p{margin:0 0 6px}
.c .m{font-size:13px;color:${theme.muted};font-weight:400}
.c .a{font-size:14px}
.c a{color:${theme.accent}}
.c .m a{display:inline-block;margin:6px 6px 2px 0;padding:5px 14px;border-radius:4px;background:${theme.buttonBg};color:${theme.buttonText};text-decoration:none;font-size:13px;font-weight:600}
.c a.o{font-weight:600}
.toc li{margin:0 0 4px}.toc a{color:${theme.accent}}
.c .u{margin:0;padding:0 0 0 20px}.c .u li{margin:0 0 4px}
.c mark{background:${theme.mark};color:${theme.text};padding:0 1px}
@media (prefers-color-scheme: dark){
body,.bg{background:${dark.page}!important}
.card,.card td,.card div{background:${dark.card}!important;color:${dark.text}!important}
.card a{color:${dark.accent}!important}
.card h1,.card h2,.card h3{color:${dark.text}!important}
.card .m{color:${dark.muted}!important}
.card .c .m a{background:${theme.buttonBg}!important;color:${theme.buttonText}!important}
.card h3{border-color:${dark.rule}!important}
.card mark{background:${dark.mark}!important;color:${dark.text}!important}
.foot,.foot td,.foot div{background:${dark.card}!important}
.foot,.foot td,.foot div,.foot p,.foot a{color:${dark.muted}!important}
}
[data-ogsc] .card a{color:${dark.accent}!important}
[data-ogsc] .card .c .m a{color:${theme.buttonText}!important}
[data-ogsc] .foot a,[data-ogsc] .foot p{color:${dark.muted}!important}
</mj-style>
</mj-head>
<mj-body background-color="${theme.page}" width="600px" css-class="bg">
<mj-raw><div class="preheader" style="display:none;max-height:0;max-width:0;overflow:hidden;mso-hide:all" aria-hidden="true">${token('preheader')}</div></mj-raw>
<mj-section padding="24px 0 16px" css-class="card">
<mj-column>
<mj-text>
<h1 style="margin:0 0 6px;font-size:24px;line-height:1.25">Paperboy · ${links.week ? `<time datetime="${links.week.from}">${links.week.from}</time> – <time datetime="${links.week.to}">${links.week.to}</time>` : `<time datetime="${digest.date}">${digest.date}</time>`}</h1>
<p class="m" style="margin:0;color:${theme.muted}">${(links.week ? w.countWeek : w.count)(token('count'))} · <a href="${u(links.archiveUrl)}" style="color:${theme.accent}">${w.view}</a></p>
${note ? `<p class="m" id="week-note" style="margin:4px 0 0;color:${theme.muted}">${bilingualHtml(note).toString()}</p>` : ''}
${categoryStart(CONTENTS_REGION)}<h2 style="margin:20px 0 8px;font-size:17px">${w.contents}</h2>
<ul class="toc" style="margin:0;padding:0 0 0 20px">${categoryEnd(CONTENTS_REGION)}${toc}${categoryStart(CONTENTS_REGION)}</ul>${categoryEnd(CONTENTS_REGION)}
<div class="c">${categoryStart(LIBRARY_REGION)}<h2 id="your-library">${w.library}</h2>${token('library')}${categoryEnd(LIBRARY_REGION)}${categoryStart(FORYOU_REGION)}<h2 id="for-you">${w.forYou}</h2>${token('foryou')}${categoryEnd(FORYOU_REGION)}${categoryStart(MATCHES_REGION)}<h2 id="matches">${w.matches} <span class="m">(${token('matchcount')})</span></h2>${token('matches')}${categoryEnd(MATCHES_REGION)}${sections}${categoryStart(UPDATED_REGION)}<h2 id="updated">${w.updated}</h2><p class="m">${w.updatedWhy}</p><ul class="u">${digest.sections
    .flatMap((s, k) => s.papers.map((p, i) => updatedLine(p, (firsts[k] ?? 0) + i, lang)))
    .join('')}</ul>${categoryEnd(UPDATED_REGION)}</div>
</mj-text>
</mj-column>
</mj-section>
<mj-section padding="16px 0 24px" css-class="foot">
<mj-column>
<mj-text font-size="12px" line-height="1.6" color="${theme.muted}" align="center">
<p style="margin:0 0 8px"><a href="${token('preferences')}" style="color:${theme.muted}">${w.prefs}</a> · <a href="${token('feed')}" style="color:${theme.muted}">${w.feed}</a> · <a href="${token('unsubscribe')}" style="color:${theme.muted}">${w.unsub}</a> · ${
    // The status page, where "view in browser" was (the header has that link): no byte more on a busy day.
    links.statusUrl ? `<a href="${u(links.statusUrl)}" style="color:${theme.muted}">${w.status}</a>` : `<a href="${u(links.archiveUrl)}" style="color:${theme.muted}">${w.view}</a>`
  }</p>
<p style="margin:0 0 8px">${w.readIn}: ${LANGS.filter((l) => l !== lang)
    .map((l) => `<a href="${token('language')}&amp;lang=${l}" style="color:${theme.muted}">${LANG_LABEL_HTML[l].value}</a>`)
    .join(' · ')}</p>
<p style="margin:0 0 8px">${w.why} ${w.sentTo}: <span lang="en">${token('recipient')}</span></p>
<p style="margin:0">Paperboy · <span lang="${langOfText(links.postalAddress)}">${t(links.postalAddress)}</span></p>
</mj-text>
</mj-column>
</mj-section>
</mj-body>
</mjml>`;
}
