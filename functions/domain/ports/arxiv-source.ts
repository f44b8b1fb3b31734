import type { Listing } from '../arxiv/listing-rss.ts';
import type { ArxivRecord } from '../arxiv/record.ts';

/** What a metadata lookup brought back. Keys are `id` or `idvN`, as asked. */
export interface ArxivLookup {
  readonly found: ReadonlyMap<string, ArxivRecord>;
  /** Asked for and not answered (partial answers, failed batches): asked again on a later run. */
  readonly missing: readonly string[];
  /** One line per batch that failed after its retries. */
  readonly failures: readonly string[];
  /** HTTP requests made so far by this source, retries included. */
  readonly requests: number;
}

/** The port: arXiv metadata for ids (the API in AWS, a recorded-answer server in tests). */
export interface ArxivMetadataSource {
  lookup(keys: readonly string[]): Promise<ArxivLookup>;
}

/** The port for the day's listing (arXiv's RSS feed in AWS, recorded answers in tests). */
export interface ArxivListingSource {
  /** Throws when the listing cannot be had after retries; an empty listing is an answer. */
  listing(category: string): Promise<Listing>;
}
