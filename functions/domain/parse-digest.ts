import { categoryFor } from './categories.ts';
import { cleanChineseTitle } from './chinese-title.ts';
import { DigestRejectedError, type RecordProblem } from './errors.ts';
import type { Category, Digest, HeaderStyle, Paper, Section } from './model.ts';
import { normaliseText } from './text.ts';

/**
 * Line-by-line parser for the daily digest. The format is not CommonMark (field lines are lazy
 * continuations of a blockquote), so a markdown AST would merge the fields; see test/fixtures/README.md.
 */

export interface ParseResult {
  readonly digest: Digest;
  /** Paper records seen, including the ones skipped. */
  readonly records: number;
  /** Paper records left out of the digest because of an `error` problem. */
  readonly skipped: number;
  /** Problems found; `error`s are records that were skipped. */
  readonly problems: readonly RecordProblem[];
}

const MODERN_HEADER = /^##\s*\[UPDATED!\]\s*\*\*(\d{4}-\d{2}-\d{2})\*\*/;
const LEGACY_HEADER = /^#\s*!UPDATED\s+--\s*(\d{4}-\d{2}-\d{2})\s*$/;
const SECTION = /^>\s*##\s*(.*)$/;
const RULE = /^>\s*---+\s*$/;
const INDEX = /^>>\s*\*\*index:\*\*\s*(.*)$/;
const FIELD = /^\*\*([A-Za-z_]+):\*\*[ \t]?(.*)$/;
// No leading \s*: on a long run of spaces that would backtrack quadratically.
const LINE_BREAK_TAIL = /<br\s*\/?>\s*$/i;
const DETAILS = /^<details>\s*<summary>[^<]*<\/summary>([\s\S]*?)(?:<\/details>)?$/;
const ARXIV_ID = /(?:abs|pdf)\/(\d{4}\.\d{4,5})(?:v(\d+))?(?:\.pdf)?\/?$/;
const HTTP_URL = /^https?:\/\/[^\s<>"]+$/i;
const FIRST_URL = /https?:\/\/[^\s<>"*\])]+/i;

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

export function decodeDigest(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw new DigestRejectedError({ file, line, field: 'encoding' }, 'not valid UTF-8');
  }
}

export function parseDigest(input: string | Uint8Array, file: string): ParseResult {
  const text = typeof input === 'string' ? input : decodeDigest(input, file);
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const problems: RecordProblem[] = [];
  const report = (line: number, field: string, message: string, severity: RecordProblem['severity']): void => {
    problems.push({ file, line, field, message, severity });
  };

  let cursor = 0;
  while (cursor < lines.length && stripCr(lines[cursor] ?? '').trim() === '') cursor++;
  const headerLine = stripCr(lines[cursor] ?? '');
  const header = readHeader(headerLine);
  if (!header) {
    throw new DigestRejectedError(
      { file, line: cursor + 1, field: 'header' },
      `expected "## [UPDATED!] **YYYY-MM-DD** (Publish Time)" or "# !UPDATED  -- YYYY-MM-DD", found ${quote(headerLine)}`,
    );
  }
  if (!isRealDate(header.date)) {
    throw new DigestRejectedError({ file, line: cursor + 1, field: 'date' }, `${header.date} is not a calendar date`);
  }

  const sections = new Map<string, { category: Category; papers: Paper[] }>();
  const seenIds = new Map<string, number>();
  let records = 0;
  let skipped = 0;
  let category: Category | null = null;
  let open: OpenRecord | null = null;

  const close = (): void => {
    if (!open) return;
    const paper = open.category ? buildPaper(open, open.category, report) : null;
    if (paper && open.category) {
      const firstLine = seenIds.get(paper.arxivId);
      if (firstLine !== undefined) {
        skipped++;
        report(open.line, 'PDF', `arXiv id ${paper.arxivId} already listed at line ${firstLine}`, 'error');
      } else {
        seenIds.set(paper.arxivId, open.line);
        let section = sections.get(open.category.slug);
        if (!section) {
          section = { category: open.category, papers: [] };
          sections.set(open.category.slug, section);
        }
        section.papers.push(paper);
      }
    } else {
      skipped++;
    }
    open = null;
  };

  for (let i = cursor + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = stripCr(lines[i] ?? '');
    if (line.trim() === '') {
      close();
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      close();
      const name = normaliseText((section[1] ?? '').replace(/^\*\*|\*\*$/g, ''));
      if (!name) {
        report(lineNo, 'category', 'category heading has no name', 'warning');
        category = null;
      } else {
        category = categoryFor(name);
      }
      continue;
    }
    if (RULE.test(line)) continue;
    const index = INDEX.exec(line);
    if (index) {
      close();
      records++;
      if (!category) {
        report(lineNo, 'category', 'paper record outside any category', 'error');
      }
      // An orphan record still consumes its field lines, so they are not reported a second time.
      open = { line: lineNo, indexText: stripBreak(index[1] ?? ''), fields: new Map(), category };
      continue;
    }
    const field = FIELD.exec(line);
    if (field) {
      const name = field[1] ?? '';
      if (!open) {
        report(lineNo, name, 'field line outside a paper record', 'warning');
        continue;
      }
      if (!KNOWN_FIELDS.has(name)) {
        report(lineNo, name, 'unknown field ignored', 'warning');
        continue;
      }
      if (open.fields.has(name)) {
        report(lineNo, name, `field repeated (first at line ${open.fields.get(name)?.line})`, 'warning');
        continue;
      }
      open.fields.set(name, { value: field[2] ?? '', line: lineNo });
      continue;
    }
    report(lineNo, open ? 'record' : 'line', `unexpected line ${quote(line)}`, 'warning');
  }
  close();

  const orderedSections: Section[] = [...sections.values()].filter((s) => s.papers.length > 0);
  const digest: Digest = { date: header.date, source: file, headerStyle: header.style, sections: orderedSections };
  return { digest, records, skipped, problems };
}

function buildPaper(
  rec: OpenRecord,
  category: Category,
  report: (line: number, field: string, message: string, severity: RecordProblem['severity']) => void,
): Paper | null {
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
  let pdfUrl = '';
  let arxivId = '';
  let version: number | null = null;
  if (!pdfField) {
    fail(rec.line, 'PDF', 'missing');
  } else {
    const url = extractUrl(stripBreak(pdfField.value));
    const id = url ? ARXIV_ID.exec(url) : null;
    if (!url) fail(pdfField.line, 'PDF', `no link in ${quote(stripBreak(pdfField.value))}`);
    else if (!id) fail(pdfField.line, 'PDF', `no arXiv id in ${quote(url)}`);
    else {
      pdfUrl = url;
      arxivId = id[1] ?? '';
      version = id[2] === undefined ? null : Number.parseInt(id[2], 10);
    }
  }

  const authorsField = f('Authors');
  let authors: string[] = [];
  let authorsTruncated = false;
  if (!authorsField) {
    report(rec.line, 'Authors', 'missing', 'warning');
  } else {
    authors = stripBreak(authorsField.value)
      .split(',')
      .map(normaliseText)
      .filter((a) => a !== '');
    const last = authors[authors.length - 1];
    if (last !== undefined && /^et\.?\s*al\.?$/i.test(last)) {
      authors.pop();
      authorsTruncated = true;
    }
  }

  const titleZhField = f('Title_cn');
  const titleZhRaw = titleZhField ? normaliseText(stripBreak(titleZhField.value)) || null : null;

  const codeField = f('Code');
  let codeUrl: string | null = null;
  if (codeField) {
    const value = stripBreak(codeField.value).replace(/^\*+|\*+$/g, '').trim();
    if (value !== '' && value.toLowerCase() !== 'null') {
      // Beyond the usual forms, take the first http(s) link in the field (e.g. several links in a row).
      codeUrl = extractUrl(value) ?? FIRST_URL.exec(value)?.[0] ?? null;
      if (!codeUrl) report(codeField.line, 'Code', `not a link: ${quote(value)}`, 'warning');
    }
  }

  if (!ok) return null;
  return {
    arxivId,
    version,
    titleEn,
    titleZh: titleZhRaw === null ? null : cleanChineseTitle(titleZhRaw),
    titleZhRaw,
    authors,
    authorsTruncated,
    abstractEn: readAbstract(f('Abstract')),
    abstractZh: readAbstract(f('Abstract_cn')),
    pdfUrl,
    absUrl: `https://arxiv.org/abs/${arxivId}${version === null ? '' : `v${version}`}`,
    codeUrl,
    category: category.slug,
    index: Number.isSafeInteger(index) ? index : 0,
  };
}

function readHeader(line: string): { date: string; style: HeaderStyle } | null {
  const modern = MODERN_HEADER.exec(line);
  if (modern?.[1]) return { date: modern[1], style: 'modern' };
  const legacy = LEGACY_HEADER.exec(line);
  if (legacy?.[1]) return { date: legacy[1], style: 'legacy' };
  return null;
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
}

function readAbstract(field: FieldValue | undefined): string | null {
  if (!field) return null;
  const value = stripBreak(field.value);
  const details = DETAILS.exec(value);
  const text = normaliseText(details ? (details[1] ?? '') : value);
  return text === '' ? null : text;
}

/** `<url>`, `[label](url)` or a bare URL; `null` when none is there. */
function extractUrl(value: string): string | null {
  const v = value.trim();
  let candidate = v;
  if (v.startsWith('<') && v.endsWith('>')) candidate = v.slice(1, -1);
  else {
    const md = /^\[[^\]]*\]\(([^()\s]+)\)$/.exec(v);
    if (md?.[1]) candidate = md[1];
  }
  candidate = candidate.trim();
  return HTTP_URL.test(candidate) ? candidate : null;
}

function unwrapBold(value: string): string {
  const v = value.trim();
  if (v.length >= 4 && v.startsWith('**') && v.endsWith('**')) return v.slice(2, -2);
  return v;
}

function stripBreak(value: string): string {
  return value.replace(LINE_BREAK_TAIL, '').trimEnd();
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return JSON.stringify(short);
}
