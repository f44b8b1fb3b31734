import type { BlobStore } from '../storage/blob-store.ts';
import { editionFromJson, editionToJson, type Edition, type EditionConfig } from '../domain/newsletter/edition.ts';
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
  return data.putIfAbsent(key, editionToJson(edition), { contentType: 'application/json' }).then((r) => (r === 'created' ? 'compiled' : 'exists'));
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
