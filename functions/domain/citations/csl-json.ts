import { arxivYear, type CitedPaper } from './bibtex.ts';

/**
 * CSL-JSON, the item format of the Citation Style Language (Zotero's and Mendeley's citation
 * processor citeproc-js reads it, and pandoc and Overleaf's reference tools take it). An arXiv
 * e-print is an `article` (CSL's type for preprints) published by arXiv, with its DOI and number.
 * It is JSON, so any text is safe in it once serialised.
 */
export interface CslName {
  readonly family?: string;
  readonly given?: string;
  readonly literal?: string;
}

export interface CslItem {
  readonly id: string;
  readonly type: 'article';
  readonly title: string;
  readonly author: readonly CslName[];
  readonly issued?: { readonly 'date-parts': readonly (readonly number[])[] };
  readonly abstract?: string;
  readonly publisher: 'arXiv';
  readonly number: string;
  readonly DOI: string;
  readonly URL: string;
  readonly note?: string;
}

/**
 * A name as "given family": the last word is the family name (as arXiv lists authors, given names
 * first); a one-word name, or one CSL could not split, stays whole as a literal.
 */
export function cslName(name: string): CslName {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { literal: words.join(' ') };
  return { family: words[words.length - 1]!, given: words.slice(0, -1).join(' ') };
}

export function cslItem(p: CitedPaper & { readonly journalRef?: string | null }): CslItem {
  const year = arxivYear(p.arxivId);
  return {
    id: `arXiv:${p.arxivId}`,
    type: 'article',
    title: p.titleEn,
    author: p.authors.map(cslName).filter((n) => n.literal !== ''),
    // New-style ids start with the year and month of first submission (2403.01234: March 2024).
    ...(year ? { issued: { 'date-parts': [[Number(year), Number(p.arxivId.slice(2, 4))]] } } : {}),
    ...(p.abstract ? { abstract: p.abstract } : {}),
    publisher: 'arXiv',
    number: `arXiv:${p.arxivId}`,
    DOI: `10.48550/arXiv.${p.arxivId}`,
    URL: `https://arxiv.org/abs/${p.arxivId}`,
    ...(p.journalRef ? { note: `Journal reference: ${p.journalRef}` } : {}),
  };
}
