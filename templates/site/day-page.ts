import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { html, safeUrl } from '../../functions/domain/html.ts';
import { categoryLabelHtml, langOfText } from '../../functions/domain/language.ts';
import { papersHtml } from './index-page.ts';
import { versionedId, type Digest } from '../../functions/domain/model.ts';
import { page } from './layout.ts';

/** One day's archive page: every paper, both languages, abstracts folded. Linked from the e-mail. */
export function renderDayPage(digest: Digest): string {
  const total = digest.sections.reduce((n, s) => n + s.papers.length, 0);
  const body = html`<p><a href="../index.html">Paperboy</a></p><h1><time datetime="${digest.date}">${digest.date}</time> · ${papersHtml(total)}</h1>
${total === 0 ? html`<p>No papers this day. <span lang="zh-CN">当日无论文。</span></p>` : ''}
<nav aria-label="Categories"><ul>${digest.sections.map((s) => html`<li><a href="#${s.category.slug}">${categoryLabelHtml(s.category, 'bi')}</a> (${s.papers.length})</li>`)}</ul></nav>
${digest.sections.map(
  (s) => html`<section id="${s.category.slug}"><h2>${categoryLabelHtml(s.category, 'bi')}</h2>${s.papers.map(
    (p) => html`<article class="paper" id="${p.arxivId}"><h3><a href="${safeUrl(p.absUrl)}">${p.titleEn}</a></h3>${p.titleZh ? html`<p lang="zh-CN">${p.titleZh}</p>` : ''}<p class="muted" lang="${langOfText(authorLine(p.authors, p.authorsTruncated))}">${authorLine(p.authors, p.authorsTruncated)}</p>${
      p.abstractEn ? html`<details><summary>Abstract</summary><p lang="en">${p.abstractEn}</p></details>` : ''
    }${p.abstractZh ? html`<details><summary lang="zh-CN">摘要</summary><p lang="zh-CN">${p.abstractZh}</p></details>` : ''}<p><a href="${safeUrl(p.absUrl)}">arXiv:${versionedId(p)}</a> · <a href="${safeUrl(p.pdfUrl)}">PDF</a>${
      p.codeUrl ? html` · <a href="${safeUrl(p.codeUrl)}">Code</a>` : ''
    }</p></article>`,
  )}</section>`,
)}`;
  return page({ title: `Paperboy · ${digest.date}`, lang: 'en', body });
}
