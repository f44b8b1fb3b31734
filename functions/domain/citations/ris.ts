import { arxivYear, type CitedPaper } from './bibtex.ts';
import { cslName } from './csl-json.ts';

/**
 * RIS (the tagged format Zotero, Mendeley and EndNote import): one record per paper, `TAG  - value`
 * lines ending in `ER  - `. An arXiv e-print is an unpublished work (`UNPB`), with arXiv's DOI and
 * abstract page. RIS has no escaping: a value is one line, so every line break and control character
 * in a title, name or abstract becomes a space, and no text can start a line or hold a tag (a forged
 * `ER  - ` or `TY  - ` would end the record or start another one).
 */
// Runs of spaces go too: a tag is two letters and two spaces before its dash, and some readers (Citation.js's) find
// one anywhere in a line, so "ER  - " inside a title would end it there.
const oneLine = (text: string): string => text.replace(/[\s\u0000-\u001F\u007F\u0085]+/g, ' ').trim();

/** A paper as RIS has it: `journalRef` is arXiv's reference to where it was published, kept as a note. */
export function risRecord(p: CitedPaper & { readonly journalRef?: string | null }): string {
  const lines: [string, string][] = [['TY', 'UNPB'], ['TI', p.titleEn]];
  // "Family, Given", as Zotero writes authors and RIS readers split them.
  for (const name of p.authors) {
    const n = cslName(oneLine(name));
    lines.push(['AU', n.literal ?? `${n.family}, ${n.given}`]);
  }
  const year = arxivYear(p.arxivId);
  // New-style ids start with the year and month of first submission (2403.01234: March 2024).
  if (year) lines.push(['PY', year], ['DA', `${year}/${p.arxivId.slice(2, 4)}`]);
  if (p.abstract) lines.push(['AB', p.abstract]);
  lines.push(['PB', 'arXiv'], ['DO', `10.48550/arXiv.${p.arxivId}`], ['UR', `https://arxiv.org/abs/${p.arxivId}`], ['M1', `arXiv:${p.arxivId}`]);
  if (p.journalRef) lines.push(['N1', `Journal reference: ${p.journalRef}`]);
  const body = lines.map(([tag, value]) => [tag, oneLine(value)] as const).filter(([, v]) => v !== '');
  return `${body.map(([tag, value]) => `${tag}  - ${value}`).join('\r\n')}\r\nER  - \r\n`;
}
