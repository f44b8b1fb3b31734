import { dataKeys } from '../../domain/storage-layout.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { editionFromJson, type Edition } from '../../domain/newsletter/edition.ts';
import type { SendBatch } from '../../domain/ports/batch-queue.ts';

/*
 * The sender's side of stored editions: where they are and how they load. Kept apart from the
 * planner's writers (edition-store.ts), whose imports (the readable-text conversion and its
 * LaTeX tables) the sender's bundle does not need.
 */

/** The compiled edition of the parsed digest at `parsedKey` (dataKeys.edition). */
export function editionKey(parsedKey: string): string {
  const m = /^parsed\/(\d{4}-\d{2}-\d{2}|undated)\/([^/]+)\.json$/.exec(parsedKey);
  if (!m?.[1] || !m[2]) throw new Error(`not a parsed digest key: ${parsedKey}`);
  return dataKeys.edition(m[1], m[2]);
}

export class EditionMissingError extends Error {}

/** Where a batch's edition is: its weekly edition, or its day's. */
export const editionKeyOf = (batch: SendBatch) => (batch.editionKey !== undefined ? batch.editionKey : editionKey(batch.parsedKey));

/** The sender's side: the stored edition, or an error that sends the batch back to the queue to wait for it. */
export async function loadEdition(data: BlobStore, key: string): Promise<Edition> {
  const stored = await data.get(key);
  if (!stored) throw new EditionMissingError(`no compiled edition at ${key} yet`);
  return editionFromJson(new TextDecoder().decode(stored.body));
}

/** Each stored edition loaded once per warm container, however many batches ask; a failed load is not kept, so the batch can try again. */
export function editionLoader(data: BlobStore): (batch: SendBatch) => Promise<Edition> {
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

