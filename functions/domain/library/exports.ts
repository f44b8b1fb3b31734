import { bibEntriesOf } from '../citations/bibtex.ts';
import type { Library } from './library.ts';

/** The library as a `.bib` file (arXiv-style @misc entries with their abstracts), newest saved first. */
export function libraryBibtex(lib: Library): string {
  const entries = [...bibEntriesOf(lib.saved.map((e) => ({ arxivId: e.id, titleEn: e.title, authors: e.authors, authorsTruncated: false, abstract: e.abstract }))).values()];
  return `% Paperboy library · ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}\n\n${entries.map((e) => e.text).join('\n')}`;
}
