import type { Category, Paper } from './model.ts';
import { DigestBuilder, type Report } from './digest-builder.ts';
import { absUrlOf, quote, readArxivLink, readAuthors, readChineseTitle, readCodeLink, stripBreak, stripCr, unwrapBold } from './digest-fields.ts';
import { normaliseText } from './text.ts';
import { categoryNamed } from './category-heading.ts';

/**
 * The detailed format (blockquoted records with abstracts; see test/fixtures/README.md). It is not
 * CommonMark: field lines are lazy continuations of a blockquote, so a markdown AST would merge
 * them. Parsed line by line from the line after the header.
 */

const SECTION = /^>\s*##\s*(.*)$/;
const RULE = /^>\s*---+\s*$/;
const INDEX = /^>>\s*\*\*index:\*\*\s*(.*)$/;
const FIELD = /^\*\*([A-Za-z_]+):\*\*[ \t]?(.*)$/;
const DETAILS = /^<details>\s*<summary>[^<]*<\/summary>([\s\S]*?)(?:<\/details>)?$/;

const KNOWN_FIELDS = new Set(['Title', 'Title_cn', 'Authors', 'Abstract', 'Abstract_cn', 'PDF', 'Code']);

interface FieldValue {
  readonly value: string;
  readonly line: number;
}

interface OpenRecord {
  readonly line: number;
  readonly indexText: string;
  readonly fields: Map<string, FieldValue>;
  /** `null` for a record outside any category: already reported, never published. */
  readonly category: Category | null;
}

/** True when the first non-blank line after the header opens a blockquoted category. */
export function looksDetailed(line: string): boolean {
  return line.startsWith('>');
}

export function parseDetailedBody(lines: readonly string[], first: number, out: DigestBuilder): void {
  let category: Category | null = null;
  let open: OpenRecord | null = null;

  const close = (): void => {
    if (!open) return;
    out.add(open.line, open.category, open.category ? buildPaper(open, open.category, out.report) : null);
    open = null;
  };

  for (let i = first; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = stripCr(lines[i] ?? '');
    if (line.trim() === '') {
      close();
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      close();
      category = categoryNamed(section[1] ?? '', lineNo, out.report);
      continue;
    }
    if (RULE.test(line)) continue;
    const index = INDEX.exec(line);
    if (index) {
      close();
      out.records++;
      if (!category) out.report(lineNo, 'category', 'paper record outside any category', 'error');
      // An orphan record still consumes its field lines, so they are not reported a second time.
      open = { line: lineNo, indexText: stripBreak(index[1] ?? ''), fields: new Map(), category };
      continue;
    }
    const field = FIELD.exec(line);
    if (field) {
      const name = field[1] ?? '';
      if (!open) {
        out.report(lineNo, name, 'field line outside a paper record', 'warning');
        continue;
      }
      if (!KNOWN_FIELDS.has(name)) {
        out.report(lineNo, name, 'unknown field ignored', 'warning');
        continue;
      }
      if (open.fields.has(name)) {
        out.report(lineNo, name, `field repeated (first at line ${open.fields.get(name)?.line})`, 'warning');
        continue;
      }
      open.fields.set(name, { value: field[2] ?? '', line: lineNo });
      continue;
    }
    out.report(lineNo, open ? 'record' : 'line', `unexpected line ${quote(line)}`, 'warning');
  }
  close();
}

function buildPaper(rec: OpenRecord, category: Category, report: Report): Paper | null {
  const f = (name: string): FieldValue | undefined => rec.fields.get(name);
  let ok = true;
  const fail = (line: number, field: string, message: string): void => {
    report(line, field, message, 'error');
    ok = false;
  };

  const index = Number.parseInt(rec.indexText, 10);
  if (!/^\d+$/.test(rec.indexText) || !Number.isSafeInteger(index)) {
    report(rec.line, 'index', `index ${quote(rec.indexText)} is not a number`, 'warning');
  }

  const titleField = f('Title');
  const titleEn = titleField ? normaliseText(unwrapBold(stripBreak(titleField.value))) : '';
  if (!titleField) fail(rec.line, 'Title', 'missing');
  else if (!titleEn) fail(titleField.line, 'Title', 'empty');

  const pdfField = f('PDF');
  let link: { url: string; arxivId: string; version: number | null } | null = null;
  if (!pdfField) fail(rec.line, 'PDF', 'missing');
  else {
    const read = readArxivLink(stripBreak(pdfField.value));
    if ('error' in read) fail(pdfField.line, 'PDF', read.error);
    else link = read;
  }

  const authorsField = f('Authors');
  if (!authorsField) report(rec.line, 'Authors', 'missing', 'warning');
  const authors = authorsField ? readAuthors(stripBreak(authorsField.value)) : { authors: [], truncated: false };

  const titleZhField = f('Title_cn');
  const titleZh = titleZhField ? readChineseTitle(stripBreak(titleZhField.value)) : { raw: null, clean: null };

  const codeField = f('Code');
  let codeUrl: string | null = null;
  if (codeField) {
    const code = readCodeLink(stripBreak(codeField.value));
    codeUrl = code.url;
    if (code.warning) report(codeField.line, 'Code', code.warning, 'warning');
  }

  if (!ok || !link) return null;
  return {
    arxivId: link.arxivId,
    version: link.version,
    titleEn,
    titleZh: titleZh.clean,
    titleZhRaw: titleZh.raw,
    authors: authors.authors,
    authorsTruncated: authors.truncated,
    abstractEn: readAbstract(f('Abstract')),
    abstractZh: readAbstract(f('Abstract_cn')),
    pdfUrl: link.url,
    absUrl: absUrlOf(link.arxivId, link.version),
    codeUrl,
    category: category.slug,
    index: Number.isSafeInteger(index) ? index : 0,
  };
}

function readAbstract(field: FieldValue | undefined): string | null {
  if (!field) return null;
  const value = stripBreak(field.value);
  const details = DETAILS.exec(value);
  const text = normaliseText(details ? (details[1] ?? '') : value);
  return text === '' ? null : text;
}
