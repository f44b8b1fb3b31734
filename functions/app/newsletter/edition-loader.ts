import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { editionFromJson, type Edition } from '../../domain/newsletter/edition.ts';
import type { SendBatch } from '../../domain/ports/batch-queue.ts';

/*
 * The sender's side of stored editions: where they are and how they load. Kept apart from the
 * planner's writers (edition-store.ts), whose imports (the readable-text conversion and its
 * LaTeX tables) the sender's bundle does not need.
 */

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
