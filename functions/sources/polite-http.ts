/**
 * HTTP GETs for a public service that asks for a pause between requests (arXiv: one every 3 s):
 * requests are spaced, each has a timeout, and a failure that may pass (network error, timeout,
 * 429, 5xx) is retried with exponential back-off and full jitter, honouring Retry-After.
 */

export interface PoliteHttpOptions {
  /** Least time between the starts of two requests. */
  readonly minIntervalMs: number;
  readonly timeoutMs: number;
  /** Attempts per request, the first included. */
  readonly attempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly userAgent: string;
  readonly fetchImpl?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}

export class HttpGiveUpError extends Error {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly last: string,
  ) {
    super(`${url}: gave up after ${attempts} attempt(s): ${last}`);
    this.name = 'HttpGiveUpError';
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PoliteHttp {
  private nextStart = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly doFetch: typeof fetch;
  /** Requests made, retries included: what the service saw. */
  requests = 0;

  constructor(private readonly options: PoliteHttpOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.doFetch = options.fetchImpl ?? fetch;
  }

  private async waitTurn(): Promise<void> {
    const wait = this.nextStart - this.now();
    if (wait > 0) await this.sleep(wait);
    this.nextStart = this.now() + this.options.minIntervalMs;
  }

  /** The body of a 200 answer as text; `accept` decides what else counts as a final answer. */
  async getText(url: string, accept: (status: number) => boolean = (s) => s === 200): Promise<{ status: number; body: string }> {
    let last = '';
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      await this.waitTurn();
      this.requests++;
      let retryAfterMs = 0;
      try {
        const res = await this.doFetch(url, {
          signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: { 'User-Agent': this.options.userAgent, Accept: 'application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.1' },
        });
        if (accept(res.status)) return { status: res.status, body: await res.text() };
        await res.body?.cancel();
        last = `HTTP ${res.status}`;
        if (res.status !== 429 && res.status < 500) throw new HttpGiveUpError(url, attempt, last);
        const retryAfter = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, this.options.backoffMaxMs);
      } catch (err) {
        if (err instanceof HttpGiveUpError) throw err;
        const name = (err as Error).name;
        last = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${this.options.timeoutMs} ms` : `request failed: ${(err as Error).message}`;
      }
      if (attempt < this.options.attempts) {
        const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
        await this.sleep(Math.max(retryAfterMs, Math.floor(this.random() * ceiling)));
      }
    }
    throw new HttpGiveUpError(url, this.options.attempts, last);
  }
}
