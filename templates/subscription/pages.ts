import { knownCategories } from '../../functions/domain/categories.ts';
import { taxonomyCategory } from '../../functions/domain/taxonomy.ts';
import { html, type SafeHtml } from '../../functions/domain/html.ts';
import { bilingualHtml, categoryLabelHtml, LANG_LABEL_HTML, LANGS, langOfText, type Lang } from '../../functions/domain/language.ts';
import { FILTER_LIMITS, type Filters } from '../../functions/domain/filters/filter-terms.ts';
import { page } from '../site/layout.ts';

/** The subscription pages' own look: form fields and buttons a thumb can use, fieldsets that read as groups. */
const FORM_CSS =
  'fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}legend{font-weight:600;padding:0 .25rem}fieldset p{margin:.35rem 0}' +
  'input[type=email],input[type=number]{font:inherit;padding:.5rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}input[type=email]{width:100%;max-width:28rem}' +
  'button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.4rem;background:var(--accent);color:var(--bg);cursor:pointer}nav.site{margin:0 0 .5rem}';

/**
 * A page of the subscription API (served beside the site, under /api): the site's layout, the form
 * styles, and a way back to the site on every page.
 */
export function subscriptionPage(opts: { title: string; lang: string; head?: SafeHtml; body: SafeHtml }): string {
  return page({ ...opts, head: html`<style>${FORM_CSS}</style>${opts.head ?? ''}`, body: html`<nav class="days site" aria-label="Site"><a href="/index.html">Paperboy</a> <a href="/search.html"><span lang="en">Search</span> <span lang="zh-CN">搜索</span></a></nav>${opts.body}` });
}

export interface PrefsForm {
  readonly action: string;
  readonly email?: string;
  readonly categories: 'all' | readonly string[];
  readonly lang: Lang;
  readonly submit: string;
  readonly error?: string;
}

function prefsFields(f: PrefsForm): SafeHtml {
  const chosen = (slug: string) => f.categories === 'all' || f.categories.includes(slug);
  return html`<fieldset><legend>Categories <span lang="zh-CN">类别</span></legend>
<p><label><input type="checkbox" name="categories" value="all"${f.categories === 'all' ? html` checked` : ''}> Every category <span lang="zh-CN">全部</span></label></p>
${knownCategories().map((c) => html`<p><label><input type="checkbox" name="categories" value="${c.slug}"${f.categories !== 'all' && chosen(c.slug) ? html` checked` : ''}> ${categoryLabelHtml(c, 'bi')}</label>${taxonomyCategory(c.slug) ? html`<br><small class="about">${taxonomyCategory(c.slug)!.about}</small>` : ''}</p>`)}
</fieldset>
<fieldset><legend>Language <span lang="zh-CN">语言</span></legend>${LANGS.map(
    (l) => html`<p><label><input type="radio" name="lang" value="${l}"${f.lang === l ? html` checked` : ''}> ${LANG_LABEL_HTML[l]}</label></p>`,
  )}</fieldset>`;
}

export interface SubscribeForm extends PrefsForm {
  /** Signed, time-stamped token for the no-JavaScript path (human-proof.ts). */
  readonly formToken: string;
  /** Where the ALTCHA widget fetches its challenge. */
  readonly challengeUrl: string;
  /** Where the site serves the widget's files. */
  readonly assetsUrl: string;
  /** Seconds a form must be open before it is sent without JavaScript. */
  readonly minFillSeconds: number;
}

/** Off-screen rather than display:none, which some bots skip; hidden from assistive technology and the tab order. */
const HONEYPOT_CSS = '.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.human{margin:1rem 0}';

export function subscribePage(f: SubscribeForm): string {
  return subscriptionPage({
    title: 'Subscribe · 订阅 Paperboy',
    lang: 'en',
    head: html`<style>${HONEYPOT_CSS}</style><link rel="stylesheet" href="${f.assetsUrl}/altcha.css"><script type="module" src="${f.assetsUrl}/altcha.js"></script><script type="module" src="${f.assetsUrl}/paperboy-altcha.js"></script>`,
    body: html`<h1>Subscribe <span lang="zh-CN">订阅</span></h1>
<p>The new arXiv cs.CV papers of the categories you choose, in one e-mail a day or, if you prefer, one a week (your preferences page, after you confirm). <span lang="zh-CN">您选择的类别中的 arXiv cs.CV 新论文：每天一封邮件；也可在确认后于偏好设置中改为每周一封。</span></p>
${f.error ? html`<p role="alert"><strong>${bilingualHtml(f.error)}</strong></p>` : ''}
<form method="post" action="${f.action}">
<p><label for="email">E-mail address <span lang="zh-CN">电子邮件</span></label><br><input id="email" name="email" type="email" required maxlength="254" autocomplete="email" value="${f.email ?? ''}"></p>
${prefsFields(f)}
<div class="human"><altcha-widget challenge="${f.challengeUrl}" name="altcha" auto="onfocus" language="en"></altcha-widget>
<p class="muted"><small>Your browser does a few seconds of arithmetic to show it is not a bot: no cookies, nothing sent anywhere else. <span lang="zh-CN">您的浏览器会做几秒钟的计算，以证明不是机器人：不使用 Cookie，也不向任何第三方发送数据。</span></small></p>
<p class="muted"><small>Browsing without JavaScript? Send the form at least ${String(f.minFillSeconds)} seconds after opening this page. <span lang="zh-CN">未启用 JavaScript？请在打开本页至少 ${String(f.minFillSeconds)} 秒后再提交。</span></small></p></div>
<input type="hidden" name="form_token" value="${f.formToken}">
<div class="hp" aria-hidden="true"><label>Leave this empty <input name="website" type="text" tabindex="-1" autocomplete="off"></label></div>
<p><button type="submit">${bilingualHtml(f.submit)}</button></p></form>`,
  });
}

/** The filter boxes as the reader typed them (or as stored, formatted back): shown again exactly, escaped. */
export interface FilterFields {
  readonly include: string;
  readonly exclude: string;
  readonly authors: string;
  readonly rest: Filters['rest'];
  readonly repeats: 'updated' | 'omit';
  /** ISO weekday of the weekly mail, or null for daily. */
  readonly weekly: number | null;
}

const WEEKDAYS: readonly [number, string, string][] = [
  [1, 'Monday', '每周一'],
  [2, 'Tuesday', '每周二'],
  [3, 'Wednesday', '每周三'],
  [4, 'Thursday', '每周四'],
  [5, 'Friday', '每周五'],
  [6, 'Saturday', '每周六'],
  [7, 'Sunday', '每周日'],
];

/** What the newest day's mail would have held with these settings. */
export interface PreviewLine {
  readonly date: string;
  readonly papers: number;
  readonly matches: number | null;
}

const FILTERS_CSS = 'textarea{width:100%;font:inherit;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}.hint{margin:.25rem 0 .75rem;font-size:.9rem;color:var(--muted)}';

/** What a reader typed, by its script: Chinese, English, or both mixed (lang="", unknown: no single voice reads it right). */
function typedLang(value: string): string {
  const han = /\p{Script=Han}/u.test(value);
  const latin = /[A-Za-z]{2,}/.test(value);
  return han && latin ? '' : han ? 'zh-CN' : 'en';
}

function filterFields(f: FilterFields): SafeHtml {
  const box = (name: 'include' | 'exclude' | 'authors', en: string, zh: string, hintEn: string, hintZh: string) =>
    html`<p><label for="${name}">${en} <span lang="zh-CN">${zh}</span></label><br><textarea id="${name}" name="${name}" rows="2" maxlength="${String(FILTER_LIMITS.fieldChars)}" aria-describedby="${name}-hint" autocomplete="off" spellcheck="false" lang="${typedLang(f[name])}">${f[name]}</textarea></p>
<p class="hint" id="${name}-hint">${hintEn} <span lang="zh-CN">${hintZh}</span></p>`;
  return html`<fieldset><legend>Filters <span lang="zh-CN">筛选</span></legend>
<p class="hint">Papers matching a keyword or by an author you follow come first, under “Matches”, from every category of the day. <span lang="zh-CN">与关键词匹配或由您关注的作者撰写的论文排在最前（“匹配”一节），来自当天所有类别。</span></p>
${box('include', 'Keywords', '关键词', `Separated by commas or spaces; "quotes" keep a phrase together. English matches whole words (NeRF does not match NeRFs; write NeRF* for every word starting with it); Chinese matches anywhere. Up to ${FILTER_LIMITS.terms}.`, `用逗号或空格分隔；用英文引号括起短语。英文按整词匹配（NeRF 不匹配 NeRFs，写 NeRF* 可匹配以它开头的词）；中文按字面匹配。最多 ${FILTER_LIMITS.terms} 个。`)}
${box('exclude', 'Exclude', '排除词', 'A paper with any of these words is left out of the mail, also from your categories.', '含有这些词的论文不会出现在邮件中，包括您订阅的类别。')}
${box('authors', 'Authors', '作者', 'Names as arXiv prints them, separated by commas or new lines (Kaiming He, Fei-Fei Li).', '按 arXiv 上的写法填写姓名，用逗号或换行分隔（如 Kaiming He, Fei-Fei Li）。')}
<fieldset><legend>After the matches <span lang="zh-CN">匹配之后</span></legend>
<p><label><input type="radio" name="rest" value="categories"${f.rest === 'categories' ? html` checked` : ''}> The rest of my categories <span lang="zh-CN">我订阅类别中的其余论文</span></label></p>
<p><label><input type="radio" name="rest" value="none"${f.rest === 'none' ? html` checked` : ''}> Nothing more: only the matches <span lang="zh-CN">不再显示：只看匹配的论文</span></label></p>
</fieldset></fieldset>
<fieldset><legend>How often <span lang="zh-CN">频率</span></legend>
<p><label><input type="radio" name="frequency" value="daily"${f.weekly === null ? html` checked` : ''}> Every day there is a digest <span lang="zh-CN">每天（有新论文时）</span></label></p>
<p class="hint">Or once a week, with the seven days’ papers, each paper once: <span lang="zh-CN">或每周一封，包含过去七天的论文，每篇只出现一次：</span></p>
${WEEKDAYS.map(([n, en, zh]) => html`<p><label><input type="radio" name="frequency" value="${String(n)}"${f.weekly === n ? html` checked` : ''}> Weekly, on ${en} <span lang="zh-CN">${zh}</span></label></p>`)}
</fieldset>
<fieldset><legend>Papers you already got <span lang="zh-CN">已收到过的论文</span></legend>
<p class="hint">A paper mailed to you in the last 30 days and listed again (a new version, a re-listing) is never shown as new. <span lang="zh-CN">过去 30 天内已发给您、又再次列出的论文（新版本或重新列出）不会再作为新论文出现。</span></p>
<p><label><input type="radio" name="repeats" value="updated"${f.repeats === 'updated' ? html` checked` : ''}> List them under “Updated” at the end <span lang="zh-CN">在末尾“已更新”中列出</span></label></p>
<p><label><input type="radio" name="repeats" value="omit"${f.repeats === 'omit' ? html` checked` : ''}> Leave them out <span lang="zh-CN">不再显示</span></label></p>
</fieldset>`;
}

function previewHtml(p: PreviewLine): SafeHtml {
  const matchesEn = p.matches === null ? '' : ` (${p.matches} of them ${p.matches === 1 ? 'a match' : 'matches'})`;
  const matchesZh = p.matches === null ? '' : `，其中 ${p.matches} 篇匹配`;
  return html`<p role="status" id="preview">With these settings, the mail of ${p.date} would have had ${String(p.papers)} ${p.papers === 1 ? 'paper' : 'papers'}${matchesEn}. <span lang="zh-CN">按此设置，${p.date} 的邮件将包含 ${String(p.papers)} 篇论文${matchesZh}。</span></p>`;
}

/** The reader's private feed addresses, to paste into a feed reader. */
export interface FeedLinks {
  readonly rss: string;
  readonly atom: string;
  /** Where the "new feed address" button posts (the preferences form's own action). */
  readonly resetAction?: string;
  /** The address was just replaced: the page says so. */
  readonly reset?: boolean;
}

function feedSection(links: FeedLinks): SafeHtml {
  return html`<h2>Your feed <span lang="zh-CN">您的订阅源</span></h2>
<p>What your mail selects, over the last 30 days, for your feed reader. The address is private: anyone who has it can read the feed. <span lang="zh-CN">您的邮件所选论文（最近 30 天），可添加到 RSS 阅读器。此地址是私密的：任何拥有它的人都能阅读该订阅源。</span></p>
${links.reset ? html`<p role="status">Your feed has a new address; the old one no longer works. Update your feed reader. <span lang="zh-CN">您的订阅源已换用新地址，旧地址已失效。请在阅读器中更新。</span></p>` : ''}
<p><a href="${links.rss}">RSS 2.0</a> · <a href="${links.atom}">Atom 1.0</a></p>
${links.resetAction ? html`<form method="post" action="${links.resetAction}"><p>Shared the address by mistake? A new one ends the old one at once. <span lang="zh-CN">不慎泄露了地址？换用新地址后旧地址立即失效。</span></p><button type="submit" name="do" value="reset-feed">${bilingualHtml('New feed address · 更换订阅源地址')}</button></form>` : ''}`;
}

export function preferencesPage(f: PrefsForm & { filters: FilterFields; saved?: boolean; preview?: PreviewLine | null; feeds?: FeedLinks; library?: string }): string {
  return subscriptionPage({
    title: 'Preferences · 订阅设置',
    lang: 'en',
    head: html`<style>${FILTERS_CSS}</style>`,
    body: html`<h1>Preferences <span lang="zh-CN">订阅设置</span></h1>
${f.saved ? html`<p role="status">Saved. <span lang="zh-CN">已保存。</span></p>` : ''}
${f.error ? html`<p role="alert"><strong>${bilingualHtml(f.error)}</strong></p>` : ''}
${f.preview ? previewHtml(f.preview) : ''}
<p lang="en">${f.email ?? ''}</p>
<form method="post" action="${f.action}">${prefsFields(f)}${filterFields(f.filters)}<p><button type="submit" name="do" value="preview" id="preview-button">${bilingualHtml('Preview · 预览')}</button> <button type="submit" name="do" value="save">${bilingualHtml(f.submit)}</button></p></form>
${f.library ? html`<h2>Your library <span lang="zh-CN">我的收藏</span></h2><p>Papers you saved from your mail (“☆ Save”), their BibTeX, and “For you”: after three saved papers your mail starts with the day's papers most like them. <span lang="zh-CN">您从邮件中收藏的论文、BibTeX 导出，以及“为你推荐”：收藏满三篇后，邮件将以当天最相近的论文开头。</span></p><p><a href="${f.library}" id="library-link">${bilingualHtml('Open your library · 打开我的收藏')}</a></p>` : ''}
${f.feeds ? feedSection(f.feeds) : ''}`,
  });
}

export function messagePage(title: string, lines: readonly string[], extra?: SafeHtml): string {
  return subscriptionPage({ title: `${title} · Paperboy`, lang: 'en', body: html`<h1>${bilingualHtml(title)}</h1>${lines.map((l) => html`<p lang="${langOfText(l)}">${l}</p>`)}${extra ?? ''}` });
}

/**
 * The answers of a confirmation link's button. Only the mailbox's owner holds a link that opens, so
 * saying what happened reveals nothing to anyone else; a link that does not open says only that.
 */
export const confirmedPage = (preferences: string, site: string): string =>
  messagePage(
    'You are subscribed · 订阅成功',
    ['Your subscription is confirmed: the next digest will reach you.', '您的订阅已确认，将收到下一期论文摘要。'],
    html`<p><a href="${preferences}"><span lang="en">Choose categories, filters, weekly mail and language</span> · <span lang="zh-CN">设置类别、过滤词、每周邮件和语言</span></a></p><p><a href="${site}"><span lang="en">Today's papers on the site</span> · <span lang="zh-CN">浏览网站</span></a></p>`,
  );
export const confirmSpentPage = (site: string): string =>
  messagePage(
    'This link was already used · 链接已使用',
    [
      'Nothing changed: this confirmation link has done its work, or a newer one replaced it. If you are subscribed, every mail carries a link to your preferences.',
      '未作更改：此确认链接已使用过，或已被新的链接取代。若您已订阅，每封邮件都附有偏好设置链接。',
    ],
    html`<p><a href="${site}"><span lang="en">The site</span> · <span lang="zh-CN">网站</span></a></p>`,
  );
export const confirmBrokenPage = (subscribe: string): string =>
  messagePage(
    'This confirmation link does not work · 确认链接无效',
    [
      'Nothing changed: the link has expired (they work for 48 hours) or is damaged (a mail program may have cut it).',
      '未作更改：链接已过期（48 小时内有效）或已损坏（可能被邮件程序截断）。',
    ],
    html`<p><a href="${subscribe}"><span lang="en">Subscribe again</span> · <span lang="zh-CN">重新订阅</span></a></p>`,
  );
export function confirmPage(action: string): string {
  // A GET never confirms: mail scanners follow links. The button posts.
  return subscriptionPage({
    title: 'Confirm · 确认订阅',
    lang: 'en',
    body: html`<h1>Confirm your subscription <span lang="zh-CN">确认订阅</span></h1><p>One click and your digest starts. <span lang="zh-CN">点击按钮即可开始接收论文摘要邮件。</span></p>
<form method="post" action="${action}"><button type="submit">${bilingualHtml('Confirm · 确认')}</button></form>`,
  });
}

/** The page a mail's language link opens: one button, so a link scanner's GET changes nothing. */
export function languagePage(action: string, lang: Lang): string {
  return subscriptionPage({
    title: 'Language · 语言',
    lang: 'en',
    body: html`<h1>Change the language of your mail <span lang="zh-CN">更改邮件语言</span></h1><p>Your mail will come in ${LANG_LABEL_HTML[lang]}. <span lang="zh-CN">您的邮件将改为 ${LANG_LABEL_HTML[lang]}。</span></p>
<form method="post" action="${action}"><button type="submit">${bilingualHtml('Switch · 切换')}</button></form>`,
  });
}

/** Where a reader who has left can go: back in, or to the site. */
const waysBack = (subscribe: string, site: string) =>
  html`<p><a href="${subscribe}"><span lang="en">Subscribe again</span> · <span lang="zh-CN">重新订阅</span></a></p><p><a href="${site}"><span lang="en">The site and its feeds</span> · <span lang="zh-CN">网站与订阅源</span></a></p>`;

export const unsubscribedPage = (subscribe: string, site: string): string =>
  messagePage(
    'Unsubscribed · 已退订',
    [
      'You will get no more e-mail from Paperboy, daily or weekly. Your preferences and personal feed links no longer work.',
      '您将不再收到 Paperboy 的邮件（每日或每周）。偏好设置与个人订阅源链接均已失效。',
    ],
    waysBack(subscribe, site),
  );

export const alreadyUnsubscribedPage = (subscribe: string, site: string): string =>
  messagePage('Already unsubscribed · 已经退订', ['This address was not subscribed any more; nothing changed, and no mail will come. 此地址已不在订阅中，此次未作更改，也不会再收到邮件。'], waysBack(subscribe, site));

export function unsubscribePage(action: string): string {
  // A GET never unsubscribes: mail scanners follow links. The button posts. The page does nothing
  // else and shows nothing of the reader: whoever a mail was forwarded to sees only this button.
  return subscriptionPage({
    title: 'Unsubscribe · 退订',
    lang: 'en',
    body: html`<h1>Unsubscribe <span lang="zh-CN">退订</span></h1><p>Stop Paperboy's e-mail to the address this mail was sent to? <span lang="zh-CN">停止向收到此邮件的地址发送 Paperboy 邮件？</span></p>
<form method="post" action="${action}"><button type="submit">${bilingualHtml('Unsubscribe · 退订')}</button></form>`,
  });
}
