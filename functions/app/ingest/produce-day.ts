import type { ProduceDeps, ProduceOptions } from '../../domain/arxiv/producer-inputs.ts';
import { buildProducedDigest } from '../../domain/arxiv/produced-digest.ts';
import type { AnnounceType, ListingEntry } from '../../domain/arxiv/listing-rss.ts';
import { arxivKey, type ArxivRecord } from '../../domain/arxiv/record.ts';
import { currentVersion } from '../../domain/day-index.ts';
import { renderDigestMarkdown } from '../../domain/render-digest.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import { toBytes } from '../../domain/ports/blob-store.ts';
import { readDayIndex } from './ingest.ts';

/**
 * Paperboy's own digest: the last announcement's papers for the configured arXiv categories, with
 * their metadata from the API, classified, written in the detailed format to `incoming/arxiv/`,
 * where the upload trigger ingests it like any digest. The output is a function of arXiv's
 * answers only (no clock, no translation: the ingest's translation step adds the Chinese), so a
 * re-run writes the same bytes, and an existing file is never replaced.
 */

export type ProduceOutcome =
  | { readonly status: 'no-announcement'; readonly categories: readonly string[] }
  | { readonly status: 'written' | 'unchanged'; readonly date: string; readonly key: string; readonly papers: number; readonly perCategory: Readonly<Record<string, number>>; readonly codeLinks: number }
  | { readonly status: 'kept'; readonly date: string; readonly key: string; readonly detail: string }
  | { readonly status: 'day-has-a-version'; readonly date: string }
  | { readonly status: 'incomplete'; readonly date: string; readonly detail: string };

export class ProduceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProduceError';
  }
}

const MARKDOWN = 'text/markdown; charset=utf-8';

export async function produceDay(deps: ProduceDeps, options: ProduceOptions): Promise<ProduceOutcome> {
  const wanted = new Set<AnnounceType>(options.crossLists ? ['new', 'cross'] : ['new']);
  let date: string | null = null;
  const entries: ListingEntry[] = [];
  for (const category of options.categories) {
    const listing = await deps.listing.listing(category);
    if (listing.date === null) continue;
    // Feeds of two categories on either side of an announcement: wait until both show the same day.
    if (date !== null && listing.date !== date) throw new ProduceError(`arXiv listings disagree on the day: ${date} and ${listing.date} (${category}); trying again next run`);
    date = listing.date;
    entries.push(...listing.entries.filter((e) => wanted.has(e.announceType)));
  }
  if (date === null) return { status: 'no-announcement', categories: options.categories };
  if (options.skipDaysWithAVersion && currentVersion((await readDayIndex(deps.store, date)).value)) return { status: 'day-has-a-version', date };

  // One request per paper, however many configured categories list it (the digest lists it once too).
  const keys = [...new Set(entries.map((e) => arxivKey(e.arxivId, e.version)))];
  const answer = keys.length ? await deps.arxiv.lookup(keys) : { found: new Map<string, ArxivRecord>(), missing: [], failures: [] };
  if (answer.missing.length > 0) {
    // Written without them, the day would change on the next run; written nothing, it comes whole.
    return { status: 'incomplete', date, detail: `${answer.missing.length} of ${keys.length} paper(s) not answered by the arXiv API${answer.failures.length ? `: ${answer.failures.join(' | ')}` : ''}` };
  }
  const records = keys.map((k) => answer.found.get(k)).filter((r): r is ArxivRecord => r !== undefined);
  const key = dataKeys.produced(date);
  const digest = buildProducedDigest(date, records, deps.model, key);
  const bytes = toBytes(renderDigestMarkdown(digest));
  const perCategory = Object.fromEntries(digest.sections.map((s) => [s.category.slug, s.papers.length]));
  const produced = digest.sections.flatMap((s) => s.papers);
  const summary = { date, key, papers: produced.length, perCategory, codeLinks: produced.filter((p) => p.codeUrl).length };

  if ((await deps.store.putIfAbsent(key, bytes, { contentType: MARKDOWN })) === 'created') return { status: 'written', ...summary };
  const existing = await deps.store.get(key);
  if (existing && Buffer.compare(Buffer.from(existing.body), Buffer.from(bytes)) === 0) return { status: 'unchanged', ...summary };
  return { status: 'kept', date, key, detail: 'a different file for this day is already there; it is kept, and nothing is written' };
}

export function formatProduce(o: ProduceOutcome): string {
  switch (o.status) {
    case 'no-announcement':
      return `no announcement in ${o.categories.join(', ')} (nothing written)`;
    case 'written':
    case 'unchanged':
      return `${o.date}: ${o.status} ${o.key}, ${o.papers} paper(s) in ${Object.keys(o.perCategory).length} categories, ${o.codeLinks} code link(s)`;
    case 'day-has-a-version':
      return `${o.date}: the other source already gave this day; nothing written`;
    default:
      return `${o.date}: ${o.status}: ${o.detail}`;
  }
}
