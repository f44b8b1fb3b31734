import { bibEntries } from '../../functions/domain/citations/bibtex.ts';
import { coinsContext } from '../../functions/domain/citations/coins.ts';
import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { html, safeUrl, type SafeHtml } from '../../functions/domain/html.ts';
import { categoryLabelHtml, langOfText } from '../../functions/domain/language.ts';
import { papersHtml } from './index-page.ts';
import { versionedId, type Digest } from '../../functions/domain/model.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { page } from './layout.ts';
import { searchBox } from './search-box.ts';

/** A download link that carries the entry itself: one click saves `<id>.bib`, no file per paper on the server. */
function bibDataUrl(text: string): string {
  return `data:application/x-bibtex;charset=utf-8,${encodeURIComponent(text)}`;
}

/** The archive's days before and after this one (null at either end). */
export interface DayNeighbours {
  readonly previous: string | null;
  readonly next: string | null;
}

/** Previous and next day, the index and the subscribe form: a reader who lands here from a mail or a search can walk on. */
function dayNav(neighbours: DayNeighbours): SafeHtml {
  const link = (date: string | null, rel: 'prev' | 'next', en: string, zh: string) =>
    date ? html`<a rel="${rel}" href="${date}.html"><span lang="en">${en}</span> <span lang="zh-CN">${zh}</span> <time datetime="${date}">${date}</time></a>` : html``;
  return html`<nav class="days" aria-label="Days">${link(neighbours.previous, 'prev', '← Previous day', '前一天')}<a href="../index.html">Paperboy</a>${link(neighbours.next, 'next', 'Next day →', '后一天')}<a href="../${sitePaths.subscribe}"><span lang="en">Get it by e-mail</span> <span lang="zh-CN">邮件订阅</span></a></nav>`;
}

/**
 * One day's archive page: every paper, both languages, abstracts folded. Linked from the e-mail.
 * Each paper carries a COinS span (reference managers see the page as many items) and its BibTeX;
 * the day's whole `.bib` is linked from the top.
 */
export function renderDayPage(digest: Digest, neighbours: DayNeighbours = { previous: null, next: null }): string {
  const total = digest.sections.reduce((n, s) => n + s.papers.length, 0);
  const bib = bibEntries(digest);
  const dayBib = sitePaths.dayBib(digest.date).split('/').pop() ?? '';
  const body = html`${dayNav(neighbours)}${searchBox('../')}<h1><time datetime="${digest.date}">${digest.date}</time> · ${papersHtml(total)}</h1>
${total === 0 ? html`<p>No papers this day. <span lang="zh-CN">当日无论文。</span></p>` : html`<p><a href="${dayBib}" download><span lang="en">BibTeX for this day</span> <span lang="zh-CN">当日 BibTeX</span></a></p>`}
<nav aria-label="Categories"><ul>${digest.sections.map((s) => html`<li><a href="#${s.category.slug}">${categoryLabelHtml(s.category, 'bi')}</a> (${s.papers.length})</li>`)}</ul></nav>
${digest.sections.map(
  (s) => html`<section id="${s.category.slug}"><h2>${categoryLabelHtml(s.category, 'bi')}</h2>${s.papers.map(
    (p) => html`<article class="paper" id="${p.arxivId}"><span class="Z3988" title="${coinsContext(p)}"></span><h3><a href="${safeUrl(p.absUrl)}">${p.titleEn}</a></h3>${p.titleZh ? html`<p lang="zh-CN">${p.titleZh}</p>` : ''}<p class="muted" lang="${langOfText(authorLine(p.authors, p.authorsTruncated))}">${authorLine(p.authors, p.authorsTruncated)}</p>${
      p.abstractEn ? html`<details><summary>Abstract</summary><p lang="en">${p.abstractEn}</p></details>` : ''
    }${p.abstractZh ? html`<details><summary lang="zh-CN">摘要</summary><p lang="zh-CN">${p.abstractZh}</p></details>` : ''}<p><a href="${safeUrl(p.absUrl)}">arXiv:${versionedId(p)}</a> · <a href="${safeUrl(p.pdfUrl)}">PDF</a>${
      p.codeUrl ? html` · <a href="${safeUrl(p.codeUrl)}">Code</a>` : ''
    } · <a href="${bibDataUrl(bib.get(p.arxivId)?.text ?? '')}" download="${p.arxivId}.bib" type="application/x-bibtex">BibTeX</a></p></article>`,
  )}</section>`,
)}`;
  const head = html`<link rel="alternate" type="application/x-bibtex" title="BibTeX" href="${dayBib}">`;
  return page({ title: `Paperboy · ${digest.date}`, lang: 'en', head, body });
}
