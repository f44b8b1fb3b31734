import { papersOf, type Digest, type Paper } from '../model.ts';

/**
 * arXiv-style BibTeX (`@misc` with eprint, archivePrefix and primaryClass, as arXiv's own export
 * writes it) for every paper of a day. Titles and names come from the readable digest (simple LaTeX
 * already turned into Unicode), so every LaTeX special character left is text and is escaped: a
 * title can never break out of its field or run a command in the reader's LaTeX.
 */

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '#': '\\#',
  $: '\\$',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  // \^{} and \~{} are accents (on nothing); the text commands are the characters themselves.
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  // In LaTeX's default (OT1) font encoding < > | print as ¡ ¿ —; the text commands print them.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

export function escapeLatex(text: string): string {
  // Control characters have no meaning in a .bib file and could end a field early in some tools.
  return (
    text
      .replace(/[\u0000-\u001F\u007F]+/g, ' ')
      .replace(/[\\{}#$%&_^~<>|]/g, (c) => SPECIAL[c] ?? c)
      // TeX ligatures (-- – , `` “ , '' ” , ?` ¿ , !` ¡) would change the text the page shows: an empty group breaks each.
      .replace(/-(?=-)|`(?=`)|'(?=')|[?!](?=`)/g, '$&{}')
  );
}

/** A name as BibTeX reads it: one holding the word "and" would be split in two, so it is kept whole in braces. */
function bibName(name: string): string {
  const escaped = escapeLatex(name.trim());
  return /(^|\s)and(\s|$)/i.test(escaped) ? `{${escaped}}` : escaped;
}

/** New-style ids start with YYMM: the year the paper was first submitted, which arXiv's export uses. */
export function arxivYear(arxivId: string): string | null {
  const m = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(arxivId);
  return m ? `20${m[1]}` : null;
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'to', 'in', 'and', 'with', 'towards', 'toward', 'via', 'from', 'is', 'are', 'do', 'does', 'can', 'what', 'how', 'when', 'why', 'by', 'at', 'as']);

/** Lower-case ASCII letters and digits of `text`, accents folded (Fréchet → frechet). */
function asciiWord(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `lastname` + `year` + first significant title word, as Google Scholar and arXiv's export spell keys. */
/** What a citation needs of a paper: a day's paper, or one in a reader's library. */
export type CitedPaper = Pick<Paper, 'arxivId' | 'titleEn' | 'authors' | 'authorsTruncated'> & { readonly abstract?: string | null };

function baseKey(p: CitedPaper): string {
  const first = p.authors[0]?.trim().split(/\s+/).pop() ?? '';
  const word = p.titleEn.split(/[\s\-:]+/).map(asciiWord).find((w) => w.length > 1 && !STOP_WORDS.has(w)) ?? '';
  return `${asciiWord(first) || 'arxiv'}${arxivYear(p.arxivId) ?? ''}${word}`;
}

export interface BibEntry {
  readonly key: string;
  readonly text: string;
}

function entryText(p: CitedPaper, key: string): string {
  const authors = p.authors.map(bibName).filter(Boolean);
  if (p.authorsTruncated) authors.push('others');
  const year = arxivYear(p.arxivId);
  const fields: [string, string][] = [
    // Double braces keep the title's capitals (NeRF, 3D) from being lower-cased by a style.
    ['title', `{${escapeLatex(p.titleEn)}}`],
    ['author', authors.join(' and ')],
    ...(year ? ([['year', year]] as [string, string][]) : []),
    ['eprint', escapeLatex(p.arxivId)],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', 'cs.CV'],
    ['url', `https://arxiv.org/abs/${escapeLatex(p.arxivId)}`],
    ...(p.abstract ? ([['abstract', escapeLatex(p.abstract)]] as [string, string][]) : []),
  ];
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}},`).join('\n')}\n}\n`;
}

/**
 * One entry per arXiv id (a paper listed in two categories is cited once), in page order. Keys are a
 * function of the day's papers alone, so a rebuild gives the same keys; two papers that would share
 * one get `a`, `b`, … in arXiv-id order.
 */
export function bibEntries(digest: Digest): Map<string, BibEntry> {
  return bibEntriesOf(papersOf(digest));
}

/** As `bibEntries`, for any list of papers (a reader's library). */
export function bibEntriesOf(list: readonly CitedPaper[]): Map<string, BibEntry> {
  const papers = [...new Map(list.map((p) => [p.arxivId, p])).values()];
  const byBase = new Map<string, CitedPaper[]>();
  for (const p of papers) byBase.set(baseKey(p), [...(byBase.get(baseKey(p)) ?? []), p]);
  const keys = new Map<string, string>();
  for (const [base, group] of byBase) {
    if (group.length === 1) keys.set(group[0]!.arxivId, base);
    else [...group].sort((a, b) => a.arxivId.localeCompare(b.arxivId)).forEach((p, i) => keys.set(p.arxivId, `${base}${String.fromCharCode(97 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`));
  }
  return new Map(papers.map((p) => [p.arxivId, { key: keys.get(p.arxivId)!, text: entryText(p, keys.get(p.arxivId)!) }]));
}

/** The day's `.bib` file. */
export function dayBibtex(digest: Digest): string {
  const entries = [...bibEntries(digest).values()];
  return `% Paperboy · arXiv cs.CV · ${digest.date} · ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}\n\n${entries.map((e) => e.text).join('\n')}`;
}
