import { DigestBuilder } from './digest-builder.ts';
import { isRealDate, quote, stripCr } from './digest-fields.ts';
import { DigestRejectedError, type RecordProblem } from './errors.ts';
import type { Digest, DigestFormat, HeaderStyle } from './model.ts';
import { looksDetailed, parseDetailedBody } from './parse-detailed.ts';
import { looksTabular, parseTableBody } from './parse-table.ts';

/**
 * Reads a daily digest in either published format: the detailed one (2024-01..2024-11-28) or the
 * table one (all of 2024, the only one after 2024-11-29). The header names the day; the first line
 * after it tells the formats apart.
 */

export interface ParseResult {
  readonly digest: Digest;
  /** Paper records seen, including the ones skipped. */
  readonly records: number;
  /** Paper records left out of the digest because of an `error` problem. */
  readonly skipped: number;
  /** Distinct arXiv ids the bytes link to, counted without the parser: what the file names. */
  readonly namedIds: number;
  /** Problems found; `error`s are records that were skipped. */
  readonly problems: readonly RecordProblem[];
  /**
   * Signs of a damaged file that no single record shows: the last record is broken and no line
   * feed ends the file (cut off in transfer), or lines end in bare CR only (no line feeds at all).
   */
  readonly damage: readonly string[];
}

const HEADERS: ReadonlyArray<readonly [RegExp, HeaderStyle]> = [
  [/^##\s*\[UPDATED!\]\s*\*\*(\d{4}-\d{2}-\d{2})\*\*\s*\(Update Time\)\s*$/, 'modern-update'],
  // Any other tail is read as the usual "(Publish Time)": the date is what matters.
  [/^##\s*\[UPDATED!\]\s*\*\*(\d{4}-\d{2}-\d{2})\*\*/, 'modern'],
  [/^#\s*!UPDATED\s+--\s*(\d{4}-\d{2}-\d{2})\s*$/, 'legacy'],
  [/^##\s*!UPDATED\s+--\s*(\d{4}-\d{2}-\d{2})\s*$/, 'legacy-table'],
];
const HEADER_HELP = '"## [UPDATED!] **YYYY-MM-DD** (Publish Time)", "… (Update Time)", "# !UPDATED  -- YYYY-MM-DD" or "## !UPDATED  -- YYYY-MM-DD"';

/** arXiv abs/PDF links anywhere in the text: an independent count of the papers a file names. */
const ARXIV_LINK = /arxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5})/gi;

export function countNamedIds(text: string): number {
  return new Set(Array.from(text.matchAll(ARXIV_LINK), (m) => m[1])).size;
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

/** The format of a digest's text, without parsing its records; `null` when the header is unreadable. */
export function sniffDigestFormat(text: string): DigestFormat | null {
  try {
    return parseDigest(text.split('\n').slice(0, 40).join('\n'), 'sniff').digest.format ?? 'detailed';
  } catch {
    return null;
  }
}

export function parseDigest(input: string | Uint8Array, file: string): ParseResult {
  const text = (typeof input === 'string' ? input : decodeDigest(input, file)).replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  // Line 1 is where an empty file is wrong: there is no later line to name.
  if (text.trim() === '') throw new DigestRejectedError({ file, line: 1, field: 'header' }, text === '' ? 'the file is empty' : 'the file holds only blank lines');

  let cursor = 0;
  while (cursor < lines.length && stripCr(lines[cursor] ?? '').trim() === '') cursor++;
  const headerLine = stripCr(lines[cursor] ?? '').trim();
  const header = readHeader(headerLine);
  if (!header) {
    throw new DigestRejectedError({ file, line: cursor + 1, field: 'header' }, `expected ${HEADER_HELP}, found ${quote(headerLine)}`);
  }
  if (!isRealDate(header.date)) {
    throw new DigestRejectedError({ file, line: cursor + 1, field: 'date' }, `${header.date} is not a calendar date`);
  }

  let body = cursor + 1;
  while (body < lines.length && stripCr(lines[body] ?? '').trim() === '') body++;
  const firstBodyLine = stripCr(lines[body] ?? '').trim();
  const format: DigestFormat =
    firstBodyLine === '' ? (header.style === 'legacy-table' || header.style === 'modern-update' ? 'table' : 'detailed') : looksDetailed(firstBodyLine) ? 'detailed' : looksTabular(firstBodyLine) ? 'table' : 'detailed';

  const out = new DigestBuilder(file);
  if (format === 'table') parseTableBody(lines, body, out);
  else parseDetailedBody(lines, body, out);

  const digest: Digest = { date: header.date, source: file, headerStyle: header.style, format, sections: out.build() };
  const damage: string[] = [];
  if (!text.includes('\n') && text.includes('\r')) damage.push('the file has no line feeds (bare CR line endings): its lines cannot be told apart');
  else if (out.lastSkipped && !/\n\s*$/.test(text)) damage.push(`the file ends inside its last record (line ${lines.length}) without a final line feed: it was cut off`);
  return { digest, records: out.records, skipped: out.skipped, namedIds: countNamedIds(text), problems: out.problems, damage };
}

function readHeader(line: string): { date: string; style: HeaderStyle } | null {
  for (const [pattern, style] of HEADERS) {
    const m = pattern.exec(line);
    if (m?.[1]) return { date: m[1], style };
  }
  return null;
}
