/** Fetching a day's digest from where it is published: the adapter of the DigestFetcher port. */
import { DigestFetchError, type FetchOptions, type FetchOutcome } from '../domain/ports/digest-source.ts';

/** The largest real day is ~310 KB; anything ten times that is not a digest. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 20_000;

/** A 404 means "not published yet" (retried next run); anything else that is not 200 is an error. */
export async function fetchDigest(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new DigestFetchError(url, `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`);
    throw new DigestFetchError(url, `request failed: ${(err as Error).message}`);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    return { kind: 'not-published', url };
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new DigestFetchError(url, `HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new DigestFetchError(url, `body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = res.body?.getReader();
    for (let r = await reader?.read(); reader && r && !r.done; r = await reader.read()) {
      total += r.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new DigestFetchError(url, `body exceeds the ${maxBytes}-byte limit`);
      }
      chunks.push(r.value);
    }
  } catch (err) {
    if (err instanceof DigestFetchError) throw err;
    const name = (err as Error).name;
    throw new DigestFetchError(url, name === 'TimeoutError' || name === 'AbortError' ? 'timed out while reading the body' : `read failed: ${(err as Error).message}`);
  }
  return { kind: 'found', url, bytes: Buffer.concat(chunks) };
}

/** The days a scheduled run looks at: today and the `lookbackDays` before it, oldest first. */
export function daysToCheck(today: Date, lookbackDays: number, timeZone = 'UTC'): string[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days: string[] = [];
  for (let back = lookbackDays; back >= 0; back--) days.push(fmt.format(new Date(today.getTime() - back * 86_400_000)));
  return days;
}
