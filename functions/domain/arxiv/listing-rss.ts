import { XMLParser } from 'fast-xml-parser';
import { normaliseText } from '../text.ts';
import { ArxivAnswerError } from './api-atom.ts';

/**
 * Reads arXiv's daily listing feed (`rss.arxiv.org/rss/<category>`, RSS 2.0 with an
 * `arxiv:announce_type` per item): which papers the last announcement listed, and on which day.
 * The feed carries no comments and folds authors into one string, so only ids, versions and the
 * announce type are taken from it; the API supplies the fields.
 */

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface ListingEntry {
  readonly arxivId: string;
  readonly version: number | null;
  readonly announceType: AnnounceType;
}

export interface Listing {
  /** The announcement day (`YYYY-MM-DD`, arXiv's own calendar day); `null` when the feed lists nothing. */
  readonly date: string | null;
  readonly entries: readonly ListingEntry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => name === 'item',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
});

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TYPES = new Set<string>(['new', 'cross', 'replace', 'replace-cross']);
const GUID_ID = /(\d{4}\.\d{4,5})(?:v(\d+))?$/;

type Node = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) return String((value as Node)['#text']);
  return '';
}

/**
 * The calendar day an RFC 822 date names, read from its own fields: `Fri, 29 Nov 2024 00:00:00
 * -0500` is 2024-11-29 however far that zone is from UTC, which is the day arXiv announced.
 */
export function dayOfRfc822(value: string): string | null {
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(value);
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toLowerCase());
  if (month < 0) return null;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
}

export function parseListing(xml: string): Listing {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new ArxivAnswerError(`listing is not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel || typeof channel !== 'object') throw new ArxivAnswerError('listing has no RSS <channel>');
  const items = (channel.item as Node[] | undefined) ?? [];
  const entries: ListingEntry[] = [];
  items.forEach((item, i) => {
    const where = `listing item ${i + 1}`;
    const source = text(item.guid) || text(item.link);
    const id = GUID_ID.exec(normaliseText(source));
    if (!id?.[1]) throw new ArxivAnswerError(`${where}: guid/link ${JSON.stringify(source.slice(0, 80))} names no arXiv id`);
    const type = normaliseText(text(item['arxiv:announce_type']));
    if (!TYPES.has(type)) throw new ArxivAnswerError(`${where} (${id[1]}): announce_type ${JSON.stringify(type)} is not one of ${[...TYPES].join(', ')}`);
    entries.push({ arxivId: id[1], version: id[2] === undefined ? null : Number.parseInt(id[2], 10), announceType: type as AnnounceType });
  });
  if (entries.length === 0) return { date: null, entries };
  const date = dayOfRfc822(text(channel.pubDate)) ?? dayOfRfc822(text(items[0]?.pubDate));
  if (!date) throw new ArxivAnswerError(`listing lists ${entries.length} paper(s) but its pubDate ${JSON.stringify(text(channel.pubDate))} names no day`);
  return { date, entries };
}
