import { parseListing, type Listing } from '../domain/arxiv/listing-rss.ts';
import type { ArxivListingSource } from '../domain/ports/arxiv-source.ts';
import type { PoliteHttp } from './polite-http.ts';

/** arXiv's daily listing feed, one request per category, on the run's shared polite HTTP. */
export const ARXIV_LISTING_ENDPOINT = 'https://rss.arxiv.org/rss';

export class ArxivRssListing implements ArxivListingSource {
  constructor(
    private readonly http: PoliteHttp,
    private readonly endpoint: string = ARXIV_LISTING_ENDPOINT,
  ) {}

  async listing(category: string): Promise<Listing> {
    const { body } = await this.http.getText(`${this.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(category)}`);
    return parseListing(body);
  }
}
