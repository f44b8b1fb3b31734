import type { Category, Paper } from './model.ts';
import { DigestBuilder } from './digest-builder.ts';
import { absUrlOf, quote, readArxivLink, readAuthors, readChineseTitle, readCodeLink, stripCr, unwrapBold } from './digest-fields.ts';
import { normaliseText, hasCjk } from './text.ts';
import { categoryNamed } from './category-heading.ts';

/**
 * The table format (the only one published after 2024-11-29; see test/fixtures/table/README.md):
 * one `## <category>` heading per category, each followed by a markdown table whose header names
 * the columns in English or Chinese. Rows come with or without the outer pipes, cells with or
 * without bold. No abstracts.
 */

type Column = 'date' | 'title' | 'titleZh' | 'authors' | 'pdf' | 'code';

/** Every header cell seen over 2024, by the column it names. */
const COLUMN_NAMES: Readonly<Record<string, Column>> = {
  'publish date': 'date',
  发布日期: 'date',
  title: 'title',
  英文标题: 'title',
  title_cn: 'titleZh',
  中文标题: 'titleZh',
  authors: 'authors',
  作者: 'authors',
  pdf: 'pdf',
  pdf链接: 'pdf',
  code: 'code',
  代码链接: 'code',
};

const HEADING = /^##\s+(.*)$/;
const SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

interface Table {
  readonly line: number;
  /** Column of each cell position; `null` for a column this parser does not read. */
  readonly columns: readonly (Column | null)[];
  /** Why rows of this table cannot be read, when its header lacks a title or link column. */
  readonly unusable: string | null;
}

/** True when the first non-blank line after the header is a category heading or a table line. */
export function looksTabular(line: string): boolean {
  return HEADING.test(line) || line.startsWith('|');
}

/** Splits a row on pipes that are not escaped; a row may or may not carry the outer pipes. */
export function splitRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1);
  return body.split(/(?<!\\)\|/).map((c) => c.replaceAll('\\|', '|').trim());
}

function readTableHeader(line: string, lineNo: number, report: DigestBuilder['report']): Table | null {
  const cells = splitRow(line);
  const columns = cells.map((c) => COLUMN_NAMES[normaliseText(c).toLowerCase()] ?? null);
  // A header row is one whose cells are mostly column names; anything else is a data row.
  if (columns.filter((c) => c !== null).length < 3) return null;
  cells.forEach((c, i) => {
    if (columns[i] === null) report(lineNo, 'table', `column ${quote(c)} is not one Paperboy reads; ignored`, 'warning');
  });
  const missing = (['title', 'pdf'] as const).filter((c) => !columns.includes(c));
  return { line: lineNo, columns, unusable: missing.length ? `table header at line ${lineNo} has no ${missing.join(' or ')} column` : null };
}

export function parseTableBody(lines: readonly string[], first: number, out: DigestBuilder): void {
  let category: Category | null = null;
  let table: Table | null = null;
  for (let i = first; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = stripCr(lines[i] ?? '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const heading = HEADING.exec(trimmed);
    if (heading) {
      category = categoryNamed(heading[1] ?? '', lineNo, out.report);
      table = null;
      continue;
    }
    if (!trimmed.includes('|')) {
      out.report(lineNo, 'line', `unexpected line ${quote(trimmed)}`, 'warning');
      continue;
    }
    if (SEPARATOR.test(trimmed)) continue;
    const header = readTableHeader(trimmed, lineNo, out.report);
    if (header) {
      table = header;
      if (!category) out.report(lineNo, 'category', 'table outside any category', 'error');
      continue;
    }
    out.records++;
    if (!table) {
      out.report(lineNo, 'row', 'table row before any table header', 'error');
      out.add(lineNo, category, null);
      continue;
    }
    if (table.unusable) {
      out.report(lineNo, 'row', table.unusable, 'error');
      out.add(lineNo, category, null);
      continue;
    }
    if (!category) out.report(lineNo, 'category', 'paper row outside any category', 'error');
    const paper = category ? readRow(splitRow(trimmed), table, lineNo, category, out) : null;
    out.add(lineNo, category, paper);
  }
}

/**
 * Maps a row's cells to columns. A title holding an unescaped `|` adds cells: the date comes first
 * and the author and link columns last, so extra cells belong to the title column(s); with two title
 * columns the Chinese one starts at the first surplus cell with Chinese in it.
 */
function cellsByColumn(cells: readonly string[], table: Table): Map<Column, string> | string {
  const cols = table.columns;
  const byColumn = new Map<Column, string>();
  if (cells.length === cols.length) {
    cols.forEach((c, i) => c && byColumn.set(c, cells[i] ?? ''));
    return byColumn;
  }
  if (cells.length < cols.length) return `${cells.length} cells, the table has ${cols.length} columns`;
  const titleAt = cols.indexOf('title');
  const zhAt = cols.indexOf('titleZh');
  const lastTitle = Math.max(titleAt, zhAt);
  if (cols.slice(0, titleAt).some((c) => c === 'titleZh') || (zhAt >= 0 && zhAt !== titleAt + 1)) {
    return `${cells.length} cells, the table has ${cols.length} columns`;
  }
  const surplus = cells.length - cols.length;
  const before = cells.slice(0, titleAt);
  const middle = cells.slice(titleAt, lastTitle + 1 + surplus);
  const after = cells.slice(lastTitle + 1 + surplus);
  cols.slice(0, titleAt).forEach((c, i) => c && byColumn.set(c, before[i] ?? ''));
  cols.slice(lastTitle + 1).forEach((c, i) => c && byColumn.set(c, after[i] ?? ''));
  if (zhAt < 0) {
    byColumn.set('title', middle.join(' | '));
    return byColumn;
  }
  const zhStart = middle.findIndex((c, i) => i > 0 && hasCjk(c));
  if (zhStart < 0) return `${cells.length} cells, the table has ${cols.length} columns, and the titles cannot be told apart`;
  byColumn.set('title', middle.slice(0, zhStart).join(' | '));
  byColumn.set('titleZh', middle.slice(zhStart).join(' | '));
  return byColumn;
}

function readRow(cells: readonly string[], table: Table, lineNo: number, category: Category, out: DigestBuilder): Paper | null {
  const byColumn = cellsByColumn(cells, table);
  if (typeof byColumn === 'string') {
    out.report(lineNo, 'row', byColumn, 'error');
    return null;
  }
  let ok = true;
  const titleEn = normaliseText(unwrapBold(byColumn.get('title') ?? ''));
  if (!titleEn) {
    out.report(lineNo, 'Title', 'empty', 'error');
    ok = false;
  }
  const link = readArxivLink(unwrapBold(byColumn.get('pdf') ?? ''));
  if ('error' in link) {
    out.report(lineNo, 'PDF', link.error, 'error');
    ok = false;
  }
  const date = unwrapBold(byColumn.get('date') ?? '');
  if (byColumn.has('date') && !/^\d{4}-\d{2}-\d{2}$/.test(date)) out.report(lineNo, 'Publish Date', `not a date: ${quote(date)}`, 'warning');
  const code = readCodeLink(byColumn.get('code') ?? '');
  if (code.warning) out.report(lineNo, 'Code', code.warning, 'warning');
  if (!ok || 'error' in link) return null;
  const authors = readAuthors(byColumn.get('authors') ?? '');
  const titleZh = table.columns.includes('titleZh') ? readChineseTitle(unwrapBold(byColumn.get('titleZh') ?? '')) : { raw: null, clean: null };
  return {
    arxivId: link.arxivId,
    version: link.version,
    titleEn,
    titleZh: titleZh.clean,
    titleZhRaw: titleZh.raw,
    authors: authors.authors,
    authorsTruncated: authors.truncated,
    abstractEn: null,
    abstractZh: null,
    pdfUrl: link.url,
    absUrl: absUrlOf(link.arxivId, link.version),
    codeUrl: code.url,
    category: category.slug,
    index: out.countIn(category) + 1,
  };
}
