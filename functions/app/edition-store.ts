import type { BlobStore } from '../storage/blob-store.ts';
import { editionFromJson, editionToJson, type Edition, type EditionConfig } from '../domain/newsletter/edition.ts';
import { dataKeys } from '../domain/storage-layout.ts';
import { readableDigest } from '../domain/latex-text.ts';
import type { Digest } from '../domain/model.ts';
import { PERSONAL_FEED_DAYS } from '../domain/filters/personal-feed.ts';
import { loadDigest } from './load-digest.ts';
import type { SendBatch } from '../domain/sending/plan.ts';
import { mergeWeek, weekBefore } from '../domain/sending/week.ts';

/**
 * The compiled edition of one parsed digest: `editions/v2/{date}/{hash}.json`, after
 * `parsed/{date}/{hash}.json`. The folder names the stored format: a sender of a new format never
 * finds an edition an older planner compiled (v1 had no paper markers for filters).
 */
export function editionKey(parsedKey: string): string {
  const m = /^parsed\/(.+)\.json$/.exec(parsedKey);
  if (!m) throw new Error(`not a parsed digest key: ${parsedKey}`);
  return `editions/v2/${m[1]}.json`;
}

/**
 * Compiles the day's edition once, when the day is planned for sending, and stores it; a second
 * call (a retried event) finds it and compiles nothing. `compile` is passed in so that only the
 * planner's bundle carries MJML.
 */
export async function prepareEdition(
  data: BlobStore,
  parsedKey: string,
  config: EditionConfig,
  compile: (digest: Awaited<ReturnType<typeof loadDigest>>, config: EditionConfig) => Promise<Edition>,
): Promise<'compiled' | 'exists'> {
  const key = editionKey(parsedKey);
  if (await data.exists(key)) return 'exists';
  const digest = await loadDigest(data, parsedKey);
  const edition = await compile(digest, config);
  const stored = await data.putIfAbsent(key, editionToJson(edition), { contentType: 'application/json' });
  // The day as readers' personal feeds show it; a re-published day replaces it.
  await data.put(dataKeys.mailedDay(digest.date), JSON.stringify(readableDigest(digest)), { contentType: 'application/json' });
  return stored === 'created' ? 'compiled' : 'exists';
}

export class EditionMissingError extends Error {}

/** Where a batch's edition is: its weekly edition, or its day's. */
export const editionKeyOf = (batch: Pick<SendBatch, 'parsedKey' | 'editionKey'>) => batch.editionKey ?? editionKey(batch.parsedKey);

/** The sender's side: the stored edition, or an error that sends the batch back to the queue to wait for it. */
export async function loadEdition(data: BlobStore, key: string): Promise<Edition> {
  const stored = await data.get(key);
  if (!stored) throw new EditionMissingError(`no compiled edition at ${key} yet`);
  return editionFromJson(new TextDecoder().decode(stored.body));
}

/** Each stored edition loaded once per warm container, however many batches ask; a failed load is not kept, so the batch can try again. */
export function editionLoader(data: BlobStore): (batch: Pick<SendBatch, 'parsedKey' | 'editionKey'>) => Promise<Edition> {
  const editions = new Map<string, Promise<Edition>>();
  return (batch) => {
    const key = editionKeyOf(batch);
    let e = editions.get(key);
    if (!e) {
      e = loadEdition(data, key);
      e.catch(() => editions.delete(key));
      editions.set(key, e);
    }
    return e;
  };
}

/** A weekly edition: `editions/v2/weeks/{date}.json`, for the mail sent on `date`. */
export const weeklyEditionKey = (date: string) => `editions/v2/weeks/${date}.json`;

/**
 * Compiles the weekly edition of `date` once, from the days mailed in the seven days before it
 * (kept for personal feeds), each arXiv id once. `null` when no day was mailed that week.
 */
export async function prepareWeek(
  data: BlobStore,
  date: string,
  config: EditionConfig,
  compile: (digest: Digest, config: EditionConfig, week: { from: string; to: string }) => Promise<Edition>,
): Promise<{ key: string; days: number; papers: number } | null> {
  const range = weekBefore(date);
  const days: Digest[] = [];
  for (const d of range.dates) {
    const obj = await data.get(dataKeys.mailedDay(d));
    if (obj) days.push(JSON.parse(new TextDecoder().decode(obj.body)) as Digest);
  }
  if (days.length === 0) return null;
  const key = weeklyEditionKey(date);
  const week = mergeWeek(days, date);
  if (!(await data.exists(key))) await data.putIfAbsent(key, editionToJson(await compile(week, config, { from: range.from, to: range.to })), { contentType: 'application/json' });
  return { key, days: days.length, papers: week.sections.reduce((n, s) => n + s.papers.length, 0) };
}

/**
 * The mailed days of the last 30, oldest first, for personal feeds and the preferences preview: the listing is read at most once per `ttlMs`;
 * a day is read once per container, but the newest three again each time (a day is re-published,
 * or completed with abstracts, in its first days only; its new ETag says whether it changed).
 */
export function feedDaysLoader(data: BlobStore, ttlMs = 10 * 60_000, now = () => Date.now()): () => Promise<readonly Digest[]> {
  const loaded = new Map<string, { etag: string; day: Digest }>();
  let cached: { at: number; days: Promise<readonly Digest[]> } | null = null;
  const load = async (): Promise<readonly Digest[]> => {
    const keys = (await data.list(dataKeys.mailedDaysPrefix)).sort().slice(-PERSONAL_FEED_DAYS);
    const days: Digest[] = [];
    for (const [i, key] of keys.entries()) {
      const known = loaded.get(key);
      if (known && i < keys.length - 3) {
        days.push(known.day);
        continue;
      }
      const obj = await data.get(key);
      if (!obj) continue;
      if (known && known.etag === obj.etag) days.push(known.day);
      else {
        const day = JSON.parse(new TextDecoder().decode(obj.body)) as Digest;
        loaded.set(key, { etag: obj.etag, day });
        days.push(day);
      }
    }
    for (const key of loaded.keys()) if (!keys.includes(key)) loaded.delete(key);
    return days;
  };
  return () => {
    if (cached && now() - cached.at < ttlMs) return cached.days;
    const days = load();
    days.catch(() => (cached = null));
    cached = { at: now(), days };
    return days;
  };
}
