import { html, safeUrl, type SafeHtml } from '../html.ts';
import { abstractsFor, categoryLabelHtml, LANG_TAG, type Lang } from '../language.ts';
import { versionedId } from '../model.ts';
import type { FeedEntry } from './feed-window.ts';

export function authorLine(authors: readonly string[], truncated: boolean): string {
  return truncated ? `${authors.join(', ')}, et al.` : authors.join(', ');
}

/**
 * How much of a paper an item carries: `full` has the body below with the whole abstracts; `lean`
 * only a title, the authors and a short summary, so a feed that must cover a busy week stays small
 * enough for readers to fetch.
 */
export type EntryDetail = 'full' | 'lean';

/**
 * The item body every feed format carries: authors, abstracts, links. All text escaped, and every
 * paragraph says its language (feed readers show item HTML without the feed's language around it).
 */
export function entryContentHtml(entry: FeedEntry, lang: Lang): SafeHtml {
  const p = entry.paper;
  const zhTitle = lang === 'en' || p.titleZh === null ? null : p.titleZh;
  const uiLang = lang === 'zh' ? 'zh' : 'en';
  const links = [
    html`<a href="${safeUrl(p.absUrl)}">arXiv:${versionedId(p)}</a>`,
    html`<a href="${safeUrl(p.pdfUrl)}">PDF</a>`,
    p.codeUrl ? html`<a href="${safeUrl(p.codeUrl)}" lang="${LANG_TAG[uiLang]}">${uiLang === 'zh' ? '代码' : 'Code'}</a>` : null,
  ].filter((l) => l !== null);
  const body = abstractsFor(p, lang).map((a) => html`<p lang="${LANG_TAG[a.lang]}">${a.text}</p>`);
  return html`${lang === 'bi' && zhTitle ? html`<p lang="zh-CN"><strong>${zhTitle}</strong></p>` : ''}<p lang="en">${authorLine(p.authors, p.authorsTruncated)}</p>${body}<p lang="en">${links.map((l, i) => (i ? html` · ${l}` : l))}</p><p><small>${categoryLabelHtml(entry.category, lang)} · ${entry.date}</small></p>`;
}

/** Short plain-text summary: the first sentences of the abstract, or the authors. */
export function entrySummary(entry: FeedEntry, lang: Lang, max = 280): string {
  const text = abstractsFor(entry.paper, lang)[0]?.text ?? authorLine(entry.paper.authors, entry.paper.authorsTruncated);
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
