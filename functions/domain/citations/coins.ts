import type { Paper } from '../model.ts';
import { arxivYear } from './bibtex.ts';

/**
 * The ContextObject (OpenURL 1.0, Z39.88-2004, KEV format) a COinS span carries in its `title`, so a
 * reference manager's connector (Zotero's reads every `span.Z3988` on a page) sees each paper as an
 * item. The journal format has a `preprint` genre; each author is one `rft.au`, as the spec wants
 * for full names. Values are percent-encoded UTF-8; the page escapes the whole string for HTML.
 */
export function coinsContext(p: Paper): string {
  const pairs: [string, string][] = [
    ['ctx_ver', 'Z39.88-2004'],
    ['rft_val_fmt', 'info:ofi/fmt:kev:mtx:journal'],
    ['rft.genre', 'preprint'],
    ['rft.atitle', p.titleEn],
    ['rft.jtitle', 'arXiv'],
    ...p.authors.map((name): [string, string] => ['rft.au', name]),
  ];
  const year = arxivYear(p.arxivId);
  if (year) pairs.push(['rft.date', year]);
  pairs.push(['rft_id', `info:arxiv/${p.arxivId}`], ['rft_id', `https://arxiv.org/abs/${p.arxivId}`]);
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
