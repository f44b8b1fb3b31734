import type { KeywordModel } from '../classifier/keyword-rules.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { ArxivListingSource, ArxivMetadataSource } from '../ports/arxiv-source.ts';

/** What the producer of Paperboy's own digest works with, and on (built from the environment by commons/source-config.ts). */
export interface ProduceDeps {
  readonly store: BlobStore;
  readonly listing: ArxivListingSource;
  readonly arxiv: ArxivMetadataSource;
  readonly model: KeywordModel;
}

export interface ProduceOptions {
  /** arXiv categories, e.g. `['cs.CV']`. */
  readonly categories: readonly string[];
  /** Also take papers cross-listed into the categories from elsewhere. */
  readonly crossLists: boolean;
  /** With a second source configured: leave a day alone that already has a version. */
  readonly skipDaysWithAVersion?: boolean;
}
