import { politeArxivHttp } from '../sources/arxiv-api.ts';
import type { PoliteHttp } from '../sources/polite-http.ts';

let shared: PoliteHttp | null = null;

/**
 * The container's one connection to arXiv: the listing, the producer's metadata calls and the
 * abstracts step all queue on it, so "one request every 3 s" holds for the container by
 * construction, whichever of them runs (the scheduled ingest runs the producer and the abstracts
 * step in one invocation).
 */
export function containerArxivHttp(): PoliteHttp {
  shared ??= politeArxivHttp();
  return shared;
}
