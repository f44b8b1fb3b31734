import { PreconditionFailedError, type BlobStore } from '../storage/blob-store.ts';
import type { PreviewDay } from '../domain/filters/mail-selection.ts';
import { editionFromJson, editionToJson, type Edition, type EditionConfig } from '../domain/newsletter/edition.ts';
import { dataKeys } from '../domain/storage-layout.ts';
import { loadDigest } from './load-digest.ts';

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
  const edition = await compile(await loadDigest(data, parsedKey), config);
  const stored = await data.putIfAbsent(key, editionToJson(edition), { contentType: 'application/json' });
  await recordPreviewDay(data, { date: edition.date, papers: edition.papers });
  return stored === 'created' ? 'compiled' : 'exists';
}

const PREVIEW_DAY_KEY = dataKeys.previewDay;

/** Keeps the newest day: an older day planned late (or a retried event) never replaces a newer one. */
export async function recordPreviewDay(data: BlobStore, day: PreviewDay): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await data.get(PREVIEW_DAY_KEY);
    if (current && (JSON.parse(new TextDecoder().decode(current.body)) as PreviewDay).date > day.date) return;
    try {
      await data.put(PREVIEW_DAY_KEY, JSON.stringify(day), { contentType: 'application/json', ifMatch: current?.etag ?? null });
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= 5) throw err;
    }
  }
}

/** The preview day, read at most once per `ttlMs` per container (the API answers many page views with it). */
export function previewDayLoader(data: BlobStore, ttlMs = 10 * 60_000, now = () => Date.now()): () => Promise<PreviewDay | null> {
  let cached: { at: number; day: Promise<PreviewDay | null> } | null = null;
  return () => {
    if (cached && now() - cached.at < ttlMs) return cached.day;
    const day = data.get(PREVIEW_DAY_KEY).then((o) => (o ? (JSON.parse(new TextDecoder().decode(o.body)) as PreviewDay) : null));
    day.catch(() => (cached = null));
    cached = { at: now(), day };
    return day;
  };
}

export class EditionMissingError extends Error {}

/** The sender's side: the stored edition, or an error that sends the batch back to the queue to wait for it. */
export async function loadEdition(data: BlobStore, parsedKey: string): Promise<Edition> {
  const stored = await data.get(editionKey(parsedKey));
  if (!stored) throw new EditionMissingError(`no compiled edition at ${editionKey(parsedKey)} yet`);
  return editionFromJson(new TextDecoder().decode(stored.body));
}

/** Each stored edition loaded once per warm container, however many batches ask; a failed load is not kept, so the batch can try again. */
export function editionLoader(data: BlobStore): (parsedKey: string) => Promise<Edition> {
  const editions = new Map<string, Promise<Edition>>();
  return (parsedKey) => {
    let e = editions.get(parsedKey);
    if (!e) {
      e = loadEdition(data, parsedKey);
      e.catch(() => editions.delete(parsedKey));
      editions.set(parsedKey, e);
    }
    return e;
  };
}
