import { bibEntriesOf, type CitedPaper } from '../citations/bibtex.ts';
import { cslItem } from '../citations/csl-json.ts';
import { risRecord } from '../citations/ris.ts';
import type { Library, LibraryEntry } from './library.ts';

/** A saved paper as the citation formats cite it. */
const cited = (e: LibraryEntry): CitedPaper & { journalRef: string | null } => ({ arxivId: e.id, titleEn: e.title, authors: e.authors, authorsTruncated: false, abstract: e.abstract, journalRef: e.journalRef ?? null });

/** The saved papers, each once, newest saved first. */
const savedOnce = (lib: Library): LibraryEntry[] => [...new Map(lib.saved.map((e) => [e.id, e])).values()];

/** The library as a `.bib` file (arXiv-style @misc entries with their abstracts), newest saved first. */
export function libraryBibtex(lib: Library): string {
  const entries = [...bibEntriesOf(lib.saved.map(cited)).values()];
  return `% Paperboy library · ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}\n\n${entries.map((e) => e.text).join('\n')}`;
}

/** The library as a `.ris` file (Zotero, Mendeley, EndNote), newest saved first, one record per paper. */
export function libraryRis(lib: Library): string {
  return savedOnce(lib).map((e) => risRecord(cited(e))).join('\r\n');
}

/** The library as CSL-JSON (an array of items), newest saved first. */
export function libraryCslJson(lib: Library): string {
  return `${JSON.stringify(savedOnce(lib).map((e) => cslItem(cited(e))), null, 2)}\n`;
}
