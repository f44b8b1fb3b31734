import { XMLParser } from 'fast-xml-parser';
import { normaliseText } from '../text.ts';
import { idFromAbsUrl, type ArxivRecord } from './record.ts';

/**
 * Reads an answer of arXiv's query API (an Atom feed with `arxiv:` and `opensearch:` extensions).
 * An id arXiv cannot read comes back as a single entry whose id is an `api/errors#…` URL; that is
 * the answer's error, not a paper.
 */

export class ArxivAnswerError extends Error {
  constructor(detail: string) {
    super(`arXiv API answer: ${detail}`);
    this.name = 'ArxivAnswerError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'author', 'link', 'category'].includes(name),
  // Text nodes are read as strings: an abstract of "1e3" must not turn into a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // By default fast-xml-parser decodes only the five named XML entities and leaves character
  // references (`&#39;`, `&#x4E2D;`) as text; this makes it decode them, once.
  htmlEntities: true,
});

type Node = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) return String((value as Node)['#text']);
  return '';
}

function optional(value: unknown): string | null {
  const t = normaliseText(text(value));
  return t === '' ? null : t;
}

export interface ApiAnswer {
  readonly records: readonly ArxivRecord[];
  /** `opensearch:totalResults`: how many entries arXiv says the query has. */
  readonly totalResults: number | null;
}

export function parseApiAnswer(xml: string): ApiAnswer {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new ArxivAnswerError(`not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  const feed = doc.feed as Node | undefined;
  if (!feed || typeof feed !== 'object') throw new ArxivAnswerError('no Atom <feed> element');
  const entries = (feed.entry as Node[] | undefined) ?? [];
  const records: ArxivRecord[] = [];
  for (const entry of entries) {
    const idUrl = text(entry.id).trim();
    if (idUrl.includes('/api/errors')) throw new ArxivAnswerError(`error entry: ${normaliseText(text(entry.summary)) || idUrl}`);
    const id = idFromAbsUrl(idUrl);
    if (!id) throw new ArxivAnswerError(`entry id ${JSON.stringify(idUrl.slice(0, 80))} is not an arXiv abstract URL`);
    const primary = entry['arxiv:primary_category'] as Node | undefined;
    records.push({
      ...id,
      title: normaliseText(text(entry.title)),
      abstract: normaliseText(text(entry.summary)),
      authors: ((entry.author as Node[] | undefined) ?? []).map((a) => normaliseText(text(a.name))).filter((a) => a !== ''),
      primaryCategory: primary ? (optional(primary['@term']) ?? null) : null,
      categories: ((entry.category as Node[] | undefined) ?? []).map((c) => normaliseText(text(c['@term']))).filter((c) => c !== ''),
      comment: optional(entry['arxiv:comment']),
      journalRef: optional(entry['arxiv:journal_ref']),
      published: optional(entry.published),
      updated: optional(entry.updated),
    });
  }
  const total = Number.parseInt(text(feed['opensearch:totalResults']), 10);
  return { records, totalResults: Number.isFinite(total) ? total : null };
}
