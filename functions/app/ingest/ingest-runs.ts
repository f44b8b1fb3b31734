import { DigestFetchError, digestUrl, type DigestFetcher, type FetchOptions } from '../../domain/ports/digest-source.ts';
import { ingestDigest, type IngestDeps, type IngestOutcome } from './ingest.ts';
import { dataKeys } from '../../domain/storage-layout.ts';

/** What happened to one day in a scheduled run or a backfill. */
export type DayResult =
  | { readonly date: string; readonly source: string; readonly status: IngestOutcome['status']; readonly outcome: IngestOutcome }
  | { readonly date: string; readonly source: string; readonly status: 'missing' }
  | { readonly date: string; readonly source: string; readonly status: 'failed'; readonly error: string };

export interface RunSummary {
  readonly ingested: number;
  readonly unchanged: number;
  /** Table-format copies of days held in the detailed format. */
  readonly superseded: number;
  readonly quarantined: number;
  readonly missing: number;
  readonly failed: number;
}

export function summarise(results: readonly DayResult[]): RunSummary {
  const count = (s: DayResult['status']) => results.filter((r) => r.status === s).length;
  return {
    ingested: count('ingested'),
    unchanged: count('unchanged'),
    superseded: count('superseded'),
    quarantined: count('quarantined'),
    missing: count('missing'),
    failed: count('failed'),
  };
}

export function formatSummary(s: RunSummary): string {
  return `ingested ${s.ingested} / unchanged ${s.unchanged} / superseded ${s.superseded} / quarantined ${s.quarantined} / missing ${s.missing} / failed ${s.failed}`;
}

/** Fetches and ingests one day from the URL template. Not published yet is `missing`, not a failure. */
export async function ingestFromUrl(deps: IngestDeps & { readonly fetchDigest: DigestFetcher }, urlTemplate: string, date: string, fetchOptions: FetchOptions = {}, force = false): Promise<DayResult> {
  const url = digestUrl(urlTemplate, date);
  try {
    const fetched = await deps.fetchDigest(url, fetchOptions);
    if (fetched.kind === 'not-published') return { date, source: url, status: 'missing' };
    const outcome = await ingestDigest(deps, { bytes: fetched.bytes, source: url, dateHint: date, force });
    return { date, source: url, status: outcome.status, outcome };
  } catch (err) {
    if (err instanceof DigestFetchError) return { date, source: url, status: 'failed', error: err.message };
    throw err;
  }
}

/** Runs days one after another so one slow day cannot starve the S3 connection pool; reports as it goes. */
export async function ingestDays(
  dates: readonly string[],
  ingestOne: (date: string) => Promise<DayResult>,
  onResult: (result: DayResult, done: number) => void = () => {},
): Promise<DayResult[]> {
  const results: DayResult[] = [];
  for (const date of dates) {
    const result = await ingestOne(date);
    results.push(result);
    onResult(result, results.length);
  }
  return results;
}

/** Every ISO date from `from` to `to`, inclusive. */
export function dateRange(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new Error(`bad date range ${from}..${to}`);
  if (end < start) throw new Error(`date range ends (${to}) before it starts (${from})`);
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** `2024-02-04` from a file name or key such as `incoming/2024-02/2024-02-04.md`. */
export function dateFromName(name: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})(?:\.[a-z]+)?$/i.exec(name)?.[1];
}

/** Ingests an object written under `incoming/` (an operator's upload or the producer's day), as the S3 trigger does. */
export async function ingestStoredObject(deps: IngestDeps, key: string, bucket: string): Promise<IngestOutcome> {
  const obj = await deps.store.get(key);
  if (!obj) throw new Error(`uploaded object ${key} has disappeared`);
  return ingestDigest(deps, { bytes: obj.body, source: `s3://${bucket}/${key}`, dateHint: dateFromName(key), force: key.startsWith(dataKeys.forcePrefix) });
}

/**
 * The category names ingested digests printed that the taxonomy does not map (their papers were
 * classified one by one): what an operator adds to PUBLISHER_NAMES. Read from the parser's warnings.
 */
export function unmappedCategoryNames(outcomes: readonly IngestOutcome[]): string[] {
  const names = new Set<string>();
  for (const o of outcomes) {
    if (o.status !== 'ingested' && o.status !== 'quarantined') continue;
    for (const p of o.problems) {
      const name = p.field === 'category' ? /^category (".*?") /.exec(p.message)?.[1] : undefined;
      if (name) names.add(JSON.parse(name) as string);
    }
  }
  return [...names].sort();
}
