import { ArxivAnswerError, parseApiAnswer } from '../domain/arxiv/api-atom.ts';
import { arxivKey, type ArxivRecord } from '../domain/arxiv/record.ts';
import type { ArxivLookup, ArxivMetadataSource } from '../domain/ports/arxiv-source.ts';
import { HttpGiveUpError, PoliteHttp, type PoliteHttpOptions } from './polite-http.ts';

/**
 * arXiv's query API (`/api/query?id_list=…`), as its terms of use ask: one request every 3 s, ids in
 * batches, a User-Agent that names the tool. A batch that fails after its retries is reported, not
 * thrown: the caller keeps what the other batches brought and asks again on a later run.
 */

export interface ArxivApiOptions extends Partial<PoliteHttpOptions> {
  /** e.g. `https://export.arxiv.org/api/query`; a loopback server in tests and local runs. */
  readonly endpoint: string;
  readonly batchSize?: number;
  /** Share one spacing with other arXiv requests of the run (the listing), as arXiv asks. */
  readonly http?: PoliteHttp;
}

export const ARXIV_API_DEFAULTS = {
  endpoint: 'https://export.arxiv.org/api/query',
  minIntervalMs: 3000,
  timeoutMs: 30_000,
  attempts: 4,
  backoffBaseMs: 3000,
  backoffMaxMs: 60_000,
  batchSize: 100,
  userAgent: 'Paperboy/0.1 (daily arXiv digest; operator-run)',
} as const;

/** One request every 3 s, timeouts, retries with jittered back-off: arXiv's terms for every interface. */
export function politeArxivHttp(options: Partial<PoliteHttpOptions> = {}): PoliteHttp {
  return new PoliteHttp({
    minIntervalMs: options.minIntervalMs ?? ARXIV_API_DEFAULTS.minIntervalMs,
    timeoutMs: options.timeoutMs ?? ARXIV_API_DEFAULTS.timeoutMs,
    attempts: options.attempts ?? ARXIV_API_DEFAULTS.attempts,
    backoffBaseMs: options.backoffBaseMs ?? ARXIV_API_DEFAULTS.backoffBaseMs,
    backoffMaxMs: options.backoffMaxMs ?? ARXIV_API_DEFAULTS.backoffMaxMs,
    userAgent: options.userAgent ?? ARXIV_API_DEFAULTS.userAgent,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
}

export class ArxivApiClient implements ArxivMetadataSource {
  readonly http: PoliteHttp;
  private readonly batchSize: number;

  constructor(private readonly options: ArxivApiOptions) {
    this.http = options.http ?? politeArxivHttp(options);
    this.batchSize = options.batchSize ?? ARXIV_API_DEFAULTS.batchSize;
  }

  queryUrl(keys: readonly string[]): string {
    const url = new URL(this.options.endpoint);
    url.searchParams.set('id_list', keys.join(','));
    url.searchParams.set('max_results', String(keys.length));
    return url.toString();
  }

  async lookup(keys: readonly string[]): Promise<ArxivLookup> {
    const found = new Map<string, ArxivRecord>();
    const failures: string[] = [];
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += this.batchSize) {
      const batch = unique.slice(i, i + this.batchSize);
      const url = this.queryUrl(batch);
      try {
        const { body } = await this.http.getText(url);
        const wanted = new Set(batch);
        for (const record of parseApiAnswer(body).records) {
          // Asked for a version, arXiv answers that version; asked without one, it answers the latest.
          const key = wanted.has(arxivKey(record.arxivId, record.version)) ? arxivKey(record.arxivId, record.version) : record.arxivId;
          if (wanted.has(key)) found.set(key, record);
        }
      } catch (err) {
        if (!(err instanceof HttpGiveUpError || err instanceof ArxivAnswerError)) throw err;
        failures.push(`${batch.length} id(s) from ${batch[0]}: ${err.message}`);
      }
    }
    return { found, missing: unique.filter((k) => !found.has(k)), failures, requests: this.http.requests };
  }
}
