import { PreconditionFailedError, type BlobStore } from '../domain/ports/blob-store.ts';

/**
 * JSON documents in a blob store, and the one read-change-write loop every shared document uses
 * (day index, enrichment, site manifest): read with its ETag, write back If-Match, and on a lost race
 * re-read after a jittered pause. The policies are named for the document, since how many writers a
 * document has decides how many turns a writer may need.
 */

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface RetryPolicy {
  /** Lost races allowed before the conflict is thrown. */
  readonly attempts: number;
  /** The jitter's ceiling on the first retry, in ms; it doubles each retry up to `maxDoublings`. */
  readonly baseMs: number;
  readonly maxDoublings: number;
}

export const RETRY_POLICIES = {
  /** Twenty writers of one day at once (a backfill racing the schedule) need more turns than a pair. */
  dayIndex: { attempts: 41, baseMs: 20, maxDoublings: 6 },
  /** The abstracts step and a translation run: a few writers, seconds apart. */
  enrichment: { attempts: 9, baseMs: 50, maxDoublings: 8 },
  /** Overlapping publishes: each attempt is a whole rebuild, so few and spaced. */
  siteManifest: { attempts: 8, baseMs: 200, maxDoublings: 8 },
  /** What the runs saw (arXiv's feeds, the last send): one scheduled run, or a few senders finishing at once. */
  operations: { attempts: 9, baseMs: 50, maxDoublings: 8 },
} as const satisfies Record<string, RetryPolicy>;

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A stored JSON document and the ETag it was read at (`null`: no object yet). */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string | null;
}

export function decodeJson<T>(body: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(body)) as T;
}

/** The document at `key`, or `null` when there is none. */
export async function readJson<T>(store: BlobStore, key: string): Promise<Versioned<T> | null> {
  const obj = await store.get(key);
  return obj ? { value: decodeJson<T>(obj.body), etag: obj.etag } : null;
}

/** The document at `key`, or `empty` (with no ETag) when there is none yet. */
export async function readJsonOr<T>(store: BlobStore, key: string, empty: T): Promise<Versioned<T>> {
  return (await readJson<T>(store, key)) ?? { value: empty, etag: null };
}

/**
 * Runs `attempt` until it does not lose a conditional write: a `PreconditionFailedError` means another
 * writer won (so the document made progress) and the attempt starts over from a fresh read.
 */
export async function retryOnConflict<R>(policy: RetryPolicy, attempt: (n: number) => Promise<R>, sleep: Sleep = realSleep): Promise<R> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || n >= policy.attempts) throw err;
      await sleep(Math.random() * policy.baseMs * 2 ** Math.min(n - 1, policy.maxDoublings));
    }
  }
}

export interface JsonUpdate<T> {
  /** The document as it is before anything was written. */
  readonly empty: T;
  /** The next document; returning the same object writes nothing. */
  readonly change: (current: T) => T;
  readonly policy: RetryPolicy;
  /** Indentation of the stored JSON (kept readable where operators read it). */
  readonly space?: number;
  readonly sleep?: Sleep;
}

/** Read-change-write of one JSON document by If-Match, retried on a lost race; returns what is stored. */
export async function updateJson<T>(store: BlobStore, key: string, update: JsonUpdate<T>): Promise<T> {
  return retryOnConflict(
    update.policy,
    async () => {
      const { value, etag } = await readJsonOr(store, key, update.empty);
      const next = update.change(value);
      if (next === value) return value;
      await store.put(key, JSON.stringify(next, null, update.space), { contentType: JSON_CONTENT_TYPE, ifMatch: etag });
      return next;
    },
    update.sleep,
  );
}
