import type { LambdaEnv } from './lambda-env.ts';
import type { ProduceDeps, ProduceOptions } from '../domain/arxiv/producer-inputs.ts';
import { SHIPPED_MODEL } from '../domain/classifier/shipped-model.ts';
import { ARXIV_API_DEFAULTS, ArxivApiClient } from '../sources/arxiv-api.ts';
import { containerArxivHttp } from './arxiv-http.ts';
import { ARXIV_LISTING_ENDPOINT, ArxivRssListing } from '../sources/arxiv-listing.ts';
import type { BlobStore } from '../domain/ports/blob-store.ts';

export type DigestSource = 'url' | 'arxiv' | 'both';

export function sourceFromEnv(env: LambdaEnv = process.env): DigestSource {
  const value = env.SOURCE ?? 'url';
  if (value !== 'url' && value !== 'arxiv' && value !== 'both') throw new Error(`SOURCE=${value}: expected "url", "arxiv" or "both"`);
  return value;
}

/** The producer's adapters: the listing and the API share the container's polite HTTP, so arXiv sees one request every 3 s in all. */
export function producerFromEnv(store: BlobStore, env: LambdaEnv = process.env): { deps: ProduceDeps; options: ProduceOptions } {
  const http = containerArxivHttp();
  return {
    deps: {
      store,
      listing: new ArxivRssListing(http, env.ARXIV_LISTING_URL ?? ARXIV_LISTING_ENDPOINT),
      arxiv: new ArxivApiClient({ endpoint: env.ARXIV_API_URL ?? ARXIV_API_DEFAULTS.endpoint, http }),
      model: SHIPPED_MODEL,
    },
    options: {
      categories: (env.ARXIV_CATEGORIES ?? 'cs.CV').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      crossLists: env.ARXIV_CROSS_LISTS === 'true',
      skipDaysWithAVersion: sourceFromEnv(env) === 'both',
    },
  };
}
