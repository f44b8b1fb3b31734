/** The port for a third party's published digest: a URL template, and fetching one day of it (HTTP in AWS: sources/upstream-digest.ts). */

export class DigestFetchError extends Error {
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`${url}: ${detail}`);
    this.name = 'DigestFetchError';
  }
}

export type FetchOutcome = { readonly kind: 'found'; readonly url: string; readonly bytes: Uint8Array } | { readonly kind: 'not-published'; readonly url: string };

export interface FetchOptions {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly fetchImpl?: typeof fetch;
}

/** Fetches one day's file: found, or not published (yet). */
export type DigestFetcher = (url: string, options?: FetchOptions) => Promise<FetchOutcome>;

/** Expands `{yyyy}`, `{mm}` and `{dd}` in a URL template for an ISO date. */
export function digestUrl(template: string, isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`not an ISO date: ${isoDate}`);
  const [, yyyy = '', mm = '', dd = ''] = m;
  return template.replaceAll('{yyyy}', yyyy).replaceAll('{mm}', mm).replaceAll('{dd}', dd);
}

export function validateUrlTemplate(template: string): string | null {
  if (!/^https?:\/\//.test(template)) return 'must start with http:// or https://';
  for (const part of ['{yyyy}', '{mm}', '{dd}']) if (!template.includes(part)) return `must contain ${part}`;
  return null;
}
